# Drives Samba's srvsvc over SMB (ncacn_np) with Samba's own Python bindings, for tools/interop/capture-srvsvc.sh:
# one call per entry below, in order, each printed as "label opnum outcome". Samba names opnum 15 NetShareEnumAll
# and opnum 36 NetShareEnum (MS-SRVS: NetrShareEnum and NetrShareEnumSticky). Run with /usr/bin/python3.
import sys
import samba
from samba import param, credentials
from samba.dcerpc import srvsvc, security

conf, user, password, domain = sys.argv[1:5]
lp = param.LoadParm()
lp.load(conf)
creds = credentials.Credentials()
creds.guess(lp)
creds.set_username(user)
creds.set_password(password)
creds.set_domain(domain)
conn = srvsvc.srvsvc("ncacn_np:127.0.0.1", lp, creds)
unc = "127.0.0.1"


def share_ctr(level):
    ctr = srvsvc.NetShareInfoCtr()
    ctr.level = level
    ctr.ctr = getattr(srvsvc, "NetShareCtr%d" % level)()
    return ctr


def sess_ctr(level):
    ctr = srvsvc.NetSessInfoCtr()
    ctr.level = level
    ctr.ctr = getattr(srvsvc, "NetSessCtr%d" % level)()
    return ctr


def conn_ctr(level):
    ctr = srvsvc.NetConnInfoCtr()
    ctr.level = level
    ctr.ctr = getattr(srvsvc, "NetConnCtr%d" % level)()
    return ctr


def file_ctr(level):
    ctr = srvsvc.NetFileInfoCtr()
    ctr.level = level
    ctr.ctr = getattr(srvsvc, "NetFileCtr%d" % level)()
    return ctr


calls = [
    ("share-enum-0", 15, lambda: conn.NetShareEnumAll(unc, share_ctr(0), 0xFFFFFFFF, 0)),
    ("share-enum-1", 15, lambda: conn.NetShareEnumAll(unc, share_ctr(1), 0xFFFFFFFF, 0)),
    ("share-enum-2", 15, lambda: conn.NetShareEnumAll(unc, share_ctr(2), 0xFFFFFFFF, 0)),
    ("share-enum-501", 15, lambda: conn.NetShareEnumAll(unc, share_ctr(501), 0xFFFFFFFF, 0)),
    ("share-enum-502", 15, lambda: conn.NetShareEnumAll(unc, share_ctr(502), 0xFFFFFFFF, 0)),
    ("share-enum-sticky-1", 36, lambda: conn.NetShareEnum(unc, share_ctr(1), 0xFFFFFFFF, 0)),
    ("share-get-info-sysvol-0", 16, lambda: conn.NetShareGetInfo(unc, "sysvol", 0)),
    ("share-get-info-sysvol-1", 16, lambda: conn.NetShareGetInfo(unc, "sysvol", 1)),
    ("share-get-info-sysvol-2", 16, lambda: conn.NetShareGetInfo(unc, "sysvol", 2)),
    ("share-get-info-netlogon-501", 16, lambda: conn.NetShareGetInfo(unc, "netlogon", 501)),
    ("share-get-info-sysvol-502", 16, lambda: conn.NetShareGetInfo(unc, "sysvol", 502)),
    ("share-get-info-sysvol-1004", 16, lambda: conn.NetShareGetInfo(unc, "sysvol", 1004)),
    ("share-get-info-sysvol-1005", 16, lambda: conn.NetShareGetInfo(unc, "sysvol", 1005)),
    ("share-get-info-sysvol-1006", 16, lambda: conn.NetShareGetInfo(unc, "sysvol", 1006)),
    ("share-get-info-sysvol-1501", 16, lambda: conn.NetShareGetInfo(unc, "sysvol", 1501)),
    ("share-get-info-ipc-1", 16, lambda: conn.NetShareGetInfo(unc, "IPC$", 1)),
    ("share-get-info-missing-1", 16, lambda: conn.NetShareGetInfo(unc, "nosuchshare", 1)),
    ("server-get-info-100", 21, lambda: conn.NetSrvGetInfo(unc, 100)),
    ("server-get-info-101", 21, lambda: conn.NetSrvGetInfo(unc, 101)),
    ("server-get-info-102", 21, lambda: conn.NetSrvGetInfo(unc, 102)),
    ("server-get-info-503", 21, lambda: conn.NetSrvGetInfo(unc, 503)),
    ("remote-tod", 28, lambda: conn.NetRemoteTOD(unc)),
    ("disk-enum", 23, lambda: conn.NetDiskEnum(unc, 0, srvsvc.NetDiskInfo(), 0xFFFFFFFF, 0)),
    ("session-enum-0", 12, lambda: conn.NetSessEnum(unc, None, None, sess_ctr(0), 0xFFFFFFFF, 0)),
    ("session-enum-1", 12, lambda: conn.NetSessEnum(unc, None, None, sess_ctr(1), 0xFFFFFFFF, 0)),
    ("connection-enum-1", 8, lambda: conn.NetConnEnum(unc, "IPC$", conn_ctr(1), 0xFFFFFFFF, 0)),
    ("file-enum-3", 9, lambda: conn.NetFileEnum(unc, None, None, file_ctr(3), 0xFFFFFFFF, 0)),
    ("name-validate-share", 33, lambda: conn.NetNameValidate(unc, "sysvol", 9, 0)),
    ("get-file-security", 39, lambda: conn.NetGetFileSecurity(unc, "sysvol", "rpctest.local",
                                                             security.SECINFO_OWNER | security.SECINFO_DACL)),
]

for label, opnum, call in calls:
    try:
        call()
        outcome = "ok"
    except samba.WERRORError as e:
        outcome = "WERR 0x%08x" % (e.args[0] & 0xFFFFFFFF)
    except Exception as e:  # a fault or a failure to decode: still one request on the wire
        outcome = "error %s" % (e,)
    print(label, opnum, outcome, flush=True)
