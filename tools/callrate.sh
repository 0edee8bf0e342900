#!/usr/bin/env bash
# The call-rate harness (benchmarks/src/main/java/dev/weft/bench/load/CallRate.java): one connection, sequential
# mgmt inq_if_ids, Weft and Samba clients and servers side by side, next to a raw TCP ping-pong.
#   tools/callrate.sh [seconds per shape, default 10]
# Needs the Samba AD DC (tools/interop/samba-up.sh, as root) and /usr/bin/python3 with Samba's bindings.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
"$here/mvnw" -q -B -pl benchmarks -am package -DskipTests
bash tools/interop/samba-up.sh >/dev/null
JAVA_HOME=$("$here/tools/find-jdk.sh")
exec "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$here/benchmarks/target/benchmarks.jar" \
  dev.weft.bench.load.CallRate "${1:-10}"
