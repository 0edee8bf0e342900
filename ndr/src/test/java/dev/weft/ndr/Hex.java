package dev.weft.ndr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.function.Consumer;

/** Test helpers: hex vectors with spaces and comments, encoding in one call, readable byte comparisons. */
final class Hex {
    private Hex() {
    }

    /** Parses hex digits, ignoring whitespace, '|' separators and "#..." comments up to the end of a line. */
    static byte[] hex(String text) {
        StringBuilder sb = new StringBuilder();
        boolean comment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (comment) {
                if (c == '\n') comment = false;
                continue;
            }
            if (c == '#') comment = true;
            else if (Character.digit(c, 16) >= 0) sb.append(c);
            else if (!Character.isWhitespace(c) && c != '|') throw new IllegalArgumentException("bad hex: " + c);
        }
        return HexFormat.of().parseHex(sb);
    }

    static String str(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    /** Encodes with a fresh writer and returns the stub. */
    static byte[] encode(TransferSyntax syntax, Consumer<NdrWriter> body) {
        NdrWriter w = new NdrWriter(syntax, 16);
        body.accept(w);
        return w.toByteArray();
    }

    static NdrReader reader(TransferSyntax syntax, String hex) {
        return new NdrReader(syntax, hex(hex));
    }

    static NdrReader bigEndianReader(String hex) {
        byte[] b = hex(hex);
        return new NdrReader(TransferSyntax.NDR20, b, 0, b.length, true, NdrLimits.DEFAULT);
    }

    /** Compares as hex strings, so a failure shows where the bytes differ. */
    static void assertBytes(String expectedHex, byte[] actual) {
        assertEquals(str(hex(expectedHex)), str(actual));
    }

    static void assertBytes(byte[] expected, byte[] actual, String message) {
        assertEquals(str(expected), str(actual), message);
    }
}
