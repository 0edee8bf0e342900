package dev.weft.pdu;

import dev.weft.ndr.Bytes;
import java.util.OptionalInt;

/**
 * The authentication verifier at the end of a PDU: the 8-byte sec_trailer (MS-RPCE 2.2.2.11; C706 12.6
 * {@code auth_verifier_co_t}) and the {@code auth_value} token that follows it.
 *
 * <p>The trailer starts at {@code frag_length − auth_length − 8} (RPCE-FACTS §14.12). {@code authPadLength} is what
 * a received PDU said; the encoder ignores it and computes the padding itself (16 bytes relative to the stub for
 * request, response and fault; none for the other PDUs, RPCE-FACTS §4.2).
 *
 * @param authType      an {@link AuthType} value
 * @param authLevel     an {@link AuthLevel} value
 * @param authPadLength padding bytes between the stub and the trailer, as received
 * @param authContextId the security context on this connection
 * @param authValue     the token, signature or checksum; its length is the header's {@code auth_length}
 */
public record SecTrailer(int authType, int authLevel, int authPadLength, int authContextId, byte[] authValue) {

    /** Size of the fixed part, without {@code auth_value}. */
    public static final int SIZE = 8;

    /** Checks that every field fits its wire size; copies lists. */
    public SecTrailer {
        if ((authType & ~0xFF) != 0 || (authLevel & ~0xFF) != 0 || (authPadLength & ~0xFF) != 0) {
            throw new IllegalArgumentException("sec_trailer byte field out of range");
        }
        if (authValue == null) throw new NullPointerException("authValue");
        if (authValue.length > 0xFFFF - SIZE) throw new IllegalArgumentException("auth_value too long");
    }

    /** A trailer to send; the encoder fills in the padding. */
    public static SecTrailer of(int authType, int authLevel, int authContextId, byte[] authValue) {
        return new SecTrailer(authType, authLevel, 0, authContextId, authValue);
    }

    /**
     * The {@code auth_context_id} of a received fragment's sec_trailer, read from its bytes without decoding it: which
     * of a connection's security contexts (MS-RPCE 3.3.1.5.4) must verify it. Empty when the fragment carries no
     * verifier ({@code auth_length} 0) or its trailer's place does not lie within it (decoding then says why).
     */
    public static OptionalInt contextIdOf(byte[] fragment) {
        PduHeader h = PduHeader.parse(fragment, 0);
        int at = h.fragLength() - h.authLength() - SIZE;
        if (h.authLength() == 0 || h.fragLength() > fragment.length || at < PduHeader.SIZE) return OptionalInt.empty();
        return OptionalInt.of(Bytes.getI32(fragment, at + 4, h.bigEndian()));
    }

    /** The header's {@code auth_length}. */
    public int authLength() {
        return authValue.length;
    }

    /** The same trailer with another token (for example the signature computed after encoding). */
    public SecTrailer withAuthValue(byte[] value) {
        return new SecTrailer(authType, authLevel, authPadLength, authContextId, value);
    }

    @Override
    public String toString() {
        return "SecTrailer[" + AuthType.name(authType) + ", " + AuthLevel.name(authLevel) + ", pad=" + authPadLength
                + ", context=" + authContextId + ", auth_length=" + authValue.length + "]";
    }
}
