#!/usr/bin/env bash
# The cost of RPC-level security, side by side in one run: one connection, sequential mgmt inq_if_ids, against a
# Weft server (weft serve) and against the Samba AD DC (tools/interop/samba-up.sh), unauthenticated and with
# NTLMSSP at integrity and privacy. Prints one line per run: server, level, calls/s, p50 and p99 in microseconds.
#   tools/bench-auth.sh [seconds per run, default 10]
# WEFT_BENCH_ADDRESS (default 127.0.0.1) is the loopback address the Weft server listens on, port 1357: another
# one when several people share the machine. Samba stays on 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10}
addr=${WEFT_BENCH_ADDRESS:-127.0.0.1}
weft="$root/tools/weft"
user=rpcuser pass=RpcTest-Passw0rd1
"$root/tools/interop/samba-up.sh" >/dev/null
"$weft" serve --listen "ncacn_ip_tcp:$addr[1357]" --user "$user:$pass" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for i in $(seq 1 100); do "$weft" mgmt "ncacn_ip_tcp:$addr[1357]" >/dev/null 2>&1 && break; sleep 0.2; done

run() { # label binding level...
  local label=$1 binding=$2 level=$3 auth=()
  [ "$level" = none ] || auth=(--user "RPCTEST\\$user" --password "$pass" --auth ntlm --level "$level")
  "$weft" bench "$binding" --connections 1 --concurrency 1 --warmup 3 --duration "$secs" --op inq-if-ids \
      "${auth[@]}" --json 2>/dev/null |
    python3 -c 'import json,sys; j=json.load(sys.stdin); l=j["latencyMicros"]; print("%-6s %-10s %9.0f calls/s  p50 %7.1f us  p99 %8.1f us  errors %d" % (sys.argv[1], sys.argv[2], j["callsPerSecond"], l["p50"], l["p99"], j["errors"]))' "$label" "$level"
}
# The server's JIT warms up on whatever runs first: one unrecorded round at every level, then the measured ones.
for level in none integrity privacy; do run weft "ncacn_ip_tcp:$addr[1357]" "$level" >/dev/null; done
for level in none integrity privacy; do
  run weft  "ncacn_ip_tcp:$addr[1357]" "$level"
  run samba 'ncacn_ip_tcp:127.0.0.1[135]' "$level"
done
