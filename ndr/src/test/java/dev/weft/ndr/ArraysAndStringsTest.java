package dev.weft.ndr;

import static dev.weft.ndr.Hex.assertBytes;
import static dev.weft.ndr.Hex.encode;
import static dev.weft.ndr.Hex.hex;
import static dev.weft.ndr.Hex.reader;
import static dev.weft.ndr.TransferSyntax.NDR20;
import static dev.weft.ndr.TransferSyntax.NDR64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Known-answer vectors for arrays (C706 14.3.3; MS-RPCE 2.2.5.3.2.1-2.2.5.3.2.3 for NDR64), strings (C706 14.3.4) and counted strings in the shape of RPC_UNICODE_STRING (MS-DTYP 2.3.10), in both syntaxes,
 * hand-derived. {@code aa} is a leading octet that makes the alignment of the first count visible.
 */
class ArraysAndStringsTest {

    // ------------------------------------------------------------------ fixed arrays

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void fixedArrayIsJustTheElements(TransferSyntax syntax) {
        // C706 14.3.3.1 uni-dimensional fixed array: the elements only, each aligned to its type; same in NDR64
        // (MS-RPCE 2.2.5.3.2 changes only the counts).
        assertBytes("aa 00 | 01 00 02 00 03 00", encode(syntax, w -> w.writeInt8(0xaa).writeInt16s(new short[] {1, 2, 3}, 0, 3)));
        NdrReader r = reader(syntax, "aa 00 | 01 00 02 00 03 00");
        r.readInt8();
        assertArrayEquals(new short[] {1, 2, 3}, r.readInt16s(3));
        r.expectEnd();
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void fixedMultiDimensionalArrayIsRowMajor(TransferSyntax syntax) {
        // C706 14.3.3 (ordering of elements in multi-dimensional arrays): row-major (C) order, no counts for fixed bounds.
        // long a[2][3] = {{1,2,3},{4,5,6}}.
        String wire = "01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00 05 00 00 00 06 00 00 00";
        int[][] a = {{1, 2, 3}, {4, 5, 6}};
        assertBytes(wire, encode(syntax, w -> {
            for (int[] row : a) w.writeInt32s(row, 0, row.length);
        }));
        NdrReader r = reader(syntax, wire);
        int[][] back = new int[2][];
        for (int i = 0; i < 2; i++) back[i] = r.readInt32s(3);
        assertArrayEquals(a, back);
        r.expectEnd();
    }

    // ------------------------------------------------------------------ conformant, varying, conformant varying

    @Test
    void conformantArray() {
        // C706 14.3.3.2: max_count (u32, aligned 4) then the elements. [size_is(2)] long a[] = {1, 2}.
        assertBytes("aa 00 00 00 | 02 00 00 00 | 01 00 00 00 02 00 00 00",
                encode(NDR20, w -> w.writeInt8(0xaa).writeConformance(2).writeInt32s(new int[] {1, 2}, 0, 2)));
        // MS-RPCE 2.2.5.3.2.1: NDR64 max_count is a u64 (aligned 8).
        assertBytes("aa 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00 | 01 00 00 00 02 00 00 00",
                encode(NDR64, w -> w.writeInt8(0xaa).writeConformance(2).writeInt32s(new int[] {1, 2}, 0, 2)));

        for (var c : new Object[][] {{NDR20, "aa 00 00 00 | 02 00 00 00 | 01 00 00 00 02 00 00 00"},
                {NDR64, "aa 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00 | 01 00 00 00 02 00 00 00"}}) {
            NdrReader r = reader((TransferSyntax) c[0], (String) c[1]);
            r.readInt8();
            int n = r.readConformance();
            assertEquals(2, n);
            assertArrayEquals(new int[] {1, 2}, r.readInt32s(n));
            r.expectEnd();
        }
    }

    @Test
    void varyingArray() {
        // C706 14.3.3.3: offset and actual_count (u32 each) then the transmitted elements only.
        // [length_is(2)] short a[5] = {7, 8, ...}.
        assertBytes("00 00 00 00 | 02 00 00 00 | 07 00 08 00",
                encode(NDR20, w -> w.writeVariance(0, 2).writeInt16s(new short[] {7, 8, 0, 0, 0}, 0, 2)));
        // MS-RPCE 2.2.5.3.2.2: NDR64 offset and actual_count are u64.
        assertBytes("00 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00 | 07 00 08 00",
                encode(NDR64, w -> w.writeVariance(0, 2).writeInt16s(new short[] {7, 8, 0, 0, 0}, 0, 2)));

        NdrReader r = reader(NDR20, "01 00 00 00 | 02 00 00 00 | 07 00 08 00");
        assertEquals(2, r.readVariance(5));
        assertEquals(1, r.lastVarianceOffset(), "[first_is] offsets are passed through");
        assertArrayEquals(new short[] {7, 8}, r.readInt16s(2));
        r.expectEnd();
        NdrReader r64 = reader(NDR64, "00 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00 | 07 00 08 00");
        assertEquals(2, r64.readVariance(5));
        assertArrayEquals(new short[] {7, 8}, r64.readInt16s(2));
    }

    @Test
    void varianceBeyondTheBoundIsRejected() {
        // C706 14.3.3.3: offset + actual_count must not exceed the array's size.
        NdrException e = assertThrows(NdrException.class, () -> reader(NDR20, "00 00 00 00 06 00 00 00").readVariance(5));
        assertEquals(NdrException.RPC_S_INVALID_BOUND, e.faultStatus());
        assertThrows(NdrException.class, () -> reader(NDR20, "04 00 00 00 02 00 00 00").readVariance(5));
        assertThrows(NdrException.class, () -> reader(NDR20, "ff ff ff ff 02 00 00 00").readVariance(5));
        assertThrows(NdrException.class, () -> reader(NDR64, "00".repeat(8) + "ff".repeat(8)).readVariance(5));
        assertThrows(NdrException.class, () -> reader(NDR64, "ff".repeat(8) + "00".repeat(8)).readVariance(5));
    }

    @Test
    void conformantVaryingArray() {
        // C706 14.3.3.4: max_count, offset, actual_count, elements. [size_is(5), length_is(2)] long a[].
        assertBytes("05 00 00 00 | 00 00 00 00 | 02 00 00 00 | 0a 00 00 00 0b 00 00 00",
                encode(NDR20, w -> w.writeConformance(5).writeVariance(0, 2).writeInt32s(new int[] {10, 11}, 0, 2)));
        // MS-RPCE 2.2.5.3.2.3: three u64, always all present.
        assertBytes("05 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00 | 0a 00 00 00 0b 00 00 00",
                encode(NDR64, w -> w.writeConformance(5).writeVariance(0, 2).writeInt32s(new int[] {10, 11}, 0, 2)));
        NdrReader r = reader(NDR64, "05 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00 | 0a 00 00 00 0b 00 00 00");
        int max = r.readConformance();
        int actual = r.readVariance(max);
        assertArrayEquals(new int[] {10, 11}, r.readInt32s(actual));
        r.expectEnd();
    }

    @Test
    void multiDimensionalConformantVaryingArray() {
        // C706 14.3.3 (multi-dimensional conformant varying arrays) / RPCE-FACTS §10.3: all max_counts first (one per dimension), then an (offset, actual_count)
        // pair per dimension, then the elements row-major. [size_is(2,3), length_is(2,2)] short a[][]: rows 0-1,
        // columns 0-1 of each are sent.
        String ndr20 = "02 00 00 00 03 00 00 00 | 00 00 00 00 02 00 00 00 | 00 00 00 00 02 00 00 00 | 01 00 02 00 04 00 05 00";
        String ndr64 = "02 00 00 00 00 00 00 00 03 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00"
                + "| 00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 | 01 00 02 00 04 00 05 00";
        for (var c : new Object[][] {{NDR20, ndr20}, {NDR64, ndr64}}) {
            TransferSyntax syntax = (TransferSyntax) c[0];
            assertBytes((String) c[1], encode(syntax, w -> w.writeConformance(2).writeConformance(3)
                    .writeVariance(0, 2).writeVariance(0, 2).writeInt16s(new short[] {1, 2, 4, 5}, 0, 4)));
            NdrReader r = reader(syntax, (String) c[1]);
            int rows = r.readConformance();
            int cols = r.readConformance();
            int usedRows = r.readVariance(rows);
            int usedCols = r.readVariance(cols);
            assertArrayEquals(new short[] {1, 2, 4, 5}, r.readInt16s(usedRows * usedCols));
            r.expectEnd();
        }
    }

    // ------------------------------------------------------------------ [string]

    @Test
    void wideStringCountsIncludeTheTerminator() {
        // C706 14.3.4 / RPCE-FACTS §10.4: conformant varying, counts in characters including the NUL.
        assertBytes("03 00 00 00 | 00 00 00 00 | 03 00 00 00 | 48 00 69 00 00 00", encode(NDR20, w -> w.writeWideString("Hi")));
        // NDR64: a string is a conformant varying array, so MS-RPCE 2.2.5.3.2.3's three u64.
        assertBytes("03 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 | 03 00 00 00 00 00 00 00 | 48 00 69 00 00 00",
                encode(NDR64, w -> w.writeWideString("Hi")));
        assertEquals("Hi", reader(NDR20, "03 00 00 00 | 00 00 00 00 | 03 00 00 00 | 48 00 69 00 00 00").readWideString());
        assertEquals("Hi", reader(NDR64, "03 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 | 03 00 00 00 00 00 00 00 | 48 00 69 00 00 00").readWideString());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void emptyStringHasCountsOfOneAndOneNul(TransferSyntax syntax) {
        // RPCE-FACTS §10.4: "" is max_count 1, offset 0, actual_count 1 and a single NUL.
        String wide = syntax == NDR20 ? "01 00 00 00 00 00 00 00 01 00 00 00 | 00 00"
                : "01 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 | 01 00 00 00 00 00 00 00 | 00 00";
        assertBytes(wide, encode(syntax, w -> w.writeWideString("")));
        assertEquals("", reader(syntax, wide).readWideString());
        String ansi = syntax == NDR20 ? "01 00 00 00 00 00 00 00 01 00 00 00 | 00"
                : "01 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 | 01 00 00 00 00 00 00 00 | 00";
        assertBytes(ansi, encode(syntax, w -> w.writeAnsiString("")));
        assertEquals("", reader(syntax, ansi).readAnsiString());
    }

    @Test
    void charString() {
        // C706 14.3.4: [string] char: one octet per character, NUL included in the counts.
        assertBytes("aa 00 00 00 | 03 00 00 00 00 00 00 00 03 00 00 00 | 61 62 00",
                encode(NDR20, w -> w.writeInt8(0xaa).writeAnsiString("ab")));
        assertBytes("03 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 | 03 00 00 00 00 00 00 00 | 61 e9 00",
                encode(NDR64, w -> w.writeAnsiString("a\u00e9")));
        NdrReader r = reader(NDR20, "aa 00 00 00 | 03 00 00 00 00 00 00 00 03 00 00 00 | 61 62 00");
        r.readInt8();
        assertEquals("ab", r.readAnsiString());
        r.expectEnd();
        assertThrows(NdrException.class, () -> encode(NDR20, w -> w.writeAnsiString("\u20ac")), "not one octet");
    }

    @Test
    void fixedSizeStringIsAVaryingArray() {
        // RPCE-FACTS §10.4: [string] wchar_t buf[8] sends offset and actual_count only; the bound is not sent.
        assertBytes("00 00 00 00 | 03 00 00 00 | 48 00 69 00 00 00", encode(NDR20, w -> w.writeVaryingWideString("Hi", 8)));
        assertBytes("00 00 00 00 00 00 00 00 | 03 00 00 00 00 00 00 00 | 48 00 69 00 00 00",
                encode(NDR64, w -> w.writeVaryingWideString("Hi", 8)));
        assertEquals("Hi", reader(NDR20, "00 00 00 00 | 03 00 00 00 | 48 00 69 00 00 00").readVaryingWideString(8));
        // "Hi" plus NUL does not fit 2 characters, on either side.
        assertThrows(NdrException.class, () -> encode(NDR20, w -> w.writeVaryingWideString("Hi", 2)));
        assertThrows(NdrException.class, () -> reader(NDR20, "00 00 00 00 | 03 00 00 00 | 48 00 69 00 00 00").readVaryingWideString(2));
        // A [string] char buf[N] has the same shape with octets.
        assertBytes("00 00 00 00 | 02 00 00 00 | 7a 00", encode(NDR20, w -> w.writeAnsiStringBody("z")));
        assertEquals("z", reader(NDR20, "00 00 00 00 | 02 00 00 00 | 7a 00").readAnsiStringBody(16));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void stringReceiveChecks(TransferSyntax syntax) {
        // RPCE-FACTS §10.4: the receiver checks offset == 0, actual_count <= max_count, the final NUL; and the
        // configured string limit (rule 3 of the architecture).
        String[][] bad = {
                {"03", "01", "02", "4800 0000", "non-zero offset"},
                {"02", "00", "03", "4800 6900 0000", "actual > max"},
                {"02", "00", "02", "4800 6900", "missing NUL"},
                {"01", "00", "00", "", "actual 0: no room for the NUL"},
        };
        for (String[] b : bad) {
            String wide = count(syntax, b[0]) + count(syntax, b[1]) + count(syntax, b[2]) + b[3];
            assertThrows(NdrException.class, () -> reader(syntax, wide).readWideString(), "wchar_t: " + b[4]);
            String ansiBody = b[4].equals("missing NUL") ? "48 69" : b[4].startsWith("actual 0") ? "" : ansiOf(b[3]);
            String a = count(syntax, b[0]) + count(syntax, b[1]) + count(syntax, b[2]) + ansiBody;
            assertThrows(NdrException.class, () -> reader(syntax, a).readAnsiString(), "char: " + b[4]);
        }
        // Over the string limit (here 4 characters with the NUL), although the array limit would allow it.
        NdrLimits limits = new NdrLimits(1000, 4, 16);
        byte[] five = hex(count(syntax, "05") + count(syntax, "00") + count(syntax, "05") + "61 00 62 00 63 00 64 00 00 00");
        assertThrows(NdrException.class, () -> new NdrReader(syntax, five, 0, five.length, false, limits).readWideString());
        byte[] fiveA = hex(count(syntax, "05") + count(syntax, "00") + count(syntax, "05") + "61 62 63 64 00");
        assertThrows(NdrException.class, () -> new NdrReader(syntax, fiveA, 0, fiveA.length, false, limits).readAnsiString());
        byte[] four = hex(count(syntax, "04") + count(syntax, "00") + count(syntax, "04") + "61 62 63 00");
        assertEquals("abc", new NdrReader(syntax, four, 0, four.length, false, limits).readAnsiString());
    }

    private static String ansiOf(String wideHex) {
        // "4800 0000" -> "48 00"; "4800 6900 0000" -> "48 69 00"
        StringBuilder sb = new StringBuilder();
        byte[] b = hex(wideHex);
        for (int i = 0; i < b.length; i += 2) sb.append(String.format("%02x ", b[i]));
        return sb.toString();
    }

    /** A count of one octet's value in the syntax's width: u32 in NDR, u64 in NDR64, little-endian. */
    private static String count(TransferSyntax syntax, String lowOctet) {
        return lowOctet + (syntax == NDR20 ? " 00 00 00 " : " 00 00 00 00 00 00 00 ");
    }

    // ------------------------------------------------------------------ counted strings (RPC_UNICODE_STRING)

    @Test
    void countedStringInTheShapeOfRpcUnicodeString() {
        // MS-DTYP 2.3.10 RPC_UNICODE_STRING {u16 Length; u16 MaximumLength; [size_is(MaximumLength/2),
        // length_is(Length/2)] wchar_t *Buffer;}: inline Length 4, MaximumLength 6, the first referent id
        // 0x00020000 (RPCE-FACTS §10.6); deferred: max_count 3, offset 0, actual_count 2, "AB", no NUL.
        String ndr20 = "04 00 06 00 | 00 00 02 00 | 03 00 00 00 00 00 00 00 02 00 00 00 | 41 00 42 00";
        // NDR64: the pointer is 8 octets aligned 8 (MS-RPCE 2.2.5), the counts u64.
        String ndr64 = "04 00 06 00 00 00 00 00 | 00 00 02 00 00 00 00 00 | 03 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00"
                + "| 02 00 00 00 00 00 00 00 | 41 00 42 00";
        for (var c : new Object[][] {{NDR20, ndr20}, {NDR64, ndr64}}) {
            TransferSyntax syntax = (TransferSyntax) c[0];
            assertBytes((String) c[1], encode(syntax, w -> {
                w.alignPointer();                       // the struct's alignment: 4 in NDR, 8 in NDR64
                w.writeInt16(4).writeInt16(6);
                boolean deferred = w.writeUniquePointer("AB");
                w.endStruct(8);
                if (deferred) w.writeCountedChars("AB", 3);
            }));
            NdrReader r = reader(syntax, (String) c[1]);
            r.alignPointer();
            int length = r.readInt16() & 0xffff;
            int maximumLength = r.readInt16() & 0xffff;
            boolean present = r.readUniquePointer();
            r.endStruct(8);
            assertEquals(true, present);
            assertEquals("AB", r.readCountedChars(length, maximumLength));
            r.expectEnd();
        }
    }

    @Test
    void countedStringCountsMustAgreeWithTheInlineLengths() {
        String body = "03 00 00 00 00 00 00 00 02 00 00 00 | 41 00 42 00";
        assertEquals("AB", reader(NDR20, body).readCountedChars(4, 6));
        assertThrows(NdrException.class, () -> reader(NDR20, body).readCountedChars(2, 6), "Length disagrees");
        assertThrows(NdrException.class, () -> reader(NDR20, body).readCountedChars(4, 8), "MaximumLength disagrees");
        assertThrows(NdrException.class, () -> reader(NDR20, body).readCountedChars(5, 6), "odd Length");
        assertThrows(NdrException.class, () -> reader(NDR20, "03 00 00 00 01 00 00 00 02 00 00 00 | 41 00 42 00").readCountedChars(4, 6), "offset");
        assertThrows(NdrException.class, () -> reader(NDR20, "02 00 00 00 00 00 00 00 03 00 00 00 | 41 00 42 00 43 00").readCountedChars(6, 4), "Length > MaximumLength");
        assertThrows(NdrException.class, () -> encode(NDR20, w -> w.writeCountedChars("ABC", 2)));
    }

    @Test
    void wcharDataKeepsUnpairedSurrogates() {
        // wchar_t is a 16-bit code unit (MS-RPCE 2.2.4 / C706 14.2): names may hold unpaired surrogates and must come
        // back exactly, not replaced by U+FFFD.
        String odd = "a\ud800b\udc00\ud83d";
        for (TransferSyntax syntax : TransferSyntax.values()) {
            byte[] wire = encode(syntax, w -> w.writeWideString(odd).writeCountedChars(odd, 6));
            NdrReader r = new NdrReader(syntax, wire);
            assertEquals(odd, r.readWideString());
            assertEquals(odd, r.readCountedChars(10, 12));
        }
    }
}
