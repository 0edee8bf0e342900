package dev.weft.interfaces;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.TransferSyntax;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The comparison the capture tests rest on lets pointer values differ as Samba's do, and nothing else. */
class WireCompareTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static void same(String peer, String weft, TransferSyntax syntax) {
        WireCompare.assertSameButReferentIds("test", hex(peer), hex(weft), syntax);
    }

    static AssertionError differs(String peer, String weft, TransferSyntax syntax) {
        return assertThrows(AssertionError.class, () -> same(peer, weft, syntax));
    }

    @Test
    void idsNumberedOnFromTheRequestPass() {
        // Two unique pointers and a u32: Samba's ids start 3 pointers on (0x0002000c), Weft's at 0x00020000.
        same("0c000200 10000200 07000000", "00000200 04000200 07000000", TransferSyntax.NDR20);
        same("0c00020000000000 1000020000000000", "0000020000000000 0400020000000000", TransferSyntax.NDR64);
    }

    @Test
    void fullPointersAndTheRefPlaceholderPass() {
        same("01000000 02000000", "00000200 04000200", TransferSyntax.NDR20);
        same("f1aef1ae 08000200", "00000200 04000200", TransferSyntax.NDR20);   // Weft counted the ref, Samba did not
    }

    @Test
    void anythingElseFails() {
        assertTrue(differs("00000200 07000000", "00000200 08000000", TransferSyntax.NDR20).getMessage()
                .contains("Weft's is no referent id"));                                   // a value
        differs("00000200 0700", "00000200 070000", TransferSyntax.NDR20);                // a length
        differs("00000000", "00000200", TransferSyntax.NDR20);                            // null against non-null
        differs("0c000200 14000200", "00000200 04000200", TransferSyntax.NDR20);          // no one constant
        differs("00000200 0a0b", "00000200 0a0c", TransferSyntax.NDR20);                  // a trailing byte
    }
}
