package dev.weft.ndr;

import static dev.weft.ndr.Hex.assertBytes;
import static dev.weft.ndr.Hex.bigEndianReader;
import static dev.weft.ndr.Hex.encode;
import static dev.weft.ndr.Hex.hex;
import static dev.weft.ndr.Hex.reader;
import static dev.weft.ndr.TransferSyntax.NDR20;
import static dev.weft.ndr.TransferSyntax.NDR64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Known-answer vectors for the NDR primitive types (C706 14.2; MS-RPCE 2.2.5.2 for NDR64, which keeps every simple
 * type and its alignment except the enum), derived by hand from the specification. A leading {@code aa} octet
 * puts each value at an odd offset so that the alignment padding, counted from the stub start (C706 14.2.2), shows.
 */
class PrimitivesTest {

    // ------------------------------------------------------------------ encoding, identical in both syntaxes

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void booleanByteCharSmallAreOneOctetUnaligned(TransferSyntax syntax) {
        // C706 14.2.3 (boolean: one octet, 0 = FALSE), 14.2.4 (char), 14.2.5 (small), 14.2.7 (byte, uninterpreted
        // octets); 14.2.2: alignment 1.
        assertBytes("aa 01 00 41 ff 80", encode(syntax, w -> w.writeInt8(0xaa).writeBoolean(true).writeBoolean(false)
                .writeInt8('A').writeInt8(0xff).writeInt8(-128)));
        NdrReader r = reader(syntax, "aa 01 00 02 41 ff");
        assertEquals(0xaa, r.readInt8() & 0xff);
        assertTrue(r.readBoolean());
        assertFalse(r.readBoolean());
        assertTrue(r.readBoolean(), "C706 14.2.2: any non-zero octet is TRUE");
        assertEquals('A', r.readInt8());
        assertEquals(-1, r.readInt8(), "small is signed; mask 0xff for byte");
        r.expectEnd();
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void shortIsTwoOctetsAlignedTwo(TransferSyntax syntax) {
        // C706 14.2.5 integers, 14.2.2 alignment: a short is aligned to 2 from the stub start; little-endian (drep 0x10).
        assertBytes("aa 00 | 34 12 | fe ff", encode(syntax, w -> w.writeInt8(0xaa).writeInt16(0x1234).writeInt16(-2)));
        NdrReader r = reader(syntax, "aa 77 | 34 12 | fe ff");
        r.readInt8();
        assertEquals(0x1234, r.readInt16(), "padding octets are ignored whatever they hold");
        assertEquals(0xfffe, r.readInt16() & 0xffff);
        r.expectEnd();
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void longIsFourOctetsAlignedFour(TransferSyntax syntax) {
        // C706 14.2.5: long aligned 4.
        assertBytes("aa 00 00 00 | 78 56 34 12", encode(syntax, w -> w.writeInt8(0xaa).writeInt32(0x12345678)));
        assertBytes("aa 00 | 01 00 | 78 56 34 12", encode(syntax, w -> w.writeInt8(0xaa).writeInt16(1).writeInt32(0x12345678)));
        NdrReader r = reader(syntax, "aa 00 00 00 | 78 56 34 12");
        r.readInt8();
        assertEquals(0x12345678, r.readInt32());
        r.expectEnd();
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void hyperIsEightOctetsAlignedEight(TransferSyntax syntax) {
        // C706 14.2.5: hyper aligned 8.
        assertBytes("aa 00 00 00 00 00 00 00 | 08 07 06 05 04 03 02 01",
                encode(syntax, w -> w.writeInt8(0xaa).writeInt64(0x0102030405060708L)));
        NdrReader r = reader(syntax, "aa 00 00 00 00 00 00 00 | 08 07 06 05 04 03 02 81");
        r.readInt8();
        assertEquals(0x8102030405060708L, r.readInt64());
        r.expectEnd();
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void floatAndDoubleAreIeeeAlignedToTheirSize(TransferSyntax syntax) {
        // C706 14.2.6: IEEE single (4, aligned 4) and double (8, aligned 8). 1.0f = 0x3f800000, -2.5 = 0xc004000000000000.
        assertBytes("aa 00 00 00 | 00 00 80 3f | 00 00 00 00 00 00 04 c0",
                encode(syntax, w -> w.writeInt8(0xaa).writeFloat(1.0f).writeDouble(-2.5)));
        NdrReader r = reader(syntax, "aa 00 00 00 | 00 00 80 3f | 00 00 00 00 00 00 04 c0");
        r.readInt8();
        assertEquals(1.0f, r.readFloat());
        assertEquals(-2.5, r.readDouble());
        r.expectEnd();
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void wcharIsTwoOctets(TransferSyntax syntax) {
        // MS-RPCE 2.2.4 / RPCE-FACTS §10.2: wchar_t is an unsigned short, aligned 2. U+20AC EURO SIGN.
        assertBytes("aa 00 | 41 00 | ac 20", encode(syntax, w -> w.writeInt8(0xaa).writeWchar('A').writeWchar('\u20ac')));
        NdrReader r = reader(syntax, "aa 00 | 41 00 | ac 20");
        r.readInt8();
        assertEquals('A', r.readWchar());
        assertEquals('\u20ac', r.readWchar());
    }

    @Test
    void enumIsSixteenBitsInNdr20AndThirtyTwoInNdr64() {
        // C706 14.2.5 / RPCE-FACTS §10.2: MIDL sends an enum as an unsigned short, aligned 2.
        assertBytes("aa 00 | 05 00", encode(NDR20, w -> w.writeInt8(0xaa).writeEnum(5)));
        // MS-RPCE 2.2.5.2: NDR64 represents every enum as a signed long, 4 octets aligned 4.
        assertBytes("aa 00 00 00 | 05 00 00 00", encode(NDR64, w -> w.writeInt8(0xaa).writeEnum(5)));
        assertBytes("ff ff ff ff", encode(NDR64, w -> w.writeEnum(-1)));

        NdrReader r20 = reader(NDR20, "aa 00 | ff 7f");
        r20.readInt8();
        assertEquals(32767, r20.readEnum());
        NdrReader r64 = reader(NDR64, "aa 00 00 00 | fe ff ff ff");
        r64.readInt8();
        assertEquals(-2, r64.readEnum());
        r64.expectEnd();
    }

    @Test
    void ndr20EnumOutsideZeroTo32767IsRejectedBothWays() {
        // RPCE-FACTS §10.2: RPC_X_ENUM_VALUE_OUT_OF_RANGE (0x6F5) for values outside 0..32767.
        NdrException e = assertThrows(NdrException.class, () -> encode(NDR20, w -> w.writeEnum(0x8000)));
        assertEquals(NdrException.RPC_X_ENUM_VALUE_OUT_OF_RANGE, e.faultStatus());
        assertThrows(NdrException.class, () -> encode(NDR20, w -> w.writeEnum(-1)));
        NdrException d = assertThrows(NdrException.class, () -> reader(NDR20, "00 80").readEnum());
        assertEquals(0x6F5, d.faultStatus());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void v1EnumIsThirtyTwoBitsInBothSyntaxes(TransferSyntax syntax) {
        // MS-RPCE 2.2.4.6 [v1_enum]: a 32-bit value aligned 4.
        assertBytes("aa 00 00 00 | 00 00 01 00", encode(syntax, w -> w.writeInt8(0xaa).writeV1Enum(0x10000)));
        NdrReader r = reader(syntax, "aa 00 00 00 | 00 00 01 00");
        r.readInt8();
        assertEquals(0x10000, r.readV1Enum());
    }

    @Test
    void int3264IsFourOctetsInNdr20AndEightInNdr64() {
        // MS-RPCE 3.1.1.5.1.1.1 / RPCE-FACTS §10.2 and §11: __int3264 is 4 octets (aligned 4) in NDR, 8 (aligned 8) in NDR64.
        assertBytes("aa 00 00 00 | fe ff ff ff", encode(NDR20, w -> w.writeInt8(0xaa).writeInt3264(-2)));
        assertBytes("aa 00 00 00 00 00 00 00 | fe ff ff ff ff ff ff ff", encode(NDR64, w -> w.writeInt8(0xaa).writeInt3264(-2)));
        // NDR truncates to 32 bits on send.
        assertBytes("01 00 00 00", encode(NDR20, w -> w.writeInt3264(0x1_0000_0001L)));
        NdrReader r20 = reader(NDR20, "aa 00 00 00 | fe ff ff ff");
        r20.readInt8();
        assertEquals(-2L, r20.readInt3264(), "signed __int3264 is sign-extended");
        NdrReader r64 = reader(NDR64, "aa 00 00 00 00 00 00 00 | 01 00 00 00 01 00 00 00");
        r64.readInt8();
        assertEquals(0x1_0000_0001L, r64.readInt3264());
        // unsigned __int3264 is zero-extended.
        assertEquals(0xffff_fffeL, reader(NDR20, "fe ff ff ff").readUnsignedInt3264());
        assertEquals(-2L, reader(NDR64, "fe ff ff ff ff ff ff ff").readUnsignedInt3264());
    }

    @Test
    void readerRangeMustLieInsideTheArray() {
        byte[] b = new byte[16];
        assertThrows(IndexOutOfBoundsException.class, () -> new NdrReader(NDR20, b, 8, 9, false, NdrLimits.DEFAULT));
        assertThrows(IndexOutOfBoundsException.class, () -> new NdrReader(NDR20, b, 8, Integer.MAX_VALUE, false, NdrLimits.DEFAULT));
        assertThrows(IndexOutOfBoundsException.class, () -> new NdrReader(NDR20, b, -1, 4, false, NdrLimits.DEFAULT));
        assertEquals(8, new NdrReader(NDR20, b, 8, 8, false, NdrLimits.DEFAULT).remaining());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void alignmentCountsFromTheStubStartNotFromTheArray(TransferSyntax syntax) {
        // RPCE-FACTS §10.1 (C706 14.2.2, 14.3.2): alignment is relative to the first octet of the stub. The stub starts at
        // array offset 3 here, so the long after one octet starts at array offset 3 + 4.
        byte[] bytes = hex("ee ee ee | aa 00 00 00 | 78 56 34 12 | ee");
        NdrReader r = new NdrReader(syntax, bytes, 3, 8, false, NdrLimits.DEFAULT);
        assertEquals(0, r.position());
        r.readInt8();
        assertEquals(0x12345678, r.readInt32());
        assertEquals(8, r.position());
        r.expectEnd();
    }

    @Test
    void writerPaddingIsZeroEvenWhenTheBufferIsReused() {
        NdrWriter w = new NdrWriter(NDR20, 16);
        w.writeInt64(-1L).writeInt64(-1L);
        w.reset();
        w.writeInt8(1).writeInt64(2);
        assertBytes("01 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00", w.toByteArray());
    }

    @Test
    void alignPointerIsFourInNdr20AndEightInNdr64() {
        // RPCE-FACTS §11 / MS-RPCE 2.2.5: pointers and counts are 8 octets aligned 8 in NDR64.
        assertBytes("aa 00 00 00", encode(NDR20, w -> w.writeInt8(0xaa).alignPointer()));
        assertBytes("aa 00 00 00 00 00 00 00", encode(NDR64, w -> w.writeInt8(0xaa).alignPointer()));
        assertEquals(4, NDR20.pointerSize());
        assertEquals(8, NDR64.pointerSize());
        assertEquals(2, NDR20.enumSize());
        assertEquals(4, NDR64.enumSize());
    }

    @Test
    void readingPastTheEndIsAnNdrException() {
        assertThrows(NdrException.class, () -> reader(NDR20, "01 02 03").readInt32());
        assertThrows(NdrException.class, () -> reader(NDR20, "01").readInt16());
        assertThrows(NdrException.class, () -> reader(NDR64, "00 00 00 00 00 00 00").readInt64());
        assertThrows(NdrException.class, () -> reader(NDR20, "01 02").expectEnd());
        NdrReader r = reader(NDR20, "01");
        r.readInt8();
        assertThrows(NdrException.class, r::readInt8);
    }

    // ------------------------------------------------------------------ big-endian input (drep byte 0 = 0x00)

    @Test
    void ndr20DecodesBigEndianIntegersAndFloats() {
        // C706 14.1 (format label) and 14.2.5/14.2.6: with drep integer representation 0 the octets are big-endian.
        NdrReader r = bigEndianReader("aa 00 | 12 34 | 12 34 56 78 | 01 02 03 04 05 06 07 08"
                + "| 3f 80 00 00 | 00 00 00 00 | c0 04 00 00 00 00 00 00 | 00 41 | 00 05 | 00 01 00 00 | ff ff ff fe");
        assertTrue(r.isBigEndian());
        r.readInt8();
        assertEquals(0x1234, r.readInt16());
        assertEquals(0x12345678, r.readInt32());
        assertEquals(0x0102030405060708L, r.readInt64());
        assertEquals(1.0f, r.readFloat());
        assertEquals(-2.5, r.readDouble());
        assertEquals('A', r.readWchar());
        assertEquals(5, r.readEnum());
        assertEquals(0x10000, r.readV1Enum());
        assertEquals(-2L, r.readInt3264());
        r.expectEnd();
    }

    @Test
    void ndr20DecodesBigEndianBulkArraysAndStrings() {
        NdrReader r = bigEndianReader(
                "00 00 00 02 | 00 01 00 02"                           // conformant short[2] {1, 2}
                        + "| 00 00 00 02 | 00 00 00 01 00 00 00 02"   // conformant long[2]
                        + "| 00 00 00 01 | 01 02 03 04 05 06 07 08" // conformant hyper[1]: offset 24 is already aligned 8
                        + "| 00 00 00 03 | 00 00 00 00 | 00 00 00 03 | 00 48 d8 3d 00 00" // [string] wchar_t "H\ud83d"
        );
        assertArrayEquals(new short[] {1, 2}, r.readInt16s(r.readConformance()));
        assertArrayEquals(new int[] {1, 2}, r.readInt32s(r.readConformance()));
        assertArrayEquals(new long[] {0x0102030405060708L}, r.readInt64s(r.readConformance()));
        assertEquals("H\ud83d", r.readWideString());
        r.expectEnd();
    }

    @Test
    void ndr64RefusesBigEndian() {
        // MS-RPCE 2.2.5: NDR64 requires the little-endian, ASCII, IEEE format label.
        assertThrows(NdrException.class, () -> new NdrReader(NDR64, new byte[8], 0, 8, true, NdrLimits.DEFAULT));
        assertThrows(NdrException.class, () -> new NdrReader(NDR64, (b, o, l) -> -1, true, NdrLimits.DEFAULT));
    }

    // ------------------------------------------------------------------ UUIDs and syntax identifiers

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void uuidWireFormIsThreeLittleEndianFieldsThenEightOctetsAlignedFour(TransferSyntax syntax) {
        // RPCE-FACTS §9 (C706 Appendix A): u32, u16, u16 in drep order, 8 octets as-is; aligned 4 in both
        // syntaxes. The NDR64 transfer syntax UUID 71710533-beba-4937-8319-b5dbef9ccc36 is the §9 example.
        Uuid ndr64 = Uuid.parse("71710533-beba-4937-8319-b5dbef9ccc36");
        assertBytes("aa 00 00 00 | 33 05 71 71 ba be 37 49 83 19 b5 db ef 9c cc 36",
                encode(syntax, w -> w.writeInt8(0xaa).writeUuid(ndr64)));
        NdrReader r = reader(syntax, "aa 00 00 00 | 33 05 71 71 ba be 37 49 83 19 b5 db ef 9c cc 36");
        r.readInt8();
        assertEquals(ndr64, r.readUuid());
        r.expectEnd();
        assertEquals("71710533-beba-4937-8319-b5dbef9ccc36", ndr64.toString());
    }

    @Test
    void bigEndianUuidSwapsOnlyTheFirstThreeFields() {
        // C706 Appendix A: the first three fields follow the integer representation of the drep; clock_seq and node
        // are octets.
        NdrReader r = bigEndianReader("8a 88 5d 04 1c eb 11 c9 9f e8 08 00 2b 10 48 60");
        assertEquals(Uuid.parse("8a885d04-1ceb-11c9-9fe8-08002b104860"), r.readUuid());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void transferSyntaxIdentifiers(TransferSyntax syntax) {
        // MS-RPCE 2.2.4.12 (NDR 8a885d04-1ceb-11c9-9fe8-08002b104860 v2.0) and 2.2.5 (NDR64 v1.0); a p_syntax_id_t
        // is the UUID and a u32 version whose low 16 bits are the major version (C706 12.6, RPCE-FACTS §2.5).
        assertBytes("04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 | 02 00 00 00",
                encode(syntax, w -> w.writeSyntaxId(SyntaxId.NDR20)));
        assertBytes("33 05 71 71 ba be 37 49 83 19 b5 db ef 9c cc 36 | 01 00 00 00",
                encode(syntax, w -> w.writeSyntaxId(SyntaxId.NDR64)));
        SyntaxId echo = new SyntaxId(Uuid.parse("60a15ec5-4de8-11d7-a637-005056a20182"), 1, 3);
        assertBytes("aa 00 00 00 | c5 5e a1 60 e8 4d d7 11 a6 37 00 50 56 a2 01 82 | 01 00 03 00",
                encode(syntax, w -> w.writeInt8(0xaa).writeSyntaxId(echo)));
        NdrReader r = reader(syntax, "aa 00 00 00 | c5 5e a1 60 e8 4d d7 11 a6 37 00 50 56 a2 01 82 | 01 00 03 00");
        r.readInt8();
        assertEquals(echo, r.readSyntaxId());
        assertEquals(syntax, TransferSyntax.of(syntax.id()));
        assertEquals(0x00030001, echo.packedVersion());
    }

    @Test
    void syntaxIdFromWireInBothOrders() {
        byte[] le = hex("04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00");
        assertEquals(SyntaxId.NDR20, SyntaxId.fromWire(le, 0, false));
        byte[] be = hex("8a 88 5d 04 1c eb 11 c9 9f e8 08 00 2b 10 48 60 00 00 00 02");
        assertEquals(SyntaxId.NDR20, SyntaxId.fromWire(be, 0, true));
        assertEquals(SyntaxId.NDR20, bigEndianReader("8a 88 5d 04 1c eb 11 c9 9f e8 08 00 2b 10 48 60 00 00 00 02").readSyntaxId());
        assertNull(TransferSyntax.of(SyntaxId.NONE));
        byte[] out = new byte[20];
        SyntaxId.NDR20.toWire(out, 0);
        assertArrayEquals(le, out);
    }

    @Test
    void uuidTextForm() {
        Uuid u = Uuid.parse("E1AF8308-5D1F-11C9-91A4-08002B14A0FA");
        assertEquals("e1af8308-5d1f-11c9-91a4-08002b14a0fa", u.toString());
        assertEquals(u, Uuid.of(u.toUUID()));
        assertArrayEquals(hex("08 83 af e1 1f 5d c9 11 91 a4 08 00 2b 14 a0 fa"), u.toWire());
        assertEquals(u, Uuid.fromWire(u.toWire(), 0, false));
        assertTrue(Uuid.NIL.isNil());
        assertThrows(IllegalArgumentException.class, () -> Uuid.parse("e1af8308-5d1f-11c9-91a4-08002b14a0f"));
        assertThrows(IllegalArgumentException.class, () -> Uuid.parse("e1af8308x5d1f-11c9-91a4-08002b14a0fa"));
        assertThrows(IllegalArgumentException.class, () -> Uuid.parse("g1af8308-5d1f-11c9-91a4-08002b14a0fa"));
        assertTrue(Uuid.parse("00000000-0000-0000-0000-000000000001").compareTo(Uuid.parse("80000000-0000-0000-0000-000000000000")) < 0,
                "UUIDs order as unsigned numbers");
    }

    // ------------------------------------------------------------------ context handles

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void contextHandleIsTwentyOctetsAlignedFourInBothSyntaxes(TransferSyntax syntax) {
        // RPCE-FACTS §7.2, §10.8 and §11: ndr_context_handle {u32 attributes; uuid}, aligned 4, also in NDR64.
        ContextHandle h = new ContextHandle(0, Uuid.parse("01234567-89ab-cdef-0123-456789abcdef"));
        assertBytes("aa 00 00 00 | 00 00 00 00 | 67 45 23 01 ab 89 ef cd 01 23 45 67 89 ab cd ef",
                encode(syntax, w -> w.writeInt8(0xaa).writeContextHandle(h)));
        NdrReader r = reader(syntax, "aa 00 00 00 | 00 00 00 00 | 67 45 23 01 ab 89 ef cd 01 23 45 67 89 ab cd ef");
        r.readInt8();
        assertEquals(h, r.readContextHandle());
        r.expectEnd();
        assertEquals(20, encode(syntax, w -> w.writeContextHandle(ContextHandle.NULL)).length);
        assertTrue(reader(syntax, "00".repeat(20)).readContextHandle().isNull());
        assertFalse(ContextHandle.random().isNull());
    }

    @Test
    void bigEndianContextHandle() {
        NdrReader r = bigEndianReader("00 00 00 01 | 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef");
        assertEquals(new ContextHandle(1, Uuid.parse("01234567-89ab-cdef-0123-456789abcdef")), r.readContextHandle());
    }
}
