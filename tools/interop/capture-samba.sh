#!/usr/bin/env bash
# Records the known bytes Weft's codec tests replay (interfaces/src/test/.../SambaCaptureReplayTest and the
# per-interface *SambaCaptureTest): real DCE/RPC exchanges between Samba's own client and the Samba AD DC on
# 127.0.0.1, captured with tshark on loopback, for epmapper, mgmt, samr, lsarpc, netlogon, dssetup over ncacn_ip_tcp,
# and lsarpc's policy calls and srvsvc over SMB named pipes (ncacn_np; Samba serves those there only).
#
#   1. tools/interop/samba-calls.py drives python3-samba's dcerpc bindings (smbtorture for dssetup) through each
#      interface's operations, little-endian and then big-endian (Samba's "bigendian" binding option); tshark
#      captures; tools/interop/dcerpc_capture.py finds each of the script's connections in the capture, takes the
#      stubs out of the PDUs (schannel-sealed ones decrypted with the secure channel's session key; Samba 4.17
#      requires sealing on schannel) and writes interfaces/src/test/resources/dev/weft/interfaces/<name>/
#      samba-4.17-<name>-<tcp|np>.txt.
#   2. NDR64: Samba's server refuses it, so the same script runs with Samba's "ndr64" binding option against a
#      Weft server (SambaReplayServer, from the interfaces test classes) that answers with the values step 1
#      recorded: Samba's client's NDR64 requests, Weft's NDR64 answers, in samba-4.17-<name>-tcp-ndr64.txt; and the
#      values Samba's client decoded from Weft's NDR64 answers must be those it decoded from Samba's NDR20 ones.
#
# Usage (as root, the DC running: tools/interop/samba-up.sh; about 30 s):
#   tools/interop/capture-samba.sh [OUT-DIR]
# MVN_ARGS passes options to the Maven build of step 2 (e.g. "-o -Dmaven.repo.local=/path").
# It keeps a workstation account WEFTCAP$ in the domain (created if missing, its password set each run): netlogon's
# ServerAuthenticate and the schannel calls need one.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
S=${WEFT_SAMBA_DIR:-/var/lib/weft-samba}
CONF=$S/etc/smb.conf
OUT=${1:-$ROOT/interfaces/src/test/resources/dev/weft/interfaces}
export WEFTCAP_PASSWORD=${WEFTCAP_PASSWORD:-WeftCap-Machine-Passw0rd1}
export KRB5_CONFIG=$S/krb5.conf
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
die() { echo "capture-samba: $*" >&2; exit 1; }

for b in tshark smbtorture /usr/bin/python3; do command -v "$b" >/dev/null || die "$b is missing: run tools/interop/install.sh"; done
[ -f "$CONF" ] || die "no Samba in $S: run tools/interop/samba-up.sh"
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || die "python3-cryptography is missing (schannel decryption)"

# The workstation account (MS-NRPC needs a machine account for ServerAuthenticate and the secure channel).
/usr/bin/python3 - "$CONF" "$S/private/sam.ldb" WEFTCAP "$WEFTCAP_PASSWORD" <<'PY'
import sys, ldb
from samba.samdb import SamDB
from samba.auth import system_session
from samba.param import LoadParm
from samba.dsdb import UF_WORKSTATION_TRUST_ACCOUNT
conf, url, name, password = sys.argv[1:5]
lp = LoadParm(); lp.load(conf)
db = SamDB(url=url, session_info=system_session(), lp=lp)
pw = ('"%s"' % password).encode("utf-16-le")
found = db.search(base=db.domain_dn(), expression="(sAMAccountName=%s$)" % name, attrs=[])
if not found:
    db.add({"dn": "CN=%s,CN=Computers,%s" % (name, db.domain_dn()), "objectclass": "computer",
            "sAMAccountName": name + "$", "userAccountControl": str(UF_WORKSTATION_TRUST_ACCOUNT), "unicodePwd": pw})
else:
    m = ldb.Message(); m.dn = found[0].dn
    m["unicodePwd"] = ldb.MessageElement(pw, ldb.FLAG_MOD_REPLACE, "unicodePwd")
    db.modify(m)
PY

# Starts tshark on lo with a capture filter; returns once packets to $2 reach the file.
capture() {
  local filter=$1 port=$2 file=$3 size
  tshark -i lo -f "$filter" -w "$file" >"$file.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    size=$(stat -c %s "$file" 2>/dev/null || echo 0)
    [ "$size" -gt 200 ] && return 0
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || true   # a knock: its packets show the capture runs
    sleep 0.1
  done
  die "tshark captured nothing: $(cat "$file.log")"
}
stop_capture() {
  sleep 1
  kill -INT "${PIDS[-1]}"
  wait "${PIDS[-1]}" 2>/dev/null || true
}

# 1. Samba's client and server, both byte orders.
capture 'tcp port 135 or tcp port 445 or tcp portrange 49152-65535' 135 "$WORK/samba.pcap"
/usr/bin/python3 "$HERE/samba-calls.py" "$CONF" ndr samba >"$WORK/ndr.out"
/usr/bin/python3 "$HERE/samba-calls.py" "$CONF" bigendian samba >"$WORK/bigendian.out"
stop_capture
/usr/bin/python3 "$HERE/dcerpc_capture.py" "$WORK/samba.pcap" "$OUT" "" \
  "Samba $(samba -V | sed 's/^Version //') AD DC and Samba's client (python3-samba, smbtorture), little- and big-endian; tools/interop/capture-samba.sh" \
  "$WORK/ndr.out" "$WORK/bigendian.out"

# 2. NDR64: Samba's client against Weft's replay of step 1.
echo "capture-samba: building the interfaces test classes for the replay server" >&2
(cd "$ROOT" && ./mvnw -B -q ${MVN_ARGS:-} -pl interfaces -am test-compile) >"$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log" >&2; die "the build failed"; }
CP=$ROOT/interfaces/target/test-classes:$ROOT/interfaces/target/classes
for m in ndr pdu security transport client server; do CP=$CP:$ROOT/$m/target/classes; done
JAVA_HOME=$("$ROOT/tools/find-jdk.sh")
"$JAVA_HOME/bin/java" -cp "$CP" dev.weft.interfaces.SambaReplayServer 127.0.0.1 "$OUT" >"$WORK/replay.out" 2>"$WORK/replay.err" &
PIDS+=($!)
for _ in $(seq 100); do grep -q '^listening' "$WORK/replay.out" && break; sleep 0.1; done
PORT=$(sed -n 's/^listening //p' "$WORK/replay.out")
[ -n "$PORT" ] || die "the replay server did not start: $(cat "$WORK/replay.err")"
capture "tcp port $PORT" "$PORT" "$WORK/ndr64.pcap"
/usr/bin/python3 "$HERE/samba-calls.py" "$CONF" ndr64 "weft:$PORT" >"$WORK/ndr64.out"
stop_capture
cat "$WORK/replay.err" >&2
/usr/bin/python3 "$HERE/dcerpc_capture.py" "$WORK/ndr64.pcap" "$OUT" "-ndr64" \
  "Samba $(samba -V | sed 's/^Version //')'s client in NDR64 (python3-samba, smbtorture) against Weft's SambaReplayServer, answering with the values of samba-4.17-*-tcp.txt; tools/interop/capture-samba.sh" \
  "$WORK/ndr64.out"

# What Samba's client decoded from Weft's NDR64 answers must be what it decoded from Samba's NDR20 ones (samr,
# lsarpc, netlogon, dssetup: the interfaces replayed; epmapper and mgmt are Weft's own there).
/usr/bin/python3 - "$WORK/ndr.out" "$WORK/ndr64.out" <<'PY'
import json, sys
def calls(path):
    out = {}
    for line in open(path):
        x = json.loads(line)
        for conn in x.get("connections", []):
            for c in conn["calls"]:
                out[(c["name"], c["label"])] = (c["outcome"], c["values"])
    return out
ndr, ndr64 = calls(sys.argv[1]), calls(sys.argv[2])
# SamrConnect3 is opnum 61 for Samba, Opnum61NotUsedOnWire for MS-SAMR and so for Weft: no answer to replay.
expected = {("samr", "connect3")}
bad = 0
for key, (outcome, values) in sorted(ndr64.items()):
    if key[0] in ("epmapper", "mgmt") or key not in ndr or key in expected:
        continue
    if (outcome, values) != ndr[key]:
        bad += 1
        print("capture-samba: %s %s: Samba's client decoded Weft's NDR64 answer otherwise:\n  NDR20 %s %s\n  NDR64 %s %s"
              % (key + ndr[key] + (outcome, values)), file=sys.stderr)
print("capture-samba: %d NDR64 answers checked, %d differ"
      % (sum(1 for k in ndr64 if k[0] not in ("epmapper", "mgmt") and k in ndr and k not in expected), bad))
sys.exit(1 if bad else 0)
PY
echo "capture-samba: wrote $OUT"
