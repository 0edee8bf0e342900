#!/usr/bin/env bash
# Runs Weft's fuzzer (module fuzz) with a time budget:
#   tools/fuzz.sh TARGET|all [--seconds N] [--seed S] [--execs N] [--hang-ms N] [--out DIR]
#   tools/fuzz.sh --replay FILE            # one kept input (fuzz/src/test/resources/findings/...)
# Targets: pdu, reassembly, stubs, ntlm, spnego, krb, server (docs/robustness.md says what each one checks).
# Prints executions, executions per second and findings per target; writes each distinct finding to
# fuzz/target/fuzz-findings/<target>/ (or --out DIR) and exits 1 when there was one. Set WEFT_FUZZ_NO_BUILD=1 to skip the
# build (the sibling modules must have been installed: ./mvnw -B -q install -DskipTests -pl <siblings>).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${WEFT_FUZZ_NO_BUILD:-}" ]; then
  "$here/mvnw" -q -B -o package -pl fuzz -DskipTests >&2 || "$here/mvnw" -q -B package -pl fuzz -DskipTests >&2
fi
JAVA_HOME=$("$here/tools/find-jdk.sh")
cp="$here/fuzz/target/classes:$(cat "$here/fuzz/target/fuzz.classpath")"
exec "$JAVA_HOME/bin/java" -Xms512m -Xmx1g -XX:+UseParallelGC -XX:-OmitStackTraceInFastThrow -cp "$cp" dev.weft.fuzz.Fuzz --out "$here/fuzz/target/fuzz-findings" "$@"
