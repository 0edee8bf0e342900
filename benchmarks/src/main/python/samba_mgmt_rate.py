#!/usr/bin/python3
"""Samba's own C client library (through its Python bindings) calling mgmt inq_if_ids sequentially on one
connection: the reference client of the load harness. Prints one line: calls, seconds, p50_us, p99_us.
Usage: samba_mgmt_rate.py BINDING SECONDS"""
import sys
import time
from samba.dcerpc import mgmt

binding, seconds = sys.argv[1], float(sys.argv[2])
conn = mgmt.mgmt(binding)
for _ in range(200):                       # warm-up
    conn.inq_if_ids()
latencies = []
end = time.perf_counter() + seconds
start = time.perf_counter()
while True:
    t0 = time.perf_counter()
    conn.inq_if_ids()
    t1 = time.perf_counter()
    latencies.append(t1 - t0)
    if t1 >= end:
        break
elapsed = time.perf_counter() - start
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1e6
print(len(latencies), f"{elapsed:.3f}", f"{p(0.50):.1f}", f"{p(0.99):.1f}")
