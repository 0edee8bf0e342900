#!/usr/bin/env bash
# Captures real srvsvc (MS-SRVS) exchanges with the Samba AD DC for Weft's codec tests.
#
# Samba 4.17's AD DC serves srvsvc only as the SMB named pipe \pipe\srvsvc (samba-dcerpcd, started on demand by
# smbd): not over ncacn_ip_tcp, not over ncalrpc, and not in its endpoint mapper. Weft has no SMB transport, so
# the interop test for srvsvc replays what this script records: Samba's Python client calls each operation over
# ncacn_np (tools/interop/srvsvc-calls.py), tshark captures SMB on loopback, and the stub of every request and
# response (single-fragment PDUs only) is written as hex, one exchange per two lines:
#
#   <label> <opnum> request <hex>
#   <label> <opnum> response <hex>
#
# Usage (as root, Samba running: tools/interop/samba-up.sh):
#   tools/interop/capture-srvsvc.sh [OUT]   # OUT defaults to the interfaces module's test resource
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
S=${WEFT_SAMBA_DIR:-/var/lib/weft-samba}
OUT=${1:-$HERE/../../interfaces/src/test/resources/dev/weft/interfaces/srvsvc/samba-4.17-srvsvc.txt}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
die() { echo "capture-srvsvc: $*" >&2; exit 1; }

for b in tshark /usr/bin/python3; do command -v "$b" >/dev/null || die "$b is missing: run tools/interop/install.sh"; done
[ -f "$S/etc/smb.conf" ] || die "no Samba in $S: run tools/interop/samba-up.sh"

tshark -i lo -f 'tcp port 445' -w "$WORK/srvsvc.pcap" >"$WORK/tshark.log" 2>&1 &
TSHARK=$!
for _ in $(seq 50); do grep -q "Capturing on" "$WORK/tshark.log" && break; sleep 0.1; done
/usr/bin/python3 "$HERE/srvsvc-calls.py" "$S/etc/smb.conf" Administrator AdminPassw0rd1 RPCTEST >"$WORK/calls.txt"
sleep 1
kill -INT "$TSHARK"
wait "$TSHARK" || true
cat "$WORK/calls.txt"

# Every srvsvc request and response, as: tcp stream, packet type (0 request, 2 response), opnum, flags, stub.
tshark -r "$WORK/srvsvc.pcap" --disable-protocol srvsvc -Y 'dcerpc.pkt_type == 0 || dcerpc.pkt_type == 2' \
    -T fields -E separator=' ' -e tcp.stream -e dcerpc.pkt_type -e dcerpc.opnum -e dcerpc.cn_flags \
    -e dcerpc.stub_data >"$WORK/pdus.txt"

# Other SMB clients may have used the DC meanwhile: keep the one TCP stream whose opnums are the script's, in order.
/usr/bin/python3 - "$WORK/calls.txt" "$WORK/pdus.txt" "$OUT" <<'PY'
import sys
calls = [line.split()[:2] for line in open(sys.argv[1])]
streams = {}
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) < 4:
        continue
    stub = f[4] if len(f) > 4 else ""
    streams.setdefault(f[0], []).append((int(f[1]), int(f[2]), f[3], stub))
wanted = [int(opnum) for _, opnum in calls]
for pdus in streams.values():
    if [o for t, o, _, _ in pdus if t == 0] == wanted and len(pdus) == 2 * len(wanted):
        break
else:
    sys.exit("capture-srvsvc: no TCP stream carries exactly the script's calls")
with open(sys.argv[3], "w") as out:
    out.write("# Samba 4.17 AD DC srvsvc over ncacn_np, recorded by tools/interop/capture-srvsvc.sh: NDR20 stubs.\n")
    for i, (label, opnum) in enumerate(calls):
        for (ptype, op, flags, stub), kind in zip(pdus[2 * i:2 * i + 2], ("request", "response")):
            if op != int(opnum) or ptype != (0 if kind == "request" else 2) or int(flags, 16) & 3 != 3:
                sys.exit("capture-srvsvc: %s: unexpected %s PDU (type %d, opnum %d, flags %s)" % (label, kind, ptype, op, flags))
            out.write("%s %s %s %s\n" % (label, opnum, kind, stub))
PY
echo "capture-srvsvc: wrote $OUT"
