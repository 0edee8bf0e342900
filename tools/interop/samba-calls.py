# Drives Samba's own client (python3-samba's dcerpc bindings; smbtorture for dssetup, which has no Python binding)
# through the operations of epmapper, mgmt, samr, lsarpc, netlogon and dssetup over TCP, and of lsarpc and srvsvc
# over SMB named pipes (where Samba serves the LSA policy calls and srvsvc), for tools/interop/capture-samba.sh.
# Run with /usr/bin/python3:
#
#   samba-calls.py SMB_CONF VARIANT TARGET
#     VARIANT  ndr (little-endian NDR, what Samba's clients send), bigendian (Samba's "bigendian" binding option:
#              NDR with drep 0x00), ndr64 (the "ndr64" option: Samba's client offers NDR64 only)
#     TARGET   samba (the AD DC on 127.0.0.1: endpoints from its endpoint mapper), or weft:PORT (a Weft server
#              serving every interface on 127.0.0.1:PORT, unauthenticated; the steps Weft cannot serve are left
#              out: schannel, SMB). The SMB steps run in the little-endian NDR run only.
#
# Each step prints one JSON line: its time span and, per client connection it made, the server port and the calls
# (label, interface, opnum, outcome, and the values Samba's client decoded, as text), so that
# tools/interop/dcerpc_capture.py can find that connection in the capture. Connections Samba's library opens by
# itself (the schannel key exchange) are listed too, with the calls they are known to make.
import hmac
import json
import os
import struct
import subprocess
import sys
import time
import uuid

import samba
from samba import credentials, param
from samba.dcerpc import epmapper, lsa, misc, mgmt, netlogon, ntlmssp, samr, security, srvsvc
from samba.ndr import ndr_pack, ndr_unpack

CONF, VARIANT, TARGET = sys.argv[1:4]
WEFT_PORT = int(TARGET.split(":")[1]) if TARGET.startswith("weft:") else None
HOST = "127.0.0.1"
DOMAIN, DNS_DOMAIN, DC = "RPCTEST", "rpctest.local", "RPCDC"
ADMIN, ADMIN_PASSWORD = "Administrator", "AdminPassw0rd1"
USER, USER_PASSWORD = "rpcuser", "RpcTest-Passw0rd1"
# The workstation account capture-samba.sh keeps (created if missing, its password set before each run).
MACHINE, MACHINE_PASSWORD = "WEFTCAP", os.environ.get("WEFTCAP_PASSWORD", "WeftCap-Machine-Passw0rd1")

IFACES = {
    "epmapper": "e1af8308-5d1f-11c9-91a4-08002b14a0fa",
    "mgmt": "afa8bd80-7d8a-11c9-bef4-08002b102989",
    "samr": "12345778-1234-abcd-ef00-0123456789ac",
    "lsarpc": "12345778-1234-abcd-ef00-0123456789ab",
    "netlogon": "12345678-1234-abcd-ef00-01234567cffb",
    "dssetup": "3919286a-b10c-11d0-9ba8-00c04fd92ef5",
    "srvsvc": "4b324fc8-1670-01d3-1278-5a47bf6ee188",
}
VERSIONS = {"epmapper": (3, 0), "mgmt": (1, 0), "samr": (1, 0), "lsarpc": (0, 0), "netlogon": (1, 0), "dssetup": (0, 0)}
LITTLE_ENDIAN = "10000000"
NDR20 = ("8a885d04-1ceb-11c9-9fe8-08002b104860", 2)
NDR64 = ("71710533-beba-4937-8319-b5dbef9ccc36", 1)

lp = param.LoadParm()
lp.load(CONF)


def creds(user=None, password=None, machine=False):
    c = credentials.Credentials()
    c.guess(lp)
    c.set_kerberos_state(credentials.DONT_USE_KERBEROS)
    if user is None:
        c.set_anonymous()
        return c
    c.set_username(user)
    c.set_password(password)
    c.set_domain(DOMAIN)
    if machine:
        c.set_secure_channel_type(misc.SEC_CHAN_WKSTA)
        c.set_workstation(MACHINE)
    return c


ANONYMOUS = creds()


def dump(v, depth=0):
    """The values Samba's client decoded, as text: what a later run with another syntax must decode alike."""
    if depth > 12:
        return "..."
    if v is None or isinstance(v, (bool, int, float, str)):
        return repr(v)
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(dump(x, depth + 1) for x in v) + "]"
    if type(v).__name__ in ("dom_sid", "GUID"):
        return str(v)
    fields = []
    for name in sorted(dir(v)):
        if name.startswith("_"):
            continue
        try:
            x = getattr(v, name)
        except Exception:
            continue
        if callable(x):
            continue
        fields.append("%s=%s" % (name, dump(x, depth + 1)))
    return type(v).__name__ + "(" + " ".join(fields) + ")"


def outcome(e):
    if isinstance(e, samba.NTSTATUSError):
        return "NTSTATUS 0x%08x" % (e.args[0] & 0xFFFFFFFF)
    if isinstance(e, samba.WERRORError):
        return "WERR 0x%08x" % (e.args[0] & 0xFFFFFFFF)
    return "error %s" % (e,)


class Conn:
    """One client connection: its port and the calls made on it."""

    def __init__(self, iface, port, client=None):
        self.iface, self.port, self.client, self.calls = iface, port, client, []

    def call(self, label, opnum, fn, iface=None):
        iface = iface or self.iface
        try:
            value, result = fn(), "ok"
        except Exception as e:
            value, result = None, outcome(e)
        self.calls.append({"label": label, "name": iface, "iface": IFACES[iface], "opnum": opnum,
                           "outcome": result, "values": dump(value)})
        return value

    def expect(self, label, opnum, iface=None, drep=None):
        """A call Samba's library makes by itself on this connection (drep: when it ignores the binding's)."""
        iface = iface or self.iface
        self.calls.append({"label": label, "name": iface, "iface": IFACES[iface], "opnum": opnum,
                           "outcome": "library", "values": ""})
        if drep:
            self.calls[-1]["drep"] = drep
            if VARIANT != "ndr":   # the same call in each run: tell them apart
                self.calls[-1]["label"] += "-in-%s-run" % VARIANT

    schannel_setup = None   # the index in its step of the connection that set its secure channel up

    def json(self):
        j = {"port": self.port, "calls": self.calls}
        if self.schannel_setup is not None:
            j["schannel_setup"] = self.schannel_setup
        return j


class Step:
    def __init__(self, name):
        self.name, self.conns = name, []

    def __enter__(self):
        self.start = time.time()
        return self

    def conn(self, iface, port, factory=None, options="", pipe=None):
        """
        A connection to iface on TCP port, or through SMB (port 445) to a named pipe, made by factory(binding), or to
        be described by the caller.
        """
        if pipe:
            binding = "ncacn_np:%s[%s]" % (HOST, ",".join(x for x in ("\\pipe\\" + pipe, options) if x))
        else:
            binding = "ncacn_ip_tcp:%s[%s]" % (HOST, ",".join(x for x in (str(port), options, variant_option()) if x))
        c = Conn(iface, port, factory(binding) if factory else None)
        self.conns.append(c)
        return c

    def __exit__(self, *exc):
        if exc[0] is None:
            print(json.dumps({"step": self.name, "start": self.start, "end": time.time(),
                              "syntax": "ndr64" if VARIANT == "ndr64" else "ndr",
                              "drep": "00000000" if VARIANT == "bigendian" else "10000000",
                              "connections": [c.json() for c in self.conns if c.calls]}), flush=True)
        return False


def variant_option():
    return {"ndr": "", "bigendian": "bigendian", "ndr64": "ndr64"}[VARIANT]


# ------------------------------------------------------------------------------------------------ towers

def floor(lhs, rhs):
    return struct.pack("<H", len(lhs)) + lhs + struct.pack("<H", len(rhs)) + rhs


def tower(iface, version, syntax=NDR20, port=0):
    """An ncacn_ip_tcp tower (C706 appendix L): interface, transfer syntax, ncacn, TCP port, IPv4 0.0.0.0."""
    b = struct.pack("<H", 5)
    b += floor(b"\x0d" + uuid.UUID(iface).bytes_le + struct.pack("<H", version[0]), struct.pack("<H", version[1]))
    b += floor(b"\x0d" + uuid.UUID(syntax[0]).bytes_le + struct.pack("<H", syntax[1]), struct.pack("<H", 0))
    b += floor(b"\x0b", struct.pack("<H", 0))
    b += floor(b"\x07", struct.pack(">H", port))
    b += floor(b"\x09", bytes(4))
    # Samba's Python binding takes a twr_t through its NDR form: tower_length, then the octets as a subcontext.
    return ndr_unpack(epmapper.epm_twr_t, struct.pack("<II", len(b), len(b)) + b)


def port_of(towers):
    """The TCP port in the first tower ept_map answered with."""
    for t in towers or []:
        twr = t.twr if hasattr(t, "twr") else t
        for f in twr.tower.floors:
            if f.lhs.protocol == epmapper.EPM_PROTOCOL_TCP:
                return f.rhs.port
    return None


def guid(text):
    return misc.GUID(text)


def lsa_string(s):
    x = lsa.String()
    x.string = s
    return x


# ------------------------------------------------------------------------------------------------ steps

PORTS = {}


def epmapper_step():
    with Step("epmapper") as step:
        c = step.conn("epmapper", WEFT_PORT or 135, lambda b: epmapper.epmapper(b, lp, ANONYMOUS))
        e = c.client
        zero = misc.policy_handle()
        for name in ("netlogon", "lsarpc", "samr", "dssetup", "epmapper", "mgmt"):
            r = c.call("map-" + name, 3, lambda: e.epm_Map(None, tower(IFACES[name], VERSIONS[name]), zero, 4))
            if r:
                PORTS[name] = port_of(r[1])
        c.call("map-samr-ndr64", 3, lambda: e.epm_Map(None, tower(IFACES["samr"], (1, 0), NDR64), zero, 4))
        c.call("map-samr-one-tower", 3, lambda: e.epm_Map(None, tower(IFACES["samr"], (1, 0)), zero, 1))
        c.call("map-not-registered", 3, lambda: e.epm_Map(
            None, tower("60a15ec5-4de8-11d7-a637-005056a20182", (1, 0)), zero, 4))   # rpcecho: not in Samba
        c.call("map-with-object", 3, lambda: e.epm_Map(
            guid("a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f"), tower(IFACES["samr"], (1, 0)), zero, 4))
        # The whole table: Samba answers everything at once with a handle, then "not registered" (PEERS.md).
        r = c.call("lookup-all", 2, lambda: e.epm_Lookup(0, None, None, 1, zero, 500))
        if r:
            c.call("lookup-all-next", 2, lambda: e.epm_Lookup(0, None, None, 1, r[0], 500))
            c.call("lookup-handle-free", 4, lambda: e.epm_LookupHandleFree(r[0]))
        r = c.call("lookup-few", 2, lambda: e.epm_Lookup(0, None, None, 1, zero, 3))
        if r:
            c.call("lookup-few-next", 2, lambda: e.epm_Lookup(0, None, None, 1, r[0], 3))
            c.call("lookup-few-handle-free", 4, lambda: e.epm_LookupHandleFree(r[0]))
        iface = epmapper.rpc_if_id_t()
        iface.uuid = guid(IFACES["samr"])
        iface.vers_major, iface.vers_minor = 1, 0
        r = c.call("lookup-by-interface", 2, lambda: e.epm_Lookup(3, None, iface, 1, zero, 10))
        c.call("lookup-handle-free-zero", 4, lambda: e.epm_LookupHandleFree(zero))
        c.call("inq-object", 5, lambda: e.epm_InqObject(guid("a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f")))
        entry = epmapper.epm_entry_t()
        entry.object = guid("00000000-0000-0000-0000-000000000000")
        entry.tower = tower(IFACES["samr"], (1, 0), port=1)
        entry.annotation = "weft capture"
        c.call("insert", 0, lambda: e.epm_Insert([entry], 0))
        c.call("delete", 1, lambda: e.epm_Delete([entry]))
        c.call("mgmt-delete", 6, lambda: e.epm_MgmtDelete(0, None, tower(IFACES["samr"], (1, 0), port=1)))
    if WEFT_PORT:
        for name in IFACES:
            PORTS[name] = WEFT_PORT


def mgmt_step():
    with Step("mgmt") as step:
        for where in ("epmapper", "netlogon", "lsarpc", "samr"):
            port = (WEFT_PORT or 135) if where == "epmapper" else PORTS[where]
            c = step.conn("mgmt", port, lambda b: mgmt.mgmt(b, lp, ANONYMOUS))
            m = c.client
            c.call("inq-if-ids-" + where, 0, m.inq_if_ids)
            c.call("inq-stats-" + where, 1, lambda: m.inq_stats(4, 0))
            c.call("is-server-listening-" + where, 2, m.is_server_listening)
            if where == "samr":
                for proto, name in ((9, "spnego"), (10, "ntlm"), (16, "krb5"), (0, "none")):
                    c.call("inq-princ-name-%s-%s" % (name, where), 4, lambda: m.inq_princ_name(proto, 256))
            else:
                c.call("inq-princ-name-ntlm-" + where, 4, lambda: m.inq_princ_name(10, 256))
            c.call("stop-server-listening-" + where, 3, m.stop_server_listening)


def samr_step():
    admin = creds(ADMIN, ADMIN_PASSWORD)
    with Step("samr") as step:
        # Integrity, not privacy: the stubs stay readable on the wire (no authentication against Weft's replay).
        c = step.conn("samr", PORTS["samr"], lambda b: samr.samr(b, lp, ANONYMOUS if WEFT_PORT else admin),
                      "" if WEFT_PORT else "ntlm,sign")
        s = c.client
        MAX = security.SEC_FLAG_MAXIMUM_ALLOWED
        h0 = c.call("connect", 0, lambda: s.Connect(None, MAX))
        h2 = c.call("connect2", 57, lambda: s.Connect2("\\\\" + DC, MAX))
        c.call("connect3", 61, lambda: s.Connect3(None, 0, MAX))
        h4 = c.call("connect4", 62, lambda: s.Connect4(None, 2, MAX))
        info = samr.ConnectInfo1()
        info.client_version, info.supported_features = 3, 0
        r5 = c.call("connect5", 64, lambda: s.Connect5(None, MAX, 1, info))
        h = r5[2] if r5 else h2
        c.call("enum-domains", 6, lambda: s.EnumDomains(h, 0, 0xFFFFFFFF))
        sid = c.call("lookup-domain", 5, lambda: s.LookupDomain(h, lsa_string(DOMAIN)))
        builtin = c.call("lookup-domain-builtin", 5, lambda: s.LookupDomain(h, lsa_string("Builtin")))
        c.call("lookup-domain-unknown", 5, lambda: s.LookupDomain(h, lsa_string("NOSUCHDOMAIN")))
        c.call("query-security-connect", 3, lambda: s.QuerySecurity(h, security.SECINFO_OWNER | security.SECINFO_DACL))
        d = c.call("open-domain", 7, lambda: s.OpenDomain(h, MAX, sid))
        b = c.call("open-domain-builtin", 7, lambda: s.OpenDomain(h, MAX, builtin))
        for level in (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13):
            c.call("query-domain-info-%d" % level, 8, lambda: s.QueryDomainInfo(d, level))
        c.call("query-domain-info2-12", 46, lambda: s.QueryDomainInfo2(d, 12))
        c.call("query-domain-info-builtin-2", 8, lambda: s.QueryDomainInfo(b, 2))
        c.call("enum-domain-users", 13, lambda: s.EnumDomainUsers(d, 0, 0, 0xFFFFFFFF))
        c.call("enum-domain-users-normal-small", 13, lambda: s.EnumDomainUsers(d, 0, samr.ACB_NORMAL, 40))
        c.call("enum-domain-groups", 11, lambda: s.EnumDomainGroups(d, 0, 0xFFFFFFFF))
        c.call("enum-domain-aliases-builtin", 15, lambda: s.EnumDomainAliases(b, 0, 0xFFFFFFFF))
        names = [lsa_string(n) for n in (USER, ADMIN, "Domain Admins", "nosuchuser")]
        r = c.call("lookup-names", 17, lambda: s.LookupNames(d, names))
        c.call("lookup-names-none-mapped", 17, lambda: s.LookupNames(d, [lsa_string("nosuchuser")]))
        c.call("lookup-rids", 18, lambda: s.LookupRids(d, [500, 501, 512, 513, 4242]))
        user_rid = r[0].ids[0] if r else 1104
        u = c.call("open-user", 34, lambda: s.OpenUser(d, MAX, user_rid))
        a = c.call("open-user-administrator", 34, lambda: s.OpenUser(d, MAX, 500))
        c.call("open-user-unknown", 34, lambda: s.OpenUser(d, MAX, 4242))
        for level in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 20, 21, 23, 24, 25, 26):
            c.call("query-user-info-%d" % level, 36, lambda: s.QueryUserInfo(u, level))
        c.call("query-user-info2-21-administrator", 47, lambda: s.QueryUserInfo2(a, 21))
        c.call("get-user-pw-info", 44, lambda: s.GetUserPwInfo(u))
        c.call("get-dom-pw-info", 56, lambda: s.GetDomPwInfo(lsa_string(DOMAIN)))
        c.call("get-dom-pw-info-null", 56, lambda: s.GetDomPwInfo(None))
        c.call("get-groups-for-user", 39, lambda: s.GetGroupsForUser(a))
        sids = lsa.SidArray()
        ptrs = []
        for text in ("%s-%d" % (sid, 500), "%s-%d" % (sid, 513)):
            p = lsa.SidPtr()
            p.sid = security.dom_sid(text)
            ptrs.append(p)
        sids.sids, sids.num_sids = ptrs, len(ptrs)
        c.call("get-alias-membership-builtin", 16, lambda: s.GetAliasMembership(b, sids))
        for level in (1, 2, 3, 4, 5):
            c.call("query-display-info-%d" % level, 40, lambda: s.QueryDisplayInfo(d, level, 0, 100, 0xFFFF))
        c.call("query-display-info2-1", 48, lambda: s.QueryDisplayInfo2(d, 1, 1, 2, 0xFFFF))
        c.call("query-display-info3-1", 51, lambda: s.QueryDisplayInfo3(d, 1, 0, 100, 0xFFFF))
        c.call("get-display-enumeration-index", 41, lambda: s.GetDisplayEnumerationIndex(d, 1, lsa_string(USER)))
        g = c.call("open-group", 19, lambda: s.OpenGroup(d, MAX, 512))
        for level in (1, 2, 3, 4, 5):
            c.call("query-group-info-%d" % level, 20, lambda: s.QueryGroupInfo(g, level))
        c.call("query-group-member", 25, lambda: s.QueryGroupMember(g))
        al = c.call("open-alias", 27, lambda: s.OpenAlias(b, MAX, 544))
        for level in (1, 2, 3):
            c.call("query-alias-info-%d" % level, 28, lambda: s.QueryAliasInfo(al, level))
        c.call("get-members-in-alias", 33, lambda: s.GetMembersInAlias(al))
        c.call("rid-to-sid", 65, lambda: s.RidToSid(d, 500))
        c.call("query-security-user", 3, lambda: s.QuerySecurity(u, security.SECINFO_DACL))
        for label, handle in (("user", u), ("user-administrator", a), ("group", g), ("alias", al),
                              ("domain", d), ("domain-builtin", b), ("connect5", h), ("connect4", h4),
                              ("connect", h0)):
            if handle is not None:
                c.call("close-" + label, 1, lambda: s.Close(handle))
        c.call("close-closed", 1, lambda: s.Close(u))


# Netlogon credentials (MS-NRPC 3.1.4.3.1, 3.1.4.4.1): the AES session key and credential computation, so that
# this script can authenticate the workstation account itself, with its own challenges.
def session_key(nt_hash, client_challenge, server_challenge):
    return hmac.new(nt_hash, client_challenge + server_challenge, "sha256").digest()[:16]


def credential(key, data):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    e = Cipher(algorithms.AES(key), modes.CFB8(bytes(16))).encryptor()
    return e.update(data) + e.finalize()


def netr_credential(data):
    c = netlogon.netr_Credential()
    c.data = list(data)
    return c


def authenticator(key, stored, timestamp):
    """The next authenticator (3.1.4.5): the stored credential plus the time, encrypted; returns it and the new state."""
    low = (struct.unpack("<I", stored[:4])[0] + timestamp) & 0xFFFFFFFF
    stored = struct.pack("<I", low) + stored[4:]
    a = netlogon.netr_Authenticator()
    a.cred = netr_credential(credential(key, stored))
    a.timestamp = timestamp
    return a, stored


AES_FLAGS = 0x612FFFFF   # what Windows 10 offers: AES, strong keys, secure RPC, and the rest


def netlogon_step():
    machine = creds(MACHINE + "$", MACHINE_PASSWORD, machine=True)
    nt_hash = bytes(machine.get_nt_hash())
    server, computer, account = "\\\\" + DC, MACHINE, MACHINE + "$"
    with Step("netlogon") as step:
        c = step.conn("netlogon", PORTS["netlogon"], lambda b: netlogon.netlogon(b, lp, ANONYMOUS))
        n = c.client
        # The challenges are fixed, so the credentials below follow from them and the account's password alone.
        cc = bytes(range(1, 9))
        sc = c.call("req-challenge-1", 4, lambda: n.netr_ServerReqChallenge(server, computer, netr_credential(cc)))
        key = session_key(nt_hash, cc, bytes(sc.data)) if sc else bytes(16)
        client_cred = credential(key, cc)
        r = c.call("authenticate3", 26, lambda: n.netr_ServerAuthenticate3(
            server, account, misc.SEC_CHAN_WKSTA, computer, netr_credential(client_cred), AES_FLAGS))
        stored = client_cred
        a, stored = authenticator(key, stored, 0x5f000000)
        c.call("get-capabilities-no-schannel", 21, lambda: n.netr_LogonGetCapabilities(
            server, computer, a, netlogon.netr_Authenticator(), 1))
        cc2 = bytes(range(11, 19))
        sc2 = c.call("req-challenge-2", 4, lambda: n.netr_ServerReqChallenge(None, computer, netr_credential(cc2)))
        key2 = session_key(nt_hash, cc2, bytes(sc2.data)) if sc2 else bytes(16)
        c.call("authenticate2", 15, lambda: n.netr_ServerAuthenticate2(
            server, account, misc.SEC_CHAN_WKSTA, computer, netr_credential(credential(key2, cc2)), AES_FLAGS))
        cc3 = bytes(range(21, 29))
        c.call("req-challenge-3", 4, lambda: n.netr_ServerReqChallenge(server, computer, netr_credential(cc3)))
        # ServerAuthenticate has no flags: the DES credential of NT4, which this script does not compute.
        c.call("authenticate-wrong-credential", 5, lambda: n.netr_ServerAuthenticate(
            server, account, misc.SEC_CHAN_WKSTA, computer, netr_credential(bytes(8))))
        c.call("authenticate3-no-challenge", 26, lambda: n.netr_ServerAuthenticate3(
            server, "NOSUCHMACHINE$", misc.SEC_CHAN_WKSTA, "NOSUCHMACHINE", netr_credential(bytes(8)), AES_FLAGS))
        c.call("get-dc-name-ex2", 34, lambda: n.netr_DsRGetDCNameEx2(None, None, 0, None, None, None, 0))
        c.call("get-dc-name-ex2-dns", 34, lambda: n.netr_DsRGetDCNameEx2(
            server, account, 0x80, DNS_DOMAIN, None, None, 0x40000000))
        c.call("get-dc-name-ex", 27, lambda: n.netr_DsRGetDCNameEx(None, DOMAIN, None, None, 0))
        c.call("get-dc-name", 20, lambda: n.netr_DsRGetDCName(None, DOMAIN, None, None, 0))
        c.call("get-dc-name-nt4", 11, lambda: n.netr_GetDcName(server, DOMAIN))
        c.call("get-any-dc-name", 13, lambda: n.netr_GetAnyDCName(None, DOMAIN))
        c.call("get-site-name", 28, lambda: n.netr_DsRGetSiteName(None))
        c.call("enumerate-domain-trusts", 40, lambda: n.netr_DsrEnumerateDomainTrusts(None, 0x3f))
        addr = netlogon.netr_DsRAddress()
        addr.buffer = [2, 0, 0, 0, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
        addr.size = 16
        c.call("address-to-site-names", 33, lambda: n.netr_DsRAddressToSitenamesW(None, [addr]))
        c.call("address-to-site-names-ex", 37, lambda: n.netr_DsRAddressToSitenamesExW(None, [addr]))
        c.call("get-dc-site-coverage", 38, lambda: n.netr_DsrGetDcSiteCoverageW(None))
        c.call("forest-trust-information-anonymous", 43, lambda: n.netr_DsRGetForestTrustInformation(None, None, 0))
        c.call("logon-control-query", 12, lambda: n.netr_LogonControl(None, 1, 1))
        c.call("get-trust-rid", 23, lambda: n.netr_LogonGetTrustRid(None, DNS_DOMAIN))


def target_info(domain, computer):
    """The AV pairs an NTLMv2 response covers (MS-NLMP 2.2.2.1): the domain and computer names."""
    pairs = []
    for av_id, value in ((ntlmssp.MsvAvNbDomainName, domain), (ntlmssp.MsvAvNbComputerName, computer),
                         (ntlmssp.MsvAvEOL, None)):
        p = ntlmssp.AV_PAIR()
        p.AvId = av_id
        if value is not None:
            p.Value = value
        pairs.append(p)
    t = ntlmssp.AV_PAIR_LIST()
    t.count, t.pair = len(pairs), pairs
    return ndr_pack(t)


def netlogon_schannel_step():
    """Samba's library sets the secure channel up itself (ReqChallenge, Authenticate2 on a connection of its own)."""
    machine = creds(MACHINE + "$", MACHINE_PASSWORD, machine=True)
    server, computer = "\\\\" + DC, MACHINE
    with Step("netlogon-schannel") as step:
        # It asks the endpoint mapper for netlogon, in little-endian NDR whatever the binding says.
        epm = step.conn("epmapper", 135)
        epm.expect("schannel-map-netlogon", 3, drep=LITTLE_ENDIAN)
        setup = step.conn("netlogon", PORTS["netlogon"])
        setup.expect("schannel-req-challenge", 4)
        setup.expect("schannel-authenticate2", 15)
        # Samba 4.17 requires sealing on a secure channel (server schannel require seal, CVE-2022-38023):
        # dcerpc_capture.py decrypts the stubs with the session key of the setup connection.
        c = step.conn("netlogon", PORTS["netlogon"], lambda b: netlogon.netlogon(b, lp, machine), "schannel,seal")
        c.schannel_setup = 1
        # The library's first call on a secure channel checks the flags it negotiated (a downgrade check).
        c.expect("schannel-library-get-capabilities", 21)
        n = c.client

        def current():
            a = machine.new_client_authenticator()
            x = netlogon.netr_Authenticator()
            x.cred = netr_credential(a["credential"])
            x.timestamp = a["timestamp"]
            return x

        c.call("schannel-get-capabilities", 21, lambda: n.netr_LogonGetCapabilities(
            server, computer, current(), netlogon.netr_Authenticator(), 1))
        c.call("schannel-get-trust-info", 46, lambda: n.netr_ServerGetTrustInfo(
            server, MACHINE + "$", misc.SEC_CHAN_WKSTA, computer, current()))
        # A network logon of rpcuser, NTLMv2 over the secure channel (MS-NRPC 3.5.4.5.1).
        user = creds(USER, USER_PASSWORD)
        challenge = bytes(range(0x40, 0x48))
        resp = user.get_ntlm_response(flags=credentials.CLI_CRED_NTLMv2_AUTH, challenge=challenge,
                                      target_info=target_info(DOMAIN, computer))
        logon = netlogon.netr_NetworkInfo()
        logon.challenge = list(challenge)
        logon.nt = netlogon.netr_ChallengeResponse()
        logon.nt.length = logon.nt.size = len(resp["nt_response"])
        logon.nt.data = list(resp["nt_response"])
        logon.lm = netlogon.netr_ChallengeResponse()
        logon.lm.length = logon.lm.size = len(resp["lm_response"])
        logon.lm.data = list(resp["lm_response"])
        logon.identity_info = netlogon.netr_IdentityInfo()
        logon.identity_info.domain_name.string = DOMAIN
        logon.identity_info.account_name.string = USER
        logon.identity_info.workstation.string = computer
        logon.identity_info.parameter_control = 0
        c.call("schannel-sam-logon-ex", 39, lambda: n.netr_LogonSamLogonEx(server, computer, 2, logon, 6, 0))
        c.call("schannel-sam-logon-ex-validation-3", 39, lambda: n.netr_LogonSamLogonEx(server, computer, 2, logon, 3, 0))
        c.call("schannel-sam-logon-with-flags", 45, lambda: n.netr_LogonSamLogonWithFlags(
            server, computer, current(), netlogon.netr_Authenticator(), 2, logon, 6, 0))


def lsarpc_tcp_step(schannel):
    """Over TCP Samba serves only LsarLookupNames4 and LsarLookupSids3, with schannel (MS-LSAT 2.1, 3.1.4.5)."""
    machine = creds(MACHINE + "$", MACHINE_PASSWORD, machine=True)
    with Step("lsarpc-tcp-" + ("schannel" if schannel else "anonymous")) as step:
        if schannel:
            # The library finds netlogon through the endpoint mapper and sets the secure channel up first.
            epm = step.conn("epmapper", 135)
            epm.expect("schannel-lsa-map-netlogon", 3, drep=LITTLE_ENDIAN)
            setup = step.conn("netlogon", PORTS["netlogon"])
            setup.expect("schannel-lsa-req-challenge", 4)
            setup.expect("schannel-lsa-authenticate2", 15)
            c = step.conn("lsarpc", PORTS["lsarpc"], lambda b: lsa.lsarpc(b, lp, machine), "schannel,seal")
            c.schannel_setup = 1
        else:
            c = step.conn("lsarpc", PORTS["lsarpc"], lambda b: lsa.lsarpc(b, lp, ANONYMOUS))
        prefix = "schannel-" if schannel else "anonymous-"
        l = c.client
        attr = lsa.ObjectAttribute()
        c.call(prefix + "open-policy2", 44, lambda: l.OpenPolicy2("\\\\" + DC, attr, security.SEC_FLAG_MAXIMUM_ALLOWED))
        names = [lsa_string(n) for n in (USER, DOMAIN + "\\" + ADMIN, "Domain Admins", DOMAIN, "nosuchname")]
        sids = lsa.TransSidArray3()
        c.call(prefix + "lookup-names4", 77, lambda: l.LookupNames4(names, sids, lsa.LSA_LOOKUP_NAMES_ALL, 0, 0, 2))
        c.call(prefix + "lookup-names4-one", 77, lambda: l.LookupNames4([lsa_string(USER)], sids, 1, 0, 0, 2))
        sa = lsa.SidArray()
        ptrs = []
        for text in ("S-1-5-32-544", "S-1-5-18", "S-1-1-0", "S-1-5-21-1-2-3-4"):
            p = lsa.SidPtr()
            p.sid = security.dom_sid(text)
            ptrs.append(p)
        sa.sids, sa.num_sids = ptrs, len(ptrs)
        c.call(prefix + "lookup-sids3", 76, lambda: l.LookupSids3(sa, lsa.TransNameArray2(), 1, 0, 0, 2))
        if not schannel:
            c.call(prefix + "get-user-name", 45, lambda: l.GetUserName(None, None, None))


def lsarpc_np_step():
    """The LSA policy calls, which Samba serves on the named pipe \\pipe\\lsarpc only (not over TCP)."""
    admin = creds(ADMIN, ADMIN_PASSWORD)
    MAX = security.SEC_FLAG_MAXIMUM_ALLOWED
    with Step("lsarpc-np") as step:
        c = step.conn("lsarpc", 445, lambda b: lsa.lsarpc(b, lp, admin), pipe="lsarpc")
        l = c.client
        attr = lsa.ObjectAttribute()
        h1 = c.call("open-policy", 6, lambda: l.OpenPolicy(None, attr, MAX))
        h = c.call("open-policy2", 44, lambda: l.OpenPolicy2("\\\\" + DC, attr, MAX))
        for level in range(1, 15):
            c.call("query-info-policy-%d" % level, 7, lambda: l.QueryInfoPolicy(h, level))
        c.call("query-info-policy2-12", 46, lambda: l.QueryInfoPolicy2(h, 12))
        c.call("query-info-policy2-13", 46, lambda: l.QueryInfoPolicy2(h, 13))
        for level in (2, 3):
            c.call("query-domain-information-policy-%d" % level, 53, lambda: l.QueryDomainInformationPolicy(h, level))
        names = [lsa_string(n) for n in (USER, DOMAIN + "\\" + ADMIN, "Domain Admins", DOMAIN, "Administrators",
                                         "nosuchname")]
        c.call("lookup-names", 14, lambda: l.LookupNames(h, names, lsa.TransSidArray(), 1, 0))
        c.call("lookup-names-none-mapped", 14, lambda: l.LookupNames(h, [lsa_string("nosuchname")], lsa.TransSidArray(), 1, 0))
        c.call("lookup-names2", 58, lambda: l.LookupNames2(h, names, lsa.TransSidArray2(), 1, 0, 0, 2))
        c.call("lookup-names3", 68, lambda: l.LookupNames3(h, names, lsa.TransSidArray3(), 1, 0, 0, 2))
        sa = lsa.SidArray()
        ptrs = []
        for text in ("S-1-5-32-544", "S-1-5-18", "S-1-1-0", "S-1-5-21-1-2-3-4"):
            p = lsa.SidPtr()
            p.sid = security.dom_sid(text)
            ptrs.append(p)
        sa.sids, sa.num_sids = ptrs, len(ptrs)
        c.call("lookup-sids", 15, lambda: l.LookupSids(h, sa, lsa.TransNameArray(), 1, 0))
        c.call("lookup-sids2", 57, lambda: l.LookupSids2(h, sa, lsa.TransNameArray2(), 1, 0, 0, 2))
        c.call("enum-privs", 2, lambda: l.EnumPrivs(h, 0, 100))
        luid = lsa.LUID()
        luid.low, luid.high = 17, 0   # SeBackupPrivilege
        c.call("lookup-priv-name", 32, lambda: l.LookupPrivName(h, luid))
        c.call("lookup-priv-value", 31, lambda: l.LookupPrivValue(h, lsa_string("SeBackupPrivilege")))
        c.call("lookup-priv-display-name", 33, lambda: l.LookupPrivDisplayName(h, lsa_string("SeBackupPrivilege"),
                                                                              0x409, 0x409))
        c.call("enum-accounts", 11, lambda: l.EnumAccounts(h, 0, 100))
        c.call("enum-trust-dom", 13, lambda: l.EnumTrustDom(h, 0, 0xFFFF))
        c.call("enum-trusted-domains-ex", 50, lambda: l.EnumTrustedDomainsEx(h, 0, 0xFFFF))
        c.call("query-security", 3, lambda: l.QuerySecurity(h, security.SECINFO_OWNER | security.SECINFO_DACL))
        admins = security.dom_sid("S-1-5-32-544")
        c.call("enum-account-rights", 36, lambda: l.EnumAccountRights(h, admins))
        a = c.call("open-account", 17, lambda: l.OpenAccount(h, admins, MAX))
        if a:
            c.call("enum-privs-account", 18, lambda: l.EnumPrivsAccount(a))
            c.call("get-system-access-account", 23, lambda: l.GetSystemAccessAccount(a))
            c.call("close-account", 0, lambda: l.Close(a))
        c.call("get-user-name", 45, lambda: l.GetUserName(None, None, None))
        if h1:
            c.call("close-policy", 0, lambda: l.Close(h1))
        c.call("close-policy2", 0, lambda: l.Close(h))


def share_ctr(level):
    ctr = srvsvc.NetShareInfoCtr()
    ctr.level = level
    ctr.ctr = getattr(srvsvc, "NetShareCtr%d" % level)()
    return ctr


def ctr(kind, level):
    c = getattr(srvsvc, "Net%sInfoCtr" % kind)()
    c.level = level
    c.ctr = getattr(srvsvc, "Net%sCtr%d" % (kind, level))()
    return c


def srvsvc_np_step():
    """
    srvsvc, which Samba serves on \\pipe\\srvsvc only. Samba names opnum 15 NetShareEnumAll and opnum 36
    NetShareEnum (MS-SRVS: NetrShareEnum and NetrShareEnumSticky).
    """
    admin = creds(ADMIN, ADMIN_PASSWORD)
    unc, ALL = HOST, 0xFFFFFFFF
    with Step("srvsvc-np") as step:
        c = step.conn("srvsvc", 445, lambda b: srvsvc.srvsvc(b, lp, admin), pipe="srvsvc")
        s = c.client
        for level in (0, 1, 2, 501, 502):
            c.call("share-enum-%d" % level, 15, lambda: s.NetShareEnumAll(unc, share_ctr(level), ALL, 0))
        c.call("share-enum-sticky-1", 36, lambda: s.NetShareEnum(unc, share_ctr(1), ALL, 0))
        for name, level in (("sysvol", 0), ("sysvol", 1), ("sysvol", 2), ("netlogon", 501), ("sysvol", 502),
                            ("sysvol", 1004), ("sysvol", 1005), ("sysvol", 1006), ("sysvol", 1501)):
            c.call("share-get-info-%s-%d" % (name, level), 16, lambda: s.NetShareGetInfo(unc, name, level))
        c.call("share-get-info-ipc-1", 16, lambda: s.NetShareGetInfo(unc, "IPC$", 1))
        c.call("share-get-info-missing-1", 16, lambda: s.NetShareGetInfo(unc, "nosuchshare", 1))
        for level in (100, 101, 102, 503):
            c.call("server-get-info-%d" % level, 21, lambda: s.NetSrvGetInfo(unc, level))
        c.call("remote-tod", 28, lambda: s.NetRemoteTOD(unc))
        c.call("disk-enum", 23, lambda: s.NetDiskEnum(unc, 0, srvsvc.NetDiskInfo(), ALL, 0))
        c.call("session-enum-0", 12, lambda: s.NetSessEnum(unc, None, None, ctr("Sess", 0), ALL, 0))
        c.call("session-enum-1", 12, lambda: s.NetSessEnum(unc, None, None, ctr("Sess", 1), ALL, 0))
        c.call("connection-enum-1", 8, lambda: s.NetConnEnum(unc, "IPC$", ctr("Conn", 1), ALL, 0))
        c.call("file-enum-3", 9, lambda: s.NetFileEnum(unc, None, None, ctr("File", 3), ALL, 0))
        c.call("name-validate-share", 33, lambda: s.NetNameValidate(unc, "sysvol", 9, 0))
        c.call("get-file-security", 39, lambda: s.NetGetFileSecurity(
            unc, "sysvol", "rpctest.local", security.SECINFO_OWNER | security.SECINFO_DACL))


def dssetup_step():
    """dssetup has no Python binding: smbtorture's rpc.dssetup asks levels 1, 2 and 3."""
    with Step("dssetup") as step:
        c = step.conn("dssetup", PORTS["dssetup"])
        binding = "ncacn_ip_tcp:%s[%s]" % (HOST, ",".join(x for x in (str(PORTS["dssetup"]), variant_option()) if x))
        p = subprocess.run(["smbtorture", "-s", CONF, "-U%", binding, "rpc.dssetup"], capture_output=True, text=True)
        ok = "success: dssetup.DsRoleGetPrimaryDomainInformation" in p.stdout
        for level in (1, 2, 3):
            c.calls.append({"label": "primary-domain-information-%d" % level, "name": "dssetup",
                            "iface": IFACES["dssetup"], "opnum": 0, "outcome": "ok" if ok else "smbtorture failed",
                            "values": ""})
        if not ok:
            print(p.stdout[-2000:], file=sys.stderr)


def main():
    # The workstation account's NT hash, with which dcerpc_capture.py finds the schannel session keys.
    print(json.dumps({"machine_nt_hash": bytes(creds(MACHINE + "$", MACHINE_PASSWORD).get_nt_hash()).hex()}))
    epmapper_step()
    mgmt_step()
    samr_step()
    netlogon_step()
    if not WEFT_PORT:
        netlogon_schannel_step()
        lsarpc_tcp_step(True)
    lsarpc_tcp_step(False)
    dssetup_step()
    if not WEFT_PORT and VARIANT == "ndr":
        lsarpc_np_step()
        srvsvc_np_step()


if __name__ == "__main__":
    main()
