package dev.weft.pdu;

import java.util.HexFormat;

/** Test helper: hex text with any whitespace to bytes and back. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    static String of(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
