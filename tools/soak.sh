#!/usr/bin/env bash
# Issue 10's soak: 64 clients against one Weft server at mixed auth levels, fragmented and pending calls, for a set
# time; prints calls, failures, pending calls answered, and descriptors/threads/heap before and after.
#   tools/soak.sh [seconds, default 600] [clients, default 64]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/mvnw" -q -B -o package -pl fuzz -DskipTests >&2 || "$here/mvnw" -q -B package -pl fuzz -DskipTests >&2
JAVA_HOME=$("$here/tools/find-jdk.sh")
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$here/fuzz/target/classes:$(cat "$here/fuzz/target/fuzz.classpath")" \
  dev.weft.fuzz.Soak "${1:-600}" "${2:-64}"
