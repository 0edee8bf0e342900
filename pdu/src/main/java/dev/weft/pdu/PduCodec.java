package dev.weft.pdu;

import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes PDUs to bytes and decodes one received fragment into a {@link Pdu} (C706 12.6; MS-RPCE 2.2.2).
 *
 * <p>Encoding is little-endian with {@code frag_length} and {@code auth_length} filled in. When a verifier is
 * present, request, response and fault stubs are padded to a multiple of 16 counted from the start of the stub,
 * as Samba and Windows send (MS-RPCE 2.2.2.11; RPCE-FACTS §4.2); the other PDUs are already 4-aligned and carry no
 * padding.
 *
 * <p>Decoding honours the PDU's drep (big-endian input too), locates the sec_trailer at
 * {@code frag_length − auth_length − 8}, accepts any 4-aligned trailer, and checks every length against the bytes
 * that remain before allocating. Every violation is a {@link ProtocolException}; no decoded array is larger than
 * the input.
 */
public final class PduCodec {

    /** The largest fragment {@code frag_length} (a u16) can describe. */
    public static final int MAX_FRAGMENT = 0xFFFF;
    /** Stub padding unit when sending a verifier (MS-RPCE 2.2.2.11). */
    public static final int AUTH_PAD_ALIGNMENT = 16;

    private PduCodec() {
    }

    // ---------------------------------------------------------------- encode

    /**
     * Encodes {@code pdu} little-endian.
     *
     * @throws IllegalArgumentException when the PDU does not fit in a 65535-byte fragment
     */
    public static byte[] encode(Pdu pdu) {
        return encode(pdu, false);
    }

    /** Encodes in either byte order; big-endian output exists for tests of the receive path. */
    static byte[] encode(Pdu pdu, boolean bigEndian) {
        int body = bodyLength(pdu);
        SecTrailer auth = pdu.auth();
        int pad = auth == null ? 0 : authPadding(pdu);
        long total = (long) PduHeader.SIZE + body + pad + (auth == null ? 0 : SecTrailer.SIZE + auth.authLength());
        if (total > MAX_FRAGMENT) {
            throw new IllegalArgumentException(PType.name(pdu.ptype()) + " of " + total + " bytes exceeds 65535");
        }
        byte[] out = new byte[(int) total];
        WireWriter w = new WireWriter(out, 0, bigEndian);
        int drep = bigEndian ? Drep.asBigEndian(pdu.drep()) : Drep.asLittleEndian(pdu.drep());
        writeHeader(w, pdu.ptype(), pdu.flags(), drep, (int) total, auth == null ? 0 : auth.authLength(), pdu.callId());
        writeBody(w, pdu);
        if (auth != null) {
            w.zeros(pad);
            w.u8(auth.authType());
            w.u8(auth.authLevel());
            w.u8(pad);
            w.u8(0); // auth_reserved
            w.u32(auth.authContextId());
            w.bytes(auth.authValue());
        }
        assert w.pos == out.length;
        return out;
    }

    /** The 16-byte common header (C706 12.6.1, RPCE-FACTS §1). */
    private static void writeHeader(WireWriter w, int ptype, int flags, int drep, int fragLength, int authLength,
                                    int callId) {
        w.u8(PduHeader.RPC_VERS);
        w.u8(PduHeader.RPC_VERS_MINOR);
        w.u8(ptype);
        w.u8(flags);
        // drep is four single bytes, most significant first in our int
        w.u8(drep >>> 24);
        w.u8(drep >>> 16);
        w.u8(drep >>> 8);
        w.u8(drep);
        w.u16(fragLength);
        w.u16(authLength);
        w.u32(callId);
    }

    /**
     * One response fragment without a verifier, encoded straight from a slice of the response stub: one copy and
     * no records, for the server's hot path. The bytes equal those of {@code encode(new Response(...))}.
     */
    public static byte[] encodeResponse(int flags, int callId, int allocHint, int contextId, byte[] stub, int off,
                                        int len) {
        int total = Response.HEADER_SIZE + len;
        if (total > MAX_FRAGMENT) throw new IllegalArgumentException("response fragment of " + total + " bytes");
        byte[] out = new byte[total];
        WireWriter w = new WireWriter(out, 0, false);
        writeHeader(w, PType.RESPONSE, flags, Drep.LITTLE_ENDIAN, total, 0, callId);
        w.u32(allocHint);
        w.u16(contextId);
        w.u8(0); // cancel_count
        w.u8(0); // reserved
        System.arraycopy(stub, off, out, Response.HEADER_SIZE, len);
        return out;
    }

    /** Padding between stub and sec_trailer: to 16 from the stub start for stub-carrying PDUs, else none. */
    private static int authPadding(Pdu pdu) {
        return switch (pdu) {
            case Request r -> -r.stub().length & (AUTH_PAD_ALIGNMENT - 1);
            case Response r -> -r.stub().length & (AUTH_PAD_ALIGNMENT - 1);
            case Fault f -> -f.stub().length & (AUTH_PAD_ALIGNMENT - 1);
            case Bind b -> 0;
            case BindAck b -> 0;
            case BindNak b -> 0;
            case AlterContext a -> 0;
            case AlterContextResp a -> 0;
            case Auth3 a -> 0;
            case Shutdown s -> 0;
            case CoCancel c -> 0;
            case Orphaned o -> 0;
            case Rts r -> 0;
        };
    }

    /** Bytes between the common header and the auth padding. */
    private static int bodyLength(Pdu pdu) {
        return switch (pdu) {
            case Request r -> r.headerSize() - PduHeader.SIZE + r.stub().length;
            case Response r -> Response.HEADER_SIZE - PduHeader.SIZE + r.stub().length;
            case Fault f -> Fault.HEADER_SIZE - PduHeader.SIZE + f.stub().length;
            case Bind b -> contextListLength(b.contexts());
            case AlterContext a -> contextListLength(a.contexts());
            case BindAck b -> resultListOffset(b.secondaryAddress()) - PduHeader.SIZE + 4
                    + ContextResult.SIZE * b.results().size();
            case AlterContextResp a -> resultListOffset(a.secondaryAddress()) - PduHeader.SIZE + 4
                    + ContextResult.SIZE * a.results().size();
            case BindNak n -> bindNakLength(n) - PduHeader.SIZE;
            case Auth3 a -> Auth3.HEADER_SIZE - PduHeader.SIZE;
            case Shutdown s -> 0;
            case CoCancel c -> 0;
            case Orphaned o -> 0;
            case Rts r -> Rts.HEADER_SIZE - PduHeader.SIZE + r.commands().length;
        };
    }

    private static int contextListLength(List<ContextElement> contexts) {
        int n = 8 + 4; // max_xmit_frag, max_recv_frag, assoc_group_id; n_context_elem + 3 reserved
        for (ContextElement c : contexts) n += c.wireSize();
        return n;
    }

    private static int resultListOffset(String secondaryAddress) {
        return SecondaryAddress.resultListOffset(SecondaryAddress.lengthField(secondaryAddress));
    }

    /**
     * Length of a bind_nak: reason, n_protocols and the versions, padded to 4 (Windows: 24 bytes for one version),
     * then the optional signature.
     */
    private static int bindNakLength(BindNak n) {
        int len = (PduHeader.SIZE + 2 + 1 + 2 * n.versions().size() + 3) & ~3;
        return n.signature() == null ? len : len + Uuid.SIZE;
    }

    private static void writeBody(WireWriter w, Pdu pdu) {
        switch (pdu) {
            case Request r -> {
                w.u32(r.allocHint());
                w.u16(r.contextId());
                w.u16(r.opnum());
                if (r.object() != null) w.uuid(r.object());
                w.bytes(r.stub());
            }
            case Response r -> {
                w.u32(r.allocHint());
                w.u16(r.contextId());
                w.u8(r.cancelCount());
                w.u8(0);
                w.bytes(r.stub());
            }
            case Fault f -> {
                w.u32(f.allocHint());
                w.u16(f.contextId());
                w.u8(f.cancelCount());
                w.u8(f.reserved());
                w.u32(f.status());
                w.u32(0);
                w.bytes(f.stub());
            }
            case Bind b -> writeContextList(w, b.maxXmitFrag(), b.maxRecvFrag(), b.assocGroupId(), b.contexts());
            case AlterContext a ->
                    writeContextList(w, a.maxXmitFrag(), a.maxRecvFrag(), a.assocGroupId(), a.contexts());
            case BindAck b -> writeResultList(w, b.maxXmitFrag(), b.maxRecvFrag(), b.assocGroupId(),
                    b.secondaryAddress(), b.results());
            case AlterContextResp a -> writeResultList(w, a.maxXmitFrag(), a.maxRecvFrag(), a.assocGroupId(),
                    a.secondaryAddress(), a.results());
            case BindNak n -> {
                w.u16(n.reason());
                w.u8(n.versions().size());
                for (ProtocolVersion v : n.versions()) {
                    w.u8(v.major());
                    w.u8(v.minor());
                }
                w.pos = (w.pos + 3) & ~3;
                if (n.signature() != null) w.uuid(n.signature());
            }
            case Auth3 a -> w.zeros(4);
            case Shutdown s -> {
            }
            case CoCancel c -> {
            }
            case Orphaned o -> {
            }
            case Rts r -> {
                w.u16(r.rtsFlags());
                w.u16(r.numberOfCommands());
                w.bytes(r.commands());
            }
        }
    }

    private static void writeContextList(WireWriter w, int maxXmit, int maxRecv, int group,
                                         List<ContextElement> contexts) {
        w.u16(maxXmit);
        w.u16(maxRecv);
        w.u32(group);
        w.u8(contexts.size());
        w.zeros(3);
        for (ContextElement c : contexts) {
            w.u16(c.contextId());
            w.u8(c.transferSyntaxes().size());
            w.u8(0);
            w.syntax(c.abstractSyntax());
            for (SyntaxId t : c.transferSyntaxes()) w.syntax(t);
        }
    }

    private static void writeResultList(WireWriter w, int maxXmit, int maxRecv, int group, String address,
                                        List<ContextResult> results) {
        w.u16(maxXmit);
        w.u16(maxRecv);
        w.u32(group);
        int len = SecondaryAddress.lengthField(address);
        w.u16(len);
        if (len > 0) {
            w.bytes(SecondaryAddress.bytes(address));
            w.u8(0); // the NUL that the length counts
        }
        w.pos = SecondaryAddress.resultListOffset(len); // pad2 (RPCE-FACTS §2.6)
        w.u8(results.size());
        w.zeros(3);
        for (ContextResult r : results) {
            w.u16(r.result());
            w.u16(r.reason());
            w.syntax(r.transferSyntax());
        }
    }

    // ---------------------------------------------------------------- decode

    /**
     * Decodes one complete fragment; {@code fragment.length} must equal its {@code frag_length}.
     *
     * @throws ProtocolException for any malformed input, carrying the answer Windows gives
     */
    public static Pdu decode(byte[] fragment) {
        return decode(fragment, 0, fragment.length);
    }

    /** Decodes the fragment in {@code b[off, off+len)}; {@code len} must equal its {@code frag_length}. */
    public static Pdu decode(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || len > b.length - off) throw new IndexOutOfBoundsException("off/len");
        if (len < PduHeader.SIZE) throw ProtocolException.disconnect("fragment of " + len + " bytes");
        PduHeader h = PduHeader.parse(b, off);
        h.validate(MAX_FRAGMENT);
        int ptype = h.ptype();
        if (h.fragLength() != len) {
            throw ProtocolException.malformed(ptype, "frag_length " + h.fragLength() + " but " + len + " bytes");
        }
        boolean be = h.bigEndian();
        int end = off + len;
        int bodyEnd = end;
        SecTrailer auth = null;
        if (h.authLength() != 0) {
            int t = len - h.authLength() - SecTrailer.SIZE; // validate() guarantees t >= 16
            // MS-RPCE 2.2.2.11 asks senders for 16; C706 and Impacket use 4, which Samba and Windows accept.
            if ((t & 3) != 0) throw ProtocolException.malformed(ptype, "sec_trailer at unaligned offset " + t);
            WireReader tr = new WireReader(b, off + t, end, be, ptype);
            int authType = tr.u8();
            int authLevel = tr.u8();
            int authPad = tr.u8();
            tr.u8(); // auth_reserved
            int contextId = tr.u32();
            auth = new SecTrailer(authType, authLevel, authPad, contextId, tr.bytes(h.authLength(), "auth_value"));
            bodyEnd = off + t;
        }
        WireReader r = new WireReader(b, off + PduHeader.SIZE, bodyEnd, be, ptype);
        int flags = h.flags();
        int drep = h.drep();
        int callId = h.callId();
        return switch (ptype) {
            case PType.REQUEST -> {
                int allocHint = r.u32();
                int ctx = r.u16();
                int opnum = r.u16();
                Uuid object = PfcFlags.has(flags, PfcFlags.OBJECT_UUID) ? r.uuid() : null;
                yield new Request(flags, drep, callId, allocHint, ctx, opnum, object, stub(r, auth), auth);
            }
            case PType.RESPONSE -> {
                int allocHint = r.u32();
                int ctx = r.u16();
                int cancelCount = r.u8();
                r.u8();
                yield new Response(flags, drep, callId, allocHint, ctx, cancelCount, stub(r, auth), auth);
            }
            case PType.FAULT -> {
                int allocHint = r.u32();
                int ctx = r.u16();
                int cancelCount = r.u8();
                int reserved = r.u8();
                int status = r.u32();
                r.u32();
                yield new Fault(flags, drep, callId, allocHint, ctx, cancelCount, reserved, status, stub(r, auth),
                        auth);
            }
            case PType.BIND -> {
                int maxXmit = r.u16();
                int maxRecv = r.u16();
                int group = r.u32();
                yield new Bind(flags, drep, callId, maxXmit, maxRecv, group, contextList(r), auth);
            }
            case PType.ALTER_CONTEXT -> {
                int maxXmit = r.u16();
                int maxRecv = r.u16();
                int group = r.u32();
                yield new AlterContext(flags, drep, callId, maxXmit, maxRecv, group, contextList(r), auth);
            }
            case PType.BIND_ACK -> {
                int maxXmit = r.u16();
                int maxRecv = r.u16();
                int group = r.u32();
                String address = secondaryAddress(r, off);
                yield new BindAck(flags, drep, callId, maxXmit, maxRecv, group, address, resultList(r), auth);
            }
            case PType.ALTER_CONTEXT_RESP -> {
                int maxXmit = r.u16();
                int maxRecv = r.u16();
                int group = r.u32();
                String address = secondaryAddress(r, off);
                yield new AlterContextResp(flags, drep, callId, maxXmit, maxRecv, group, address, resultList(r),
                        auth);
            }
            case PType.BIND_NAK -> {
                noAuth(auth, r);
                yield bindNak(r, off, flags, drep, callId);
            }
            case PType.RPC_AUTH_3 -> {
                r.skip(4, "rpc_auth_3 pad");
                yield new Auth3(flags, drep, callId, auth);
            }
            case PType.SHUTDOWN -> {
                noAuth(auth, r);
                yield new Shutdown(flags, drep, callId);
            }
            case PType.CO_CANCEL -> new CoCancel(flags, drep, callId, auth);
            case PType.ORPHANED -> new Orphaned(flags, drep, callId, auth);
            case PType.RTS -> {
                noAuth(auth, r);
                int rtsFlags = r.u16();
                int n = r.u16();
                yield new Rts(flags, drep, callId, rtsFlags, n, r.bytes(r.remaining(), "rts commands"));
            }
            // Connectionless types and anything unknown: fault proto_error and disconnect (RPCE-FACTS §15).
            default -> throw ProtocolException.protoError("PTYPE " + PType.name(ptype)
                    + " is not a connection-oriented PDU");
        };
    }

    private static void noAuth(SecTrailer auth, WireReader r) {
        if (auth != null) throw r.malformed("carries a verifier, which this PDU type does not have");
    }

    /** The stub: what remains of the body minus the auth padding the sec_trailer announces. */
    private static byte[] stub(WireReader r, SecTrailer auth) {
        int len = r.remaining();
        if (auth != null) {
            // Samba's receive rule: auth_pad_length must not exceed the stub (RPCE-FACTS §15).
            if (auth.authPadLength() > len) {
                throw r.malformed("auth_pad_length " + auth.authPadLength() + " > stub length " + len);
            }
            len -= auth.authPadLength();
        }
        return r.bytes(len, "stub");
    }

    private static List<ContextElement> contextList(WireReader r) {
        int n = r.u8();
        r.skip(3, "p_cont_list_t reserved");
        r.need(n * 24L, "context elements"); // each is at least 4 + 20 bytes: no list sized beyond the input
        List<ContextElement> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int ctx = r.u16();
            int nts = r.u8();
            r.u8();
            r.need((1L + nts) * SyntaxId.SIZE, "p_cont_elem_t syntaxes");
            SyntaxId abstractSyntax = r.syntax();
            List<SyntaxId> ts = new ArrayList<>(nts);
            for (int j = 0; j < nts; j++) ts.add(r.syntax());
            list.add(new ContextElement(ctx, abstractSyntax, ts));
        }
        return list;
    }

    private static String secondaryAddress(WireReader r, int pduStart) {
        int len = r.u16();
        r.need(len, "sec_addr.port_spec");
        String address = SecondaryAddress.decode(r.b, r.pos, len);
        r.pos += len;
        // pad2 aligns the result list to 4 from the PDU start (RPCE-FACTS §2.6).
        int listAt = pduStart + SecondaryAddress.resultListOffset(len);
        r.skip(listAt - r.pos, "sec_addr pad");
        return address;
    }

    private static List<ContextResult> resultList(WireReader r) {
        int n = r.u8();
        r.skip(3, "p_result_list_t reserved");
        r.need((long) n * ContextResult.SIZE, "p_result_t list");
        List<ContextResult> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int result = r.u16();
            int reason = r.u16();
            list.add(new ContextResult(result, reason, r.syntax()));
        }
        return list;
    }

    /**
     * bind_nak: the reason, then, if bytes remain, the versions list, then, if 16 more bytes remain (after padding to
     * 4, else directly), the MS-RPCE 2.2.2.9 signature.
     */
    private static BindNak bindNak(WireReader r, int pduStart, int flags, int drep, int callId) {
        int reason = r.u16();
        List<ProtocolVersion> versions = List.of();
        Uuid signature = null;
        if (r.remaining() > 0) {
            int n = r.u8();
            r.need(2L * n, "p_rt_versions_supported_t");
            List<ProtocolVersion> vs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) vs.add(new ProtocolVersion(r.u8(), r.u8()));
            versions = vs;
            int aligned = pduStart + ((r.pos - pduStart + 3) & ~3);
            if (r.end - aligned >= Uuid.SIZE) {
                r.pos = aligned;
                signature = r.uuid();
            } else if (r.remaining() >= Uuid.SIZE) {
                signature = r.uuid();
            }
        }
        return new BindNak(flags, drep, callId, reason, versions, signature);
    }
}
