#!/usr/bin/env bash
# Runs issue 10's fault harness (dev.weft.fuzz.Faults, module fuzz): a Weft server and a well-behaved client in this
# JVM, the attack in a second JVM (dev.weft.fuzz.Attacker).
#   tools/faults.sh [--seconds N] [--attackers N] [--limit N] [--attempts N] [--timeouts-ms N] [fault ...]
# Faults: none slowloris killed reset bind-flood oversize half-open limit (default: all; docs/robustness.md).
# Set WEFT_FUZZ_NO_BUILD=1 to skip the build (as for tools/fuzz.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${WEFT_FUZZ_NO_BUILD:-}" ]; then
  "$here/mvnw" -q -B -o package -pl fuzz -DskipTests >&2 || "$here/mvnw" -q -B package -pl fuzz -DskipTests >&2
fi
JAVA_HOME=$("$here/tools/find-jdk.sh")
cp="$here/fuzz/target/classes:$(cat "$here/fuzz/target/fuzz.classpath")"
exec "$JAVA_HOME/bin/java" -Xms256m -Xmx2g -cp "$cp" dev.weft.fuzz.Faults "$@"
