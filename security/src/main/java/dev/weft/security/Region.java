package dev.weft.security;

import java.util.Objects;

/**
 * One buffer of a message given to {@link SecurityContext#sign}, {@link SecurityContext#seal} and their inverses,
 * as SSPI's SecBuffer and MS-RPCE 3.3.1.5.2.2 describe a PDU: the header, the body (stub, verification trailer
 * and auth padding) and the sec_trailer are separate regions, in PDU order.
 *
 * @param buffer the bytes; DATA regions are encrypted or decrypted in place
 * @param offset where the region starts in {@code buffer}
 * @param length its length
 * @param kind   how the mechanism treats it
 */
public record Region(byte[] buffer, int offset, int length, Kind kind) {

    /** How a region is protected. */
    public enum Kind {
        /** Signed, and sealed when sealing (SECBUFFER_DATA). */
        DATA,
        /** Signed but never sealed (SECBUFFER_READONLY_WITH_CHECKSUM): the header with header signing. */
        SIGN_ONLY,
        /**
         * Neither sealed nor, for mechanisms that honour the distinction, signed (SECBUFFER_READONLY). NTLMv2 signs
         * it anyway: MS-NLMP 3.4.6.1 includes every input buffer in the NTLMv2 signature.
         */
        READ_ONLY
    }

    /** Checks the bounds. */
    public Region {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(kind, "kind");
        Objects.checkFromIndexSize(offset, length, buffer.length);
    }

    /** A DATA region over a whole array. */
    public static Region data(byte[] b) {
        return new Region(b, 0, b.length, Kind.DATA);
    }
}
