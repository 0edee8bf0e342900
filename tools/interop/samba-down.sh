#!/usr/bin/env bash
# Stops the Samba AD DC that samba-up.sh started, by its PID file only; --wipe also deletes its state.
set -euo pipefail
S=${WEFT_SAMBA_DIR:-/var/lib/weft-samba}
p=$(cat "$S/run/samba.pid" 2>/dev/null || true)
if [ -n "$p" ] && kill -0 "$p" 2>/dev/null && tr '\0' ' ' < "/proc/$p/cmdline" | grep -q '^samba'; then
  kill -TERM "$p"
  for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$p" 2>/dev/null || true
  echo "samba-down: stopped $p"
fi
rm -f "$S/run/samba.pid"
if [ "${1:-}" = --wipe ]; then
  case "$S" in /var/lib/weft-samba*|/tmp/*) rm -rf "$S" ;; *) echo "samba-down: not wiping $S" >&2; exit 1 ;; esac
fi
