#!/usr/bin/env bash
# Installs the real peers Weft's interop tests run against (Debian packages, loopback use only):
# a Samba AD DC, its clients (rpcclient, smbtorture, Samba's Python bindings) and tshark.
# Idempotent and quiet when everything is there already; needs root.
set -euo pipefail
pkgs=(samba samba-dsdb-modules winbind smbclient python3-samba samba-testsuite tshark)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]})) || exit 0
[ "$(id -u)" = 0 ] || { echo "interop/install.sh: need root to install: ${missing[*]}" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
echo "interop/install.sh: installing ${missing[*]}"
apt-get update -qq
# tshark asks whether non-root users may capture; the default answer (no) is fine here.
apt-get install -y -qq "${missing[@]}" >/dev/null
