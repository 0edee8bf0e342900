package dev.weft.security;

import java.util.HexFormat;

/** Test helper: hex text with any whitespace to bytes and back. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    public static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
