package dev.weft.pdu;

import java.nio.charset.StandardCharsets;

/**
 * The {@code sec_addr} of bind_ack and alter_context_resp (RPCE-FACTS §2.6): a u16 length that counts the
 * terminating NUL, the ASCII {@code port_spec}, then padding to a 4-byte boundary of the PDU.
 */
final class SecondaryAddress {
    private SecondaryAddress() {
    }

    static void check(String address) {
        if (address == null) throw new NullPointerException("secondaryAddress");
        if (address.length() > 0xFFFE) throw new IllegalArgumentException("secondary address too long");
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            // Latin-1 so that any received byte string round-trips; senders use ASCII.
            if (c == 0 || c > 0xFF) throw new IllegalArgumentException("secondary address must be 8-bit without NUL");
        }
    }

    /** The wire length field: 0 for an empty address, else the characters plus the NUL. */
    static int lengthField(String address) {
        return address.isEmpty() ? 0 : address.length() + 1;
    }

    /** Offset of the result list for a length field {@code len}: 26 + len, rounded up to 4. */
    static int resultListOffset(int len) {
        return (26 + len + 3) & ~3;
    }

    static byte[] bytes(String address) {
        return address.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Decodes {@code len} bytes, stopping at the first NUL (the terminator); bytes above 0x7F map 1:1. */
    static String decode(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.ISO_8859_1);
    }
}
