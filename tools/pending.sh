#!/usr/bin/env bash
# Issue 5, benchmark 3: N connections (default 10,000) each holding a pending witness AsyncNotify in a Weft server
# in another process; prints the server's RSS and heap and the time from one published change to the last answer.
#   tools/pending.sh [connections]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/mvnw" -q -B -pl benchmarks -am package -DskipTests
JAVA_HOME=$("$here/tools/find-jdk.sh")
exec "$JAVA_HOME/bin/java" -Xmx2g -cp "$here/benchmarks/target/benchmarks.jar" dev.weft.bench.load.PendingCalls "${1:-10000}"
