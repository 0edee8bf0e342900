#!/usr/bin/env bash
# Provisions (once) and starts a Samba AD DC bound to the loopback interface only, as the reference peer for
# Weft's interop tests. Idempotent: provisions if there is no sam.ldb, starts if no samba runs.
# DNS, NetBIOS, WINS and replication services are off, so nothing leaves the machine.
#
#   realm RPCTEST.LOCAL, domain RPCTEST, DC rpcdc; user RPCTEST\rpcuser / RpcTest-Passw0rd1;
#   Administrator / AdminPassw0rd1; endpoint mapper on 127.0.0.1:135.
# Writes $WEFT_SAMBA_DIR/env.sh (KRB5_CONFIG, SMB_CONF_PATH, credentials) for clients.
set -euo pipefail
S=${WEFT_SAMBA_DIR:-/var/lib/weft-samba}
REALM=RPCTEST.LOCAL DOMAIN=RPCTEST HOST=rpcdc
ADMIN_PASS='AdminPassw0rd1' USER_NAME=rpcuser USER_PASS='RpcTest-Passw0rd1'
CONF=$S/etc/smb.conf
die() { echo "samba-up: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (Samba binds port 135)"
for b in samba samba-tool rpcclient; do
  command -v "$b" >/dev/null || die "$b is missing: run tools/interop/install.sh"
done
mkdir -p "$S/etc" "$S/run" "$S/log"

cat > "$S/krb5.conf" <<KRB
[libdefaults]
	default_realm = $REALM
	dns_lookup_realm = false
	dns_lookup_kdc = false
	rdns = false
[realms]
	$REALM = {
		kdc = 127.0.0.1
	}
[domain_realm]
	.${REALM,,} = $REALM
	${REALM,,} = $REALM
KRB
export KRB5_CONFIG=$S/krb5.conf

if [ ! -f "$S/private/sam.ldb" ]; then
  echo "samba-up: provisioning $REALM in $S"
  rm -rf "$S/private" "$S/state" "$S/cache" "$S/bind-dns" "$CONF"
  : > "$CONF"   # an empty file, so that /etc/samba/smb.conf is not inherited
  samba-tool domain provision --configfile="$CONF" --targetdir="$S" \
    --realm="$REALM" --domain="$DOMAIN" --host-name="$HOST" --server-role=dc \
    --dns-backend=NONE --host-ip=127.0.0.1 --adminpass="$ADMIN_PASS" \
    --option="interfaces = lo" --option="bind interfaces only = yes" \
    --option="pid directory = $S/run" --option="ncalrpc dir = $S/run/ncalrpc" \
    --option="log file = $S/log/log.%m" \
    --option="server services = -dns -dnsupdate -nbt -wrepl -kcc -drepl" \
    --option="disable netbios = yes" > "$S/log/provision.log" 2>&1 \
    || { tail -20 "$S/log/provision.log" >&2; die "provisioning failed"; }
  # Level CONNECT is what some tests use; several auth contexts per connection for multiplexing tests.
  sed -i 's/^\[global\]$/[global]\n\tallow dcerpc auth level connect = yes\n\tdcesrv:max auth states = 8/' "$CONF"
  samba-tool user create "$USER_NAME" "$USER_PASS" -H "$S/private/sam.ldb" --configfile="$CONF" >/dev/null
  samba-tool user setexpiry "$USER_NAME" --noexpiry -H "$S/private/sam.ldb" --configfile="$CONF" >/dev/null
fi
grep -q '^	bind interfaces only = Yes' "$CONF" || die "$CONF does not bind to loopback only; refusing to start"

running() {
  local p; p=$(cat "$S/run/samba.pid" 2>/dev/null) || return 1
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null && tr '\0' ' ' < "/proc/$p/cmdline" | grep -q '^samba'
}
if ! running; then
  ss -Hltn 'sport = :135' | grep -q '127.0.0.1:135' && die "something else listens on 127.0.0.1:135"
  (cd / && samba --configfile="$CONF" -D)
  for _ in $(seq 1 120); do
    rpcclient -s "$CONF" -U% ncacn_ip_tcp:127.0.0.1 -c epmmap >/dev/null 2>&1 && break
    sleep 0.5
  done
  running || die "samba did not start; see $S/log/"
  echo "samba-up: started, pid $(cat "$S/run/samba.pid")"
fi

# Service accounts for Weft's own Kerberos server, each with an SPN host/NAME, the given msDS-SupportedEncryptionTypes
# (which decide the tickets' encryption: without it the KDC would pick RC4-HMAC) and a keytab. Idempotent: an account
# whose keytab exists is left alone. Samba is neither restarted nor reprovisioned.
service_account() {
  local user=$1 pass=$2 host=$3 enctypes=$4 keytab=$5
  [ -s "$keytab" ] && return 0
  samba-tool user create "$user" "$pass" -H "$S/private/sam.ldb" --configfile="$CONF" >/dev/null 2>&1 || true
  samba-tool user setexpiry "$user" --noexpiry -H "$S/private/sam.ldb" --configfile="$CONF" >/dev/null
  samba-tool spn add "host/$host" "$user" -H "$S/private/sam.ldb" --configfile="$CONF" >/dev/null 2>&1 || true
  /usr/bin/python3 - "$CONF" "$S/private/sam.ldb" "$user" "$enctypes" <<'PY' || die "could not set the enctypes of $user"
import sys, ldb
from samba.samdb import SamDB
from samba.auth import system_session
from samba.param import LoadParm
lp = LoadParm(); lp.load(sys.argv[1])
db = SamDB(url=sys.argv[2], session_info=system_session(), lp=lp)
m = ldb.Message(); m.dn = ldb.Dn(db, "CN=%s,CN=Users,%s" % (sys.argv[3], db.domain_dn()))
m["e"] = ldb.MessageElement(sys.argv[4], ldb.FLAG_MOD_REPLACE, "msDS-SupportedEncryptionTypes")
db.modify(m)
PY
  samba-tool domain exportkeytab "$keytab" --principal="host/$host" --configfile="$CONF" >/dev/null 2>&1 \
    || die "could not export the keytab of host/$host"
}
# host/weft.rpctest.local: AES only (24). host/weftrc4.rpctest.local: RC4-HMAC only (4), for the RC4 tests.
service_account weftsvc 'WeftSvc-Passw0rd1' weft.rpctest.local 24 "$S/weft.keytab"
service_account weftrc4 'WeftRc4-Passw0rd1' weftrc4.rpctest.local 4 "$S/weftrc4.keytab"
# smbtorture needs the names to resolve (Samba's clients do no Kerberos to an IP address).
grep -q 'weft.rpctest.local' /etc/hosts 2>/dev/null || { [ -w /etc/hosts ] && echo '127.0.0.5 weft.rpctest.local' >> /etc/hosts; }
grep -q 'weftrc4\.rpctest\.local' /etc/hosts 2>/dev/null || { [ -w /etc/hosts ] && echo '127.0.0.8 weftrc4.rpctest.local' >> /etc/hosts; }

cat > "$S/env.sh" <<ENV
export KRB5_CONFIG=$S/krb5.conf
export SMB_CONF_PATH=$CONF
export WEFT_SAMBA_HOST=127.0.0.1 WEFT_SAMBA_DOMAIN=$DOMAIN WEFT_SAMBA_REALM=$REALM
export WEFT_SAMBA_USER=$USER_NAME WEFT_SAMBA_PASSWORD='$USER_PASS'
export WEFT_SAMBA_KEYTAB=$S/weft.keytab WEFT_SAMBA_SERVICE=host/weft.rpctest.local@$REALM
export WEFT_SAMBA_RC4_KEYTAB=$S/weftrc4.keytab WEFT_SAMBA_RC4_SERVICE=host/weftrc4.rpctest.local@$REALM
ENV
