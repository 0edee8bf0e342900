# Reads DCE/RPC exchanges out of a tshark capture, for the capture scripts (tools/interop/capture-*.sh), and
# writes them as Weft's capture files. Run with /usr/bin/python3 (or any Python 3.9+; it needs only tshark).
#
# tshark only hands over the TCP payloads (tcp.payload of every segment); everything above TCP is parsed here, so
# that the bytes kept are exactly the stub bytes of the PDUs, whatever Wireshark's dissectors think of them:
#   - TCP: each stream's two directions, reassembled by sequence number (loopback loses nothing, but a
#     retransmission is skipped and a gap ends the stream's parse with an error);
#   - SMB2 (ncacn_np): the pipe bytes of WRITE requests, READ responses and FSCTL_PIPE_TRANSCEIVE IOCTLs, per
#     file id (an SMB3-encrypted message is an error: capture with signing only);
#   - DCE/RPC (C706 12.6, in the byte order of each PDU's drep): bind/alter_context and their acks give each
#     presentation context its interface and transfer syntax; request and response fragments are reassembled per
#     call id; the auth trailer and its padding are cut off the stub; a stub sealed with schannel (which Samba 4.17
#     requires) is decrypted with the session key of the secure channel, computed from the captured challenges and
#     the workstation account's NT hash (any other sealed stub is an error: capture with signing); a request's
#     verification trailer is split off its stub; a fault keeps its status.
#
# A capture file (what the tests read, see interfaces/src/test/java/dev/weft/interfaces/SambaCapture.java):
#   # comments
#   interface <uuid> <major>.<minor>
#   <label> <opnum> <syntax ndr|ndr64> <drep, 8 hex digits> request <stub hex>
#   <label> <opnum> <syntax> <drep> verification-trailer <hex>   (when the request carried one: MS-RPCE 2.2.2.13)
#   <label> <opnum> <syntax> <drep> response <stub hex>          (or: fault <status, 8 hex digits>)
import json
import os
import struct
import subprocess
import sys
import uuid

NDR20 = uuid.UUID("8a885d04-1ceb-11c9-9fe8-08002b104860")
NDR64 = uuid.UUID("71710533-beba-4937-8319-b5dbef9ccc36")
PTYPE_REQUEST, PTYPE_RESPONSE, PTYPE_FAULT = 0, 2, 3
PTYPE_BIND, PTYPE_BIND_ACK, PTYPE_ALTER, PTYPE_ALTER_RESP = 11, 12, 14, 15
PFC_FIRST, PFC_LAST, PFC_OBJECT_UUID = 0x01, 0x02, 0x80
AUTH_LEVEL_PRIVACY = 6
AUTH_TYPE_SCHANNEL = 68
FSCTL_PIPE_TRANSCEIVE = 0x0011C017


class CaptureError(Exception):
    pass


class Stream:
    """One TCP connection: when it started (its SYN), its ports, and the bytes each side sent, in order."""

    def __init__(self, sid, start, client_port, server_port):
        self.sid, self.start, self.client_port, self.server_port = sid, start, client_port, server_port
        self.data = {True: bytearray(), False: bytearray()}   # True: client to server
        self.next_seq = {}
        self.error = None

    def add(self, from_client, seq, payload):
        if self.error:
            return
        expected = self.next_seq.get(from_client)
        if expected is None:
            expected = seq
        if seq > expected:
            self.error = "a gap of %d bytes" % (seq - expected)
            return
        skip = expected - seq   # a retransmission of bytes already seen
        if skip < len(payload):
            self.data[from_client] += payload[skip:]
            self.next_seq[from_client] = seq + len(payload)


def tcp_streams(pcap, tshark="tshark"):
    """The TCP connections of a capture that begin in it (a SYN), by tshark's stream number."""
    out = subprocess.run([tshark, "-r", pcap, "-n", "--disable-protocol", "dcerpc", "--disable-protocol", "smb2",
                          "--disable-protocol", "nbss", "-Y", "tcp", "-T", "fields", "-E", "separator=,",
                          "-e", "frame.time_epoch", "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.dstport",
                          "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tcp.seq_raw", "-e", "tcp.payload"],
                         check=True, capture_output=True, text=True).stdout
    streams = {}
    for line in out.splitlines():
        f = line.split(",")
        if len(f) < 8:
            continue
        t, sid, sport, dport = float(f[0]), int(f[1]), int(f[2]), int(f[3])
        syn, ack, seq = f[4] in ("1", "True"), f[5] in ("1", "True"), int(f[6])
        s = streams.get(sid)
        if s is None:
            if not (syn and not ack):
                continue   # began before the capture
            s = streams[sid] = Stream(sid, t, sport, dport)
        from_client = sport == s.client_port
        if syn:
            s.next_seq[from_client] = seq + 1
            continue
        if f[7]:
            s.add(from_client, seq, bytes.fromhex(f[7]))
    return streams


# ------------------------------------------------------------------------------------------------ SMB2 pipes

def smb2_messages(data):
    """The SMB2 messages of one direction of a connection: (header offset, message bytes), compounds split."""
    pos = 0
    while pos + 4 <= len(data):
        length = int.from_bytes(data[pos + 1:pos + 4], "big")
        frame = bytes(data[pos + 4:pos + 4 + length])
        pos += 4 + length
        if len(frame) < length:
            break
        if frame[:4] == b"\xfdSMB":
            raise CaptureError("an SMB3-encrypted message: capture with signing only, not encryption")
        if frame[:4] != b"\xfeSMB":
            continue   # SMB1 negotiate
        off = 0
        while True:
            nxt = struct.unpack_from("<I", frame, off + 20)[0]
            yield frame[off:off + nxt] if nxt else frame[off:]
            if not nxt:
                break
            off += nxt


def smb2_pipes(stream):
    """The DCE/RPC bytes of each named pipe of an SMB2 connection: {file id: {True: to server, False: back}}."""
    pipes = {}
    pending = {}   # message id -> file id, for READ responses (which do not name their file)

    def pipe(fid):
        return pipes.setdefault(fid, {True: bytearray(), False: bytearray()})

    for m in smb2_messages(stream.data[True]):
        cmd, mid = struct.unpack_from("<H", m, 12)[0], struct.unpack_from("<Q", m, 24)[0]
        b = 64
        if cmd == 9:   # WRITE
            off, length = struct.unpack_from("<HI", m, b + 2)
            pipe(m[b + 16:b + 32])[True] += m[off:off + length]
        elif cmd == 8:   # READ
            pending[mid] = m[b + 16:b + 32]
        elif cmd == 11:   # IOCTL
            ctl, fid = struct.unpack_from("<I", m, b + 4)[0], m[b + 8:b + 24]
            if ctl == FSCTL_PIPE_TRANSCEIVE:
                ioff, icount = struct.unpack_from("<II", m, b + 24)
                pipe(fid)[True] += m[ioff:ioff + icount]
                pending[mid] = fid
    for m in smb2_messages(stream.data[False]):
        status, cmd = struct.unpack_from("<IH", m, 8)
        mid = struct.unpack_from("<Q", m, 24)[0]
        if status not in (0, 0x80000005) or mid not in pending:   # 0x80000005: STATUS_BUFFER_OVERFLOW, more follows
            continue
        b = 64
        if cmd == 8:
            off, length = m[b + 2], struct.unpack_from("<I", m, b + 4)[0]
            pipe(pending.pop(mid))[False] += m[off:off + length]
        elif cmd == 11:
            ooff, ocount = struct.unpack_from("<II", m, b + 32)
            pipe(pending.pop(mid))[False] += m[ooff:ooff + ocount]
    return pipes


# ------------------------------------------------------------------------------------------------ DCE/RPC

class Pdu:
    def __init__(self, raw):
        self.raw = raw
        self.le = raw[4] & 0x10 != 0
        self.e = "<" if self.le else ">"
        self.ptype, self.flags = raw[2], raw[3]
        self.drep = raw[4:8].hex()
        self.frag_length, self.auth_length, self.call_id = struct.unpack_from(self.e + "HHI", raw, 8)

    def u16(self, off):
        return struct.unpack_from(self.e + "H", self.raw, off)[0]

    def u32(self, off):
        return struct.unpack_from(self.e + "I", self.raw, off)[0]

    def uuid(self, off):
        b = self.raw[off:off + 16]
        return uuid.UUID(bytes_le=bytes(b)) if self.le else uuid.UUID(bytes=bytes(b))

    def syntax(self, off):
        """A p_syntax_id_t: (uuid, major, minor)."""
        v = self.u32(off + 16)
        return self.uuid(off), v & 0xFFFF, v >> 16

    def stub(self, header):
        """
        The stub bytes (after the header, before the auth padding and verifier), the auth type and level (0, 0:
        none). A schannel-sealed stub is returned as a Sealed fragment, to be decrypted once its key is known.
        """
        if not self.auth_length:
            return self.raw[header:self.frag_length], 0, 0
        trailer = self.frag_length - self.auth_length - 8
        auth_type, level, pad = self.raw[trailer], self.raw[trailer + 1], self.raw[trailer + 2]
        if level == AUTH_LEVEL_PRIVACY:
            if auth_type != AUTH_TYPE_SCHANNEL:
                raise CaptureError("a stub sealed with auth type %d: capture with signing only" % auth_type)
            return Sealed(self.raw[header:trailer], pad, self.raw[trailer + 8:self.frag_length]), auth_type, level
        return self.raw[header:trailer - pad], auth_type, level


class Sealed:
    """One schannel-sealed fragment: its encrypted stub and padding, the padding's length, its Netlogon signature."""

    def __init__(self, data, pad, verifier):
        self.data, self.pad, self.verifier = data, pad, verifier

    def unseal(self, key):
        """
        MS-NRPC 3.3.4.2.2 with AES: the sequence number (at 8) decrypts with the session key and the checksum (at
        16) twice as IV; confounder and stub are one AES-CFB8 stream under the session key XOR 0xF0, IV the sequence
        number twice. NL_AUTH_SHA2_SIGNATURE puts a 32-byte checksum at 16 and the confounder at 48, but Windows and
        Samba send an 8-byte checksum and the confounder at 24, as in the 32-byte signature of the older algorithms.
        """
        if self.verifier[:4] != b"\x13\x00\x1a\x00":
            raise CaptureError("a schannel signature with algorithms %s: only AES is decrypted" % self.verifier[:4].hex())
        checksum = self.verifier[16:24]
        seq = cfb8_decrypt(key, checksum + checksum, self.verifier[8:16])
        plain = cfb8_decrypt(bytes(b ^ 0xF0 for b in key), seq + seq, self.verifier[24:32] + self.data)[8:]
        return plain[:len(plain) - self.pad]


def cfb8_decrypt(key, iv, data):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    d = Cipher(algorithms.AES(key), modes.CFB8(iv)).decryptor()
    return d.update(data) + d.finalize()


def pdus(data):
    pos = 0
    while pos + 16 <= len(data):
        length = struct.unpack_from("<H" if data[pos + 4] & 0x10 else ">H", data, pos + 8)[0]
        if length < 16 or pos + length > len(data):
            raise CaptureError("a PDU of %d bytes at %d runs past the %d bytes captured" % (length, pos, len(data)))
        yield Pdu(bytes(data[pos:pos + length]))
        pos += length


class Exchange:
    """
    One call: interface, syntax, request drep, opnum, auth (type, level); request and response as lists of
    fragments (bytes, or Sealed) until joined, then bytes; a fault's response is ("fault", status).
    """

    def __init__(self, iface, version, syntax, drep, opnum, request, auth):
        self.iface, self.version, self.syntax, self.drep, self.opnum = iface, version, syntax, drep, opnum
        self.request, self.auth = request, auth
        self.response = None
        self.trailer = None   # the request's verification trailer, split off its stub

    def key(self):
        return str(self.iface), self.opnum, self.syntax, self.drep

    def sealed(self):
        return any(isinstance(f, Sealed) for f in self.request + (self.response if isinstance(self.response, list) else []))

    def join(self, key=None):
        """The stubs as bytes, schannel-sealed fragments decrypted with key."""
        if isinstance(self.request, bytes):
            return

        def whole(fragments):
            out = bytearray()
            for f in fragments:
                if isinstance(f, Sealed):
                    if key is None:
                        raise CaptureError("a sealed stub and no schannel key for it")
                    out += f.unseal(key)
                else:
                    out += f
            return bytes(out)
        self.request = whole(self.request)
        if isinstance(self.response, list):
            self.response = whole(self.response)
        self.trailer = None
        at = verification_trailer(self.request, self.drep)
        if at is not None:
            self.request, self.trailer = self.request[:at], self.request[at:]


SEC_VT_SIGNATURE = bytes.fromhex("8ae3137102f43671")
SEC_VT_COMMAND_END = 0x4000


def verification_trailer(stub, drep):
    """
    Where a request stub's verification trailer (MS-RPCE 2.2.2.13) starts, or None: its signature at a 4-aligned
    offset within the last 1024 bytes (as Samba's server looks for it), followed by commands that end exactly at the
    end of the stub, the last one flagged SEC_VT_COMMAND_END. The bytes before it are the stub proper, with the
    padding that aligns the trailer. The commands are read in the request's byte order, or little-endian: Samba's
    client writes them little-endian in a big-endian request too.
    """
    start = len(stub) - len(SEC_VT_SIGNATURE)
    start -= start % 4
    for at in range(start, max(-1, len(stub) - 1024), -4):
        if stub[at:at + 8] != SEC_VT_SIGNATURE:
            continue
        for e in ("<" if int(drep[:2], 16) & 0x10 else ">", "<"):
            pos = at + 8
            while pos + 4 <= len(stub):
                cmd, length = struct.unpack_from(e + "HH", stub, pos)
                pos += 4 + length
                if cmd & SEC_VT_COMMAND_END:
                    break
            if pos == len(stub):
                return at
    return None


def exchanges(to_server, to_client):
    """The calls of one connection (or pipe), in the order their requests completed, each with its answer."""
    offered, contexts, calls, result = {}, {}, {}, []
    for p in pdus(to_server):
        if p.ptype in (PTYPE_BIND, PTYPE_ALTER):
            n, off, elems = p.raw[24], 28, []
            for _ in range(n):
                ctx, nts = p.u16(off), p.raw[off + 2]
                abstract = p.syntax(off + 4)
                elems.append((ctx, abstract, [p.syntax(off + 24 + 20 * i) for i in range(nts)]))
                off += 24 + 20 * nts
            offered[p.call_id] = elems
        elif p.ptype == PTYPE_REQUEST:
            header = 40 if p.flags & PFC_OBJECT_UUID else 24
            stub, auth_type, level = p.stub(header)
            if p.flags & PFC_FIRST:
                calls[p.call_id] = [p, [], (auth_type, level)]
            call = calls[p.call_id]
            call[1].append(stub)
            if p.flags & PFC_LAST:
                result.append((p.call_id, call))
    answers = {}
    parts = {}
    for p in pdus(to_client):
        if p.ptype in (PTYPE_BIND_ACK, PTYPE_ALTER_RESP):
            port_len = p.u16(24)
            off = 26 + port_len
            off += (4 - off % 4) % 4
            n = p.raw[off]
            off += 4
            for i, (ctx, abstract, _) in enumerate(offered.get(p.call_id, [])[:n]):
                res = p.u16(off + 24 * i)
                if res == 0:
                    contexts[ctx] = (abstract, p.syntax(off + 24 * i + 4))
        elif p.ptype == PTYPE_RESPONSE:
            stub, _, _ = p.stub(24)
            parts.setdefault(p.call_id, []).append(stub)
            if p.flags & PFC_LAST:
                answers[p.call_id] = parts.pop(p.call_id)
        elif p.ptype == PTYPE_FAULT:
            answers[p.call_id] = ("fault", p.u32(24))
    out = []
    for call_id, (first, stub, auth) in result:
        ctx = struct.unpack_from(first.e + "H", first.raw, 20)[0]
        if ctx not in contexts:
            raise CaptureError("call %d uses presentation context %d, which no bind accepted" % (call_id, ctx))
        (iface, major, minor), (ts, _, _) = contexts[ctx]
        syntax = "ndr" if ts == NDR20 else "ndr64" if ts == NDR64 else str(ts)
        x = Exchange(iface, (major, minor), syntax, first.drep, first.u16(22), stub, auth)
        x.response = answers.get(call_id)
        if x.response is None:
            raise CaptureError("call %d (opnum %d) has no answer in the capture" % (call_id, x.opnum))
        out.append(x)
    return out


class Connection:
    """What one client connection (a TCP stream, or a pipe of an SMB connection) carried."""

    def __init__(self, name, start, server_port, calls):
        self.name, self.start, self.server_port, self.calls = name, start, server_port, calls

    def signature(self):
        return [x.key() for x in self.calls]


def connections(pcap, smb_port=445):
    """
    Every connection of the capture with at least one call. One that cannot be parsed (other clients of the server
    may test its error paths meanwhile) is skipped with a warning: if the driver made it, matching fails.
    """
    out = []
    for s in tcp_streams(pcap).values():
        try:
            if s.error:
                raise CaptureError(s.error)
            if s.server_port == smb_port:
                for fid, d in smb2_pipes(s).items():
                    calls = exchanges(d[True], d[False])
                    if calls:
                        out.append(Connection("smb stream %d pipe %s" % (s.sid, fid.hex()), s.start, s.server_port, calls))
            else:
                calls = exchanges(s.data[True], s.data[False])
                if calls:
                    out.append(Connection("tcp stream %d" % s.sid, s.start, s.server_port, calls))
        except (CaptureError, struct.error, IndexError, KeyError) as e:
            print("dcerpc_capture: stream %d (port %d) skipped: %s" % (s.sid, s.server_port, e), file=sys.stderr)
    return out


# ------------------------------------------------------------------------------------------------ matching

def match(steps, conns, nt_hash=None):
    """
    Pairs each connection a driver step made (steps: the driver's JSON lines) with the one captured connection that
    began within the step's time, on its port, and carried exactly its calls (interface and opnum, in order);
    other clients of the same server may have used it meanwhile, and their connections match no step (nor do
    those of the driver's other runs: the step names its syntax and drep). Returns
    [(label, exchange)] in the driver's order.
    """
    used, out = set(), []
    for step in steps:
        matched = []
        for conn in step["connections"]:
            want = [(c["iface"], c["opnum"], step["syntax"], c.get("drep", step["drep"])) for c in conn["calls"]]
            found = [c for c in conns if id(c) not in used and c.server_port == conn["port"]
                     and step["start"] - 0.2 <= c.start <= step["end"] + 0.2 and c.signature() == want]
            if len(found) > 1:   # the slack for clocks reached into the next step: within the step itself, then
                found = [c for c in found if step["start"] <= c.start <= step["end"]]
            if len(found) > 1:   # the step made alike connections one after the other: the earliest left
                found = sorted(found, key=lambda c: c.start)[:1]
            if len(found) != 1:
                raise CaptureError("step %s, connection to port %d: %d captured connections carry its %d calls %s"
                                   % (step["step"], conn["port"], len(found), len(want), want))
            used.add(id(found[0]))
            matched.append(found[0])
            key = None
            if "schannel_setup" in conn:
                key = schannel_key(matched[conn["schannel_setup"]], nt_hash)
            for x in found[0].calls:
                x.join(key)
            transport = "np" if found[0].server_port == 445 else "tcp"
            out.extend((c["label"], x, transport) for c, x in zip(conn["calls"], found[0].calls))
    return out


def schannel_key(setup, nt_hash):
    """
    The session key of the secure channel a connection set up (MS-NRPC 3.1.4.3.1, AES): HMAC-SHA256 of the client
    and server challenges (the last 8 bytes of the last NetrServerReqChallenge request, the first 8 of its
    response) keyed by the account's NT hash; its NetrServerAuthenticate2 or 3 must have negotiated AES.
    """
    import hmac
    for x in setup.calls:
        x.join()
    challenge = [x for x in setup.calls if x.opnum == 4][-1]
    auth = [x for x in setup.calls if x.opnum in (15, 26)][-1]   # NetrServerAuthenticate2 or 3
    flags = struct.unpack_from("<I", auth.response, 8)[0]
    if not flags & 0x01000000:
        raise CaptureError("the secure channel did not negotiate AES (flags 0x%08x)" % flags)
    return hmac.new(nt_hash, challenge.request[-8:] + challenge.response[:8], "sha256").digest()[:16]


def write(path, title, iface, version, labelled):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("# %s\n" % title)
        f.write("# <label> <opnum> <syntax> <drep> request|verification-trailer|response <hex>, or fault <status>; "
                "written by tools/interop/dcerpc_capture.py\n")
        f.write("interface %s %d.%d\n" % (iface, version[0], version[1]))
        for label, x in labelled:
            head = "%s %d %s %s" % (label, x.opnum, x.syntax, x.drep)
            f.write("%s request %s\n" % (head, x.request.hex()))
            if x.trailer:
                f.write("%s verification-trailer %s\n" % (head, x.trailer.hex()))
            if isinstance(x.response, tuple):
                f.write("%s fault %08x\n" % (head, x.response[1]))
            else:
                f.write("%s response %s\n" % (head, x.response.hex()))


def main(argv):
    """
    dcerpc_capture.py PCAP OUT-DIR SUFFIX TITLE DRIVER-OUTPUT...: the calls of each driver run (samba-calls.py's JSON
    lines), matched in the capture, into one file per interface and transport (tcp, np: SMB named pipes), each
    headed by TITLE: OUT-DIR/<name>/samba-4.17-<name>-<transport><SUFFIX>.txt.
    """
    pcap, outdir, suffix, title = argv[1:5]
    conns = connections(pcap)
    labelled, names = [], {}
    for driver in argv[5:]:
        lines = [json.loads(line) for line in open(driver) if line.startswith("{")]
        steps = [x for x in lines if "step" in x]
        nt_hash = next((bytes.fromhex(x["machine_nt_hash"]) for x in lines if "machine_nt_hash" in x), None)
        labelled += match(steps, conns, nt_hash)
        for step in steps:
            for conn in step["connections"]:
                for c in conn["calls"]:
                    names[c["iface"]] = c["name"]
    files = {}
    for label, x, transport in labelled:
        files.setdefault((str(x.iface), transport), []).append((label, x))
    for (iface, transport), xs in sorted(files.items()):
        name = names[iface]
        path = "%s/%s/samba-4.17-%s-%s%s.txt" % (outdir, name, name, transport, suffix)
        write(path, title, iface, xs[0][1].version, xs)
        print("dcerpc_capture: %d exchanges in %s" % (len(xs), path))


if __name__ == "__main__":
    try:
        main(sys.argv)
    except CaptureError as e:
        sys.exit("dcerpc_capture: %s" % e)
