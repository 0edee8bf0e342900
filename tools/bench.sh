#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them: tools/bench.sh [JMH options and benchmark regex...]
#   tools/bench.sh                    every benchmark, JMH's defaults from the annotations
#   tools/bench.sh 'NdrBenchmarks' -p syntax=NDR20
# The heap is fixed and pre-touched: on this kind of VM the first touch of a page is expensive, and an
# unbounded, growing eden makes every allocating benchmark measure page faults instead of Weft.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/mvnw" -q -B -pl benchmarks -am package -DskipTests
JAVA_HOME=$("$here/tools/find-jdk.sh")
exec "$JAVA_HOME/bin/java" -jar "$here/benchmarks/target/benchmarks.jar" \
  -jvmArgs '-Xms2g -Xmx2g -XX:+AlwaysPreTouch' "$@"
