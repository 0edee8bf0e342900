package dev.weft.pdu;

import dev.weft.ndr.Bytes;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Per-PDU protection of request and response fragments with an established {@link SecurityContext} (MS-RPCE
 * 3.3.1.5.2.2; RPCE-FACTS §4.2-§4.6, §13.4).
 *
 * <p>{@link #protect} encodes the fragment with auth padding to 16, the sec_trailer and a zero {@code auth_value} of
 * the context's signature length, so {@code frag_length} and {@code auth_length} are final, then hands the security
 * context three regions: the header (24 bytes, 40 with an object UUID), the body (stub, verification trailer and
 * auth padding) and the 8-byte sec_trailer. The body is DATA (signed; sealed at PKT_PRIVACY); the header and
 * sec_trailer are SIGN_ONLY when header signing was negotiated (PFC_SUPPORT_HEADER_SIGN) and READ_ONLY otherwise.
 * Which regions a mechanism really signs is its business: NTLMv2 signs all three either way (MS-NLMP 3.4.6.1), as
 * Windows and Samba do; Kerberos honours the kinds. The signature then fills {@code auth_value}.
 *
 * <p>{@link #unprotect} does the reverse on a received fragment: it finds the sec_trailer at
 * {@code frag_length − auth_length − 8}, checks that it names this context (auth_type, level, context id), verifies
 * or unseals a copy, and decodes the plaintext. Every failure is a {@link ProtocolException} whose answer is a
 * fault and a disconnect: a failed signature leaves the context's sequence numbers and cipher state unusable.
 *
 * <p>At CONNECT level nothing is protected: requests and responses go without a verifier and a received one is
 * ignored (Samba's behaviour). CALL is upgraded to PKT (MS-RPCE 2.2.1.1.8), and PKT signs like PKT_INTEGRITY.
 *
 * <p>Like the context, a protector must protect fragments in the order they are written and unprotect them in the
 * order they are read.
 */
public final class PduProtector {

    private final SecurityContext context;
    private final int authLevel;
    private final int authContextId;
    private final boolean headerSigning;
    private final int signatureLength;

    /**
     * @param context       an established security context
     * @param authLevel     the connection's {@link AuthLevel} (CONNECT to PKT_PRIVACY; DEFAULT means CONNECT)
     * @param authContextId the sec_trailer {@code auth_context_id} of this context
     * @param headerSigning whether PFC_SUPPORT_HEADER_SIGN was negotiated on the connection
     */
    public PduProtector(SecurityContext context, int authLevel, int authContextId, boolean headerSigning) {
        this.context = Objects.requireNonNull(context, "context");
        if (!context.isComplete()) throw new IllegalArgumentException("the security context is not established");
        this.authLevel = normalize(authLevel);
        if (this.authLevel < AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT || this.authLevel > AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY) {
            throw new IllegalArgumentException("no per-PDU protection at " + AuthLevel.name(authLevel));
        }
        this.authContextId = authContextId;
        this.headerSigning = headerSigning;
        this.signatureLength = context.signatureLength(this.authLevel == AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
    }

    /** This context with header signing on: a later bind-time negotiation (alter_context) switched it on. */
    public PduProtector withHeaderSigning() {
        return headerSigning ? this : new PduProtector(context, authLevel, authContextId, true);
    }

    /** DEFAULT is CONNECT, CALL is PKT (MS-RPCE 2.2.1.1.8). */
    static int normalize(int level) {
        return switch (level) {
            case AuthLevel.RPC_C_AUTHN_LEVEL_DEFAULT -> AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT;
            case AuthLevel.RPC_C_AUTHN_LEVEL_CALL -> AuthLevel.RPC_C_AUTHN_LEVEL_PKT;
            default -> level;
        };
    }

    /** The level this protector applies (after upgrading DEFAULT and CALL). */
    public int authLevel() {
        return authLevel;
    }

    /** Whether request and response fragments carry a verifier at this level (PKT and above). */
    public boolean protectsPdus() {
        return authLevel >= AuthLevel.RPC_C_AUTHN_LEVEL_PKT;
    }

    /**
     * The verifier each fragment reserves room for, to give {@link Fragmenter}: a zero {@code auth_value} of the
     * signature's length. {@code null} at CONNECT level, where fragments carry none.
     */
    public SecTrailer template() {
        return protectsPdus()
                ? SecTrailer.of(context.authType(), authLevel, authContextId, new byte[signatureLength])
                : null;
    }

    /**
     * The wire bytes of a protected request or response fragment. Any verifier it carries is replaced.
     *
     * @throws IllegalArgumentException for any other PDU type (bind, alter_context and auth3 carry tokens, which are
     *                                  not signed; faults are sent unsigned, RPCE-FACTS §4.6)
     * @throws SecurityContextException when the context cannot sign or seal
     */
    public byte[] protect(Pdu pdu) {
        int headerSize = switch (pdu) {
            case Request r -> r.headerSize();
            case Response r -> Response.HEADER_SIZE;
            default -> throw new IllegalArgumentException(PType.name(pdu.ptype()) + " carries no per-PDU protection");
        };
        if (!protectsPdus()) return PduCodec.encode(withAuth(pdu, null));
        byte[] wire = PduCodec.encode(withAuth(pdu, template()));
        int trailer = wire.length - signatureLength - SecTrailer.SIZE;
        List<Region> regions = regions(wire, headerSize, trailer);
        byte[] signature = authLevel == AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY
                ? context.seal(regions) : context.sign(regions);
        if (signature.length != signatureLength) {
            throw new IllegalStateException("the security context returned a " + signature.length
                    + "-byte signature, " + signatureLength + " announced");
        }
        System.arraycopy(signature, 0, wire, trailer + SecTrailer.SIZE, signatureLength);
        return wire;
    }

    /**
     * Verifies (and at PKT_PRIVACY decrypts) a received fragment and decodes it. Fragments other than request and
     * response are decoded unchanged. {@code fragment} is not modified.
     *
     * @throws ProtocolException for a malformed fragment, a verifier that is missing or names another context, or
     *                           a signature that fails (fault and disconnect)
     */
    public Pdu unprotect(byte[] fragment) {
        return unprotect(fragment, true);
    }

    /**
     * As {@link #unprotect(byte[])}; with {@code matchTrailer} false the sec_trailer's auth_type, auth_level and
     * auth_context_id are not compared with this context's. A server uses that for the second and later fragments
     * of a request: Windows verifies them with the first fragment's context and ignores what their trailers name
     * (Samba's raw_protocol tests, ntlmssp_auth_middle_*).
     */
    public Pdu unprotect(byte[] fragment, boolean matchTrailer) {
        PduHeader h = PduHeader.parse(fragment, 0);
        h.validate(PduCodec.MAX_FRAGMENT);
        int ptype = h.ptype();
        if ((ptype != PType.REQUEST && ptype != PType.RESPONSE) || !protectsPdus()) {
            return PduCodec.decode(fragment);
        }
        if (h.fragLength() != fragment.length) {
            throw ProtocolException.malformed(ptype, "frag_length " + h.fragLength() + " but " + fragment.length + " bytes");
        }
        if (h.authLength() == 0) throw denied(ptype, "no verifier at " + AuthLevel.name(authLevel));
        if (h.authLength() != signatureLength) {
            throw denied(ptype, "auth_length " + h.authLength() + " where the signature has " + signatureLength);
        }
        int headerSize = ptype == PType.REQUEST && PfcFlags.has(h.flags(), PfcFlags.OBJECT_UUID)
                ? Request.HEADER_SIZE_WITH_OBJECT : Request.HEADER_SIZE;
        int trailer = fragment.length - h.authLength() - SecTrailer.SIZE;
        if (trailer < headerSize || (trailer & 3) != 0) {
            throw ProtocolException.malformed(ptype, "sec_trailer at offset " + trailer);
        }
        int authType = fragment[trailer] & 0xFF;
        int level = normalize(fragment[trailer + 1] & 0xFF);
        int contextId = Bytes.getI32(fragment, trailer + 4, h.bigEndian());
        if (matchTrailer && (authType != context.authType() || level != authLevel || contextId != authContextId)) {
            throw denied(ptype, "verifier " + AuthType.name(authType) + "/" + AuthLevel.name(level) + "/context "
                    + contextId + " does not match the connection's " + AuthType.name(context.authType()) + "/"
                    + AuthLevel.name(authLevel) + "/context " + authContextId);
        }
        byte[] copy = fragment.clone();
        byte[] signature = Arrays.copyOfRange(fragment, trailer + SecTrailer.SIZE, fragment.length);
        List<Region> regions = regions(copy, headerSize, trailer);
        try {
            if (authLevel == AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY) {
                context.unseal(regions, signature);
            } else {
                context.verify(regions, signature);
            }
        } catch (SecurityContextException e) {
            ProtocolException p = new ProtocolException(
                    new ProtocolException.Answer.SendFault(e.reason().rpcFaultStatus(), false, true),
                    PType.name(ptype) + " call " + h.callId() + ": " + e.getMessage());
            p.initCause(e);
            throw p;
        }
        return PduCodec.decode(copy);
    }

    private List<Region> regions(byte[] wire, int headerSize, int trailer) {
        Region.Kind outside = headerSigning ? Region.Kind.SIGN_ONLY : Region.Kind.READ_ONLY;
        return List.of(
                new Region(wire, 0, headerSize, outside),
                new Region(wire, headerSize, trailer - headerSize, Region.Kind.DATA),
                new Region(wire, trailer, SecTrailer.SIZE, outside));
    }

    private static Pdu withAuth(Pdu pdu, SecTrailer auth) {
        return switch (pdu) {
            case Request r -> r.withAuth(auth);
            case Response r -> r.withAuth(auth);
            default -> throw new IllegalArgumentException(PType.name(pdu.ptype()) + " carries no per-PDU protection");
        };
    }

    /** Fault access denied and disconnect, what Samba and Windows answer to a verifier that does not fit. */
    private static ProtocolException denied(int ptype, String message) {
        return ProtocolException.faultAndDisconnect(FaultStatus.ERROR_ACCESS_DENIED, PType.name(ptype) + ": " + message);
    }
}
