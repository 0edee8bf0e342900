#!/usr/bin/env bash
# Links the weft command into a self-contained runtime image, cli/target/weft-image: bin/weft, the JDK modules
# it needs and Weft's named modules, nothing else; no JDK needed where it runs (same OS and arch).
# Builds the jars first if they are missing or stale (as tools/weft does).
#
#   tools/jlink.sh          # the small image (no class-data archive)
#   tools/jlink.sh --aot    # plus an AOT cache (JDK 25+) from a training run of `weft serve`: faster cold
#                           # start, about 15 MiB more (docs/benchmarks.md has both figures)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
aot=no
case "${1:-}" in
  --aot) aot=yes ;;
  "") ;;
  *) echo "usage: tools/jlink.sh [--aot]" >&2; exit 2 ;;
esac
JAVA_HOME=$("$root/tools/find-jdk.sh")
"$root/tools/weft" --version >/dev/null   # builds the jars when needed
cli_jar=$(ls "$root"/cli/target/weft-cli-*.jar | grep -v -e '-sources' -e '-javadoc' -e '-all' | head -n1)
out="$root/cli/target/weft-image"
rm -rf "$out"
# java.logging backs System.Logger; jdk.jfr (server events), jdk.net (SO_PEERCRED for ncalrpc) and java.compiler
# (the IDL compiler's keyword list) come in through the modules' requires. No CDS archive by default: the JDK's
# default one is 2 x 14 MiB and would double the image.
"$JAVA_HOME/bin/jlink" \
  --module-path "$root/cli/target/lib:$cli_jar" \
  --add-modules dev.weft.cli,java.logging \
  --strip-debug --no-header-files --no-man-pages \
  --compress zip-6 \
  --output "$out"
# The JDK's native libraries keep their symbol tables (libjvm.so: 29 MiB, 25 stripped); strip them if binutils
# is there. Debuggers lose symbol names, nothing else changes.
if command -v strip >/dev/null; then
  strip --strip-unneeded "$out"/lib/server/libjvm.so "$out"/lib/*.so 2>/dev/null || true
fi

# jlink's own launcher runs java as a child of sh, so a SIGTERM to it would leave a server running: exec instead.
cat > "$out/bin/weft" <<'SH'
#!/bin/sh
# The weft command, from this runtime image. JAVA_OPTS adds JVM options.
dir=$(cd "$(dirname "$0")/.." && pwd)
aot=
[ -f "$dir/lib/weft.aot" ] && aot="-XX:AOTCache=$dir/lib/weft.aot"
exec "$dir/bin/java" $aot $JAVA_OPTS -m dev.weft.cli/dev.weft.cli.Weft "$@"
SH
chmod +x "$out/bin/weft"

if [ "$aot" = yes ]; then
  if ! "$out/bin/java" -XX:AOTCacheOutput=/dev/null -version >/dev/null 2>&1; then
    echo "jlink.sh: this JDK ($("$out/bin/java" -version 2>&1 | head -n1)) has no AOT cache (JDK 25+); image left without" >&2
  else
    # Training run: the server starts, answers mgmt, epm and echo, and stops; the JVM writes what it loaded and
    # linked (and how the hot methods behaved) into the cache as it exits.
    port=${WEFT_TRAIN_PORT:-13799}
    "$out/bin/java" -XX:AOTCacheOutput="$out/lib/weft.aot" -m dev.weft.cli/dev.weft.cli.Weft serve \
      --listen "ncacn_ip_tcp:127.0.0.1[$port]" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
      "$out/bin/weft" mgmt "ncacn_ip_tcp:127.0.0.1[$port]" >/dev/null 2>&1 && break
      sleep 0.1
    done
    "$out/bin/weft" epm "ncacn_ip_tcp:127.0.0.1[$port]" >/dev/null
    "$out/bin/weft" echo "ncacn_ip_tcp:127.0.0.1[$port]" >/dev/null
    kill -TERM "$pid"; wait "$pid" || true
    [ -f "$out/lib/weft.aot" ] || echo "jlink.sh: the training run wrote no AOT cache" >&2
  fi
fi
size=$(du -sk "$out" | cut -f1)
echo "weft image: $out ($((size / 1024)) MiB); modules: $("$out/bin/java" --list-modules | cut -d@ -f1 | tr '\n' ' ')"
