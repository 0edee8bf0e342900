#!/usr/bin/env bash
# Prints the home of a JDK >= 21: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
# The machine's default java may be 17; Weft needs 21+ to build (it targets --release 21).
set -u
major() {  # major version of the JDK at $1, or 0
  local v
  [ -x "$1/bin/javac" ] || { echo 0; return; }
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v:-0}" | cut -d. -f1
}
if [ -n "${JAVA_HOME:-}" ] && [ "$(major "$JAVA_HOME")" -ge 21 ]; then
  echo "$JAVA_HOME"; exit 0
fi
best=""; bestv=0
for d in /usr/lib/jvm/*/; do
  d=${d%/}; [ -L "$d" ] && continue
  v=$(major "$d")
  if [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
done
[ -n "$best" ] || { echo "find-jdk: no JDK >= 21 in JAVA_HOME or /usr/lib/jvm; install one (e.g. apt-get install openjdk-21-jdk-headless)" >&2; exit 1; }
echo "$best"
