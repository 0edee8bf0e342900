package dev.weft.ndr;

import static dev.weft.ndr.Hex.assertBytes;
import static dev.weft.ndr.Hex.encode;
import static dev.weft.ndr.Hex.reader;
import static dev.weft.ndr.TransferSyntax.NDR20;
import static dev.weft.ndr.TransferSyntax.NDR64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Known-answer vectors for pointers (C706 14.3.10-14.3.12; MS-RPCE 2.2.5 for NDR64's 8-octet pointers),
 * structures (C706 14.3.6-14.3.7; RPCE-FACTS §11 for NDR64 padding and hoisted conformance) and unions
 * (C706 14.3.8, MS-RPCE 2.2.4.5 ms_union, RPCE-FACTS §11 for NDR64), hand-derived.
 */
class PointersStructsUnionsTest {

    // ------------------------------------------------------------------ pointers

    @Test
    void topLevelUniquePointerReferentFollowsItsIdImmediately() {
        // C706 14.3.10, 14.3.12 / RPCE-FACTS §10.6: a top-level [unique] long* is a referent id (the first one Windows sends
        // is 0x00020000) and then the referent at once; NULL is id 0 and nothing more.
        assertBytes("00 00 02 00 | 07 00 00 00 | 00 00 00 00", encode(NDR20, w -> {
            if (w.writeUniquePointer(7)) w.writeInt32(7);
            if (w.writeUniquePointer(null)) throw new AssertionError();
        }));
        // MS-RPCE 2.2.5 / RPCE-FACTS §11 (NDR64 pointers): 8 octets, aligned 8.
        assertBytes("aa 00 00 00 00 00 00 00 | 00 00 02 00 00 00 00 00 | 07 00 00 00", encode(NDR64, w -> {
            w.writeInt8(0xaa);
            if (w.writeUniquePointer(7)) w.writeInt32(7);
        }));
        NdrReader r = reader(NDR64, "aa 00 00 00 00 00 00 00 | 00 00 02 00 00 00 00 00 | 07 00 00 00 | 00 00 00 00 | 00 00 00 00 00 00 00 00");
        r.readInt8();
        assertTrue(r.readUniquePointer());
        assertEquals(7, r.readInt32());
        assertFalse(r.readUniquePointer(), "NULL, after 4 octets of padding");
        r.expectEnd();
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void topLevelRefPointerSendsOnlyTheReferent(TransferSyntax syntax) {
        // C706 14.3.10 / RPCE-FACTS §10.6: a top-level [ref] pointer is not represented; the referent is in place.
        assertBytes("07 00 00 00", encode(syntax, w -> w.writeInt32(7)));
        // An embedded [ref] is a non-zero placeholder, and may not be null on either side.
        assertBytes(syntax == NDR20 ? "00 00 02 00" : "00 00 02 00 00 00 00 00", encode(syntax, w -> w.writeRefPointer("x")));
        assertThrows(NdrException.class, () -> encode(syntax, w -> w.writeRefPointer(null)));
        assertThrows(NdrException.class, () -> reader(syntax, "00".repeat(syntax.pointerSize())).readRefPointer());
        reader(syntax, "f1 ae f1 ae" + " 00".repeat(syntax.pointerSize() - 4)).readRefPointer();
    }

    /** struct S { [unique] long *a; [unique] short *b; }: a test codec in the two-pass shape. */
    record S(Integer a, Short b) {
        static void writeInline(NdrWriter w, S s) {
            w.alignPointer();           // S's alignment: a pointer's (4 in NDR, 8 in NDR64)
            w.writeUniquePointer(s.a);
            w.writeUniquePointer(s.b);
            w.endStruct(8);
        }

        static void writeDeferred(NdrWriter w, S s) {
            if (s.a != null) w.writeInt32(s.a);
            if (s.b != null) w.writeInt16(s.b);
        }

        /** The decode side's mutable partial: the inline scalars, then the referents fill it in. */
        static final class Partial {
            boolean hasA;
            boolean hasB;
            Integer a;
            Short b;

            S build() {
                return new S(a, b);
            }
        }

        static Partial readInline(NdrReader r) {
            Partial p = new Partial();
            r.alignPointer();
            p.hasA = r.readUniquePointer();
            p.hasB = r.readUniquePointer();
            r.endStruct(8);
            return p;
        }

        static void readDeferred(NdrReader r, Partial p) {
            if (p.hasA) p.a = r.readInt32();
            if (p.hasB) p.b = r.readInt16();
        }
    }

    @Test
    void arrayOfStructsWithPointersSendsAllInlinePartsThenReferentsInOrder() {
        // C706 14.3.12 deferral / RPCE-FACTS §10.3, §10.6: S s[2] = {{&10, &11}, {&12, NULL}}: the four pointer
        // ids first (0x20000, +4, +8, 0), then the referents in the order of their ids: 10, 11 (short, then 2
        // octets of padding), 12.
        S[] array = {new S(10, (short) 11), new S(12, null)};
        String ndr20 = "00 00 02 00 04 00 02 00 | 08 00 02 00 00 00 00 00 | 0a 00 00 00 | 0b 00 | 00 00 | 0c 00 00 00";
        String ndr64 = "00 00 02 00 00 00 00 00 04 00 02 00 00 00 00 00 | 08 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00"
                + "| 0a 00 00 00 | 0b 00 | 00 00 | 0c 00 00 00";
        for (var c : new Object[][] {{NDR20, ndr20}, {NDR64, ndr64}}) {
            TransferSyntax syntax = (TransferSyntax) c[0];
            assertBytes((String) c[1], encode(syntax, w -> {
                for (S s : array) S.writeInline(w, s);
                for (S s : array) S.writeDeferred(w, s);
            }));
            NdrReader r = reader(syntax, (String) c[1]);
            S.Partial[] parts = {S.readInline(r), S.readInline(r)};
            for (S.Partial p : parts) S.readDeferred(r, p);
            r.expectEnd();
            assertArrayEquals(array, new S[] {parts[0].build(), parts[1].build()});
        }
    }

    @Test
    void embeddedReferentsOfATopLevelUniquePointerFollowTheReferentAndStayInTheirParameter() {
        // C706 14.3.12 / RPCE-FACTS §10.6: f([in, unique] S *p, [in] long x) with p = {&5, &6}: id of p, p's
        // inline part (ids +4, +8), p's referents, and only then x: deferral does not cross parameters.
        assertBytes("00 00 02 00 | 04 00 02 00 08 00 02 00 | 05 00 00 00 | 06 00 | 00 00 | 63 00 00 00", encode(NDR20, w -> {
            S p = new S(5, (short) 6);
            if (w.writeUniquePointer(p)) {
                S.writeInline(w, p);
                S.writeDeferred(w, p);
            }
            w.writeInt32(99);
        }));
    }

    @Test
    void referentIdsCountUpByFourPerStreamAndRestartAfterReset() {
        // RPCE-FACTS §10.6: 0x00020000, 0x00020004, ...; the values are opaque to the receiver.
        NdrWriter w = new NdrWriter(NDR20);
        w.writeUniquePointer("a");
        w.writeRefPointer("b");
        w.writeFullPointer("c");
        assertBytes("00 00 02 00 04 00 02 00 08 00 02 00", w.toByteArray());
        w.reset();
        w.writeUniquePointer("d");
        assertBytes("00 00 02 00", w.toByteArray());
        // Any non-zero id is a present referent.
        assertTrue(reader(NDR20, "01 00 00 00").readUniquePointer());
        assertEquals(0xfffffffeL, reader(NDR20, "fe ff ff ff").readPointerId());
    }

    @Test
    void fullPointersToTheSameObjectShareAnIdAndTheReferentIsSentOnce() {
        // C706 14.3.10-14.3.11 (full pointers) / RPCE-FACTS §10.6: struct P { [ptr] long *x; [ptr] long *y; [ptr] long *z; } with x == y
        // (the same object) and z another object of equal value.
        int[] shared = {5};
        int[] other = {5};
        Object[] ptrs = {shared, shared, other};
        String ndr20 = "00 00 02 00 00 00 02 00 04 00 02 00 | 05 00 00 00 | 05 00 00 00";
        String ndr64 = "00 00 02 00 00 00 00 00 00 00 02 00 00 00 00 00 04 00 02 00 00 00 00 00 | 05 00 00 00 | 05 00 00 00";
        for (var c : new Object[][] {{NDR20, ndr20}, {NDR64, ndr64}}) {
            TransferSyntax syntax = (TransferSyntax) c[0];
            assertBytes((String) c[1], encode(syntax, w -> {
                boolean[] send = new boolean[ptrs.length];
                for (int i = 0; i < ptrs.length; i++) send[i] = w.writeFullPointer(ptrs[i]);
                for (int i = 0; i < ptrs.length; i++) if (send[i]) w.writeInt32(((int[]) ptrs[i])[0]);
            }));
            // The decoder resolves x and y to one object.
            NdrReader r = reader(syntax, (String) c[1]);
            long[] ids = {r.readPointerId(), r.readPointerId(), r.readPointerId()};
            int[][] back = new int[3][];
            for (int i = 0; i < 3; i++) {
                if (r.hasFullPointer(ids[i])) {
                    back[i] = r.fullPointer(ids[i], int[].class);
                } else {
                    back[i] = new int[] {r.readInt32()};
                    r.putFullPointer(ids[i], back[i]);
                }
            }
            r.expectEnd();
            assertSame(back[0], back[1]);
            assertNotSame(back[0], back[2]);
            assertEquals(5, back[0][0]);
            assertEquals(5, back[2][0]);
        }
    }

    @Test
    void fullPointerAliasingTwoTypesIsBadStubDataNotAClassCastException() {
        NdrReader r = reader(NDR20, "");
        r.putFullPointer(0x20000, "a string");
        assertEquals("a string", r.fullPointer(0x20000, String.class));
        assertNull(r.fullPointer(0x20004, String.class));
        assertThrows(NdrException.class, () -> r.fullPointer(0x20000, int[].class));
    }

    // ------------------------------------------------------------------ structures

    @Test
    void ndr64PadsAStructureToItsAlignment() {
        // RPCE-FACTS §11 (MS-RPCE 2.2.5.3.4.1 as it cites): {long; short} takes 8 octets in NDR64; NDR has no trailing padding
        // (C706 14.3.6), so the next octet follows at once.
        assertBytes("78 56 34 12 | 34 12 | aa", encode(NDR20, w -> w.writeInt32(0x12345678).writeInt16(0x1234).endStruct(4).writeInt8(0xaa)));
        assertBytes("78 56 34 12 | 34 12 00 00 | aa", encode(NDR64, w -> w.writeInt32(0x12345678).writeInt16(0x1234).endStruct(4).writeInt8(0xaa)));
        NdrReader r = reader(NDR64, "78 56 34 12 | 34 12 ff ff | aa");
        r.readInt32();
        r.readInt16();
        r.endStruct(4);
        assertEquals((byte) 0xaa, r.readInt8());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void structIsAlignedToItsLargestMember(TransferSyntax syntax) {
        // C706 14.3.6: struct {short s; hyper h;} after one octet: aligned 8, then s, then h at the next 8.
        assertBytes("aa 00 00 00 00 00 00 00 | 01 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00",
                encode(syntax, w -> w.writeInt8(0xaa).align(8).writeInt16(1).writeInt64(2).endStruct(8)));
    }

    @Test
    void conformantStructHoistsTheCountToTheFront() {
        // C706 14.3.7.1 / RPCE-FACTS §10.5: RPC_SID (MS-DTYP 2.4.2.3) {u8 Revision; u8 SubAuthorityCount;
        // u8 IdentifierAuthority[6]; [size_is(SubAuthorityCount)] u32 SubAuthority[];} for S-1-5-32-544:
        // max_count 2 first, then 1, 2, {0,0,0,0,0,5}, then 32 and 544 with no count of their own.
        String ndr20 = "02 00 00 00 | 01 02 00 00 00 00 00 05 | 20 00 00 00 20 02 00 00";
        // RPCE-FACTS §11 (MS-RPCE 2.2.5.3.4.x as it cites): NDR64 hoists a u64 conformance.
        String ndr64 = "02 00 00 00 00 00 00 00 | 01 02 00 00 00 00 00 05 | 20 00 00 00 20 02 00 00";
        byte[] authority = {0, 0, 0, 0, 0, 5};
        int[] sub = {32, 544};
        for (var c : new Object[][] {{NDR20, ndr20}, {NDR64, ndr64}}) {
            TransferSyntax syntax = (TransferSyntax) c[0];
            assertBytes((String) c[1], encode(syntax, w -> {
                w.writeConformance(sub.length);
                w.align(4);                         // RPC_SID's own alignment (its u32 array)
                w.writeInt8(1).writeInt8(sub.length).writeBytes(authority);
                w.writeInt32s(sub, 0, sub.length);
                w.endStruct(4);
            }));
            NdrReader r = reader(syntax, (String) c[1]);
            int max = r.readConformance();
            r.align(4);
            assertEquals(1, r.readInt8());
            int count = r.readInt8() & 0xff;
            assertArrayEquals(authority, r.readBytes(6));
            assertEquals(max, count, "SubAuthorityCount agrees with the hoisted max_count");
            assertArrayEquals(sub, r.readInt32s(max));
            r.endStruct(4);
            r.expectEnd();
        }
    }

    @Test
    void conformantVaryingStructKeepsTheVarianceInPlace() {
        // C706 14.3.7.2 / RPCE-FACTS §10.5: struct { short flags; [string] wchar_t name[]; } with flags 1, name "A":
        // max_count hoisted, flags, then offset and actual_count in place before the characters.
        assertBytes("02 00 00 00 | 01 00 | 00 00 | 00 00 00 00 02 00 00 00 | 41 00 00 00", encode(NDR20, w -> {
            w.writeConformance(2).align(4).writeInt16(1).writeWideStringBody("A").endStruct(8);
        }));
        // NDR64: u64 counts aligned 8, and the structure (alignment 8) is padded at its end.
        String ndr64 = "02 00 00 00 00 00 00 00 | 01 00 | 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00"
                + "| 41 00 00 00 | 00 00 00 00";
        assertBytes(ndr64, encode(NDR64, w -> w.writeConformance(2).align(8).writeInt16(1).writeWideStringBody("A").endStruct(8)));
        NdrReader r = reader(NDR64, ndr64);
        int max = r.readConformance();
        r.align(8);
        assertEquals(1, r.readInt16());
        assertEquals("A", r.readWideStringBody(max));
        r.endStruct(8);
        r.expectEnd();
    }

    // ------------------------------------------------------------------ unions

    /** [switch_type(short)] union { [case(1)] short s; [case(2)] hyper h; [case(3)] long l; [case(4)] ; }. */
    private static void writeUnion(NdrWriter w, int tag, long value, boolean msUnion) {
        w.beginUnion(8);                              // NDR64: the largest arm alignment, before the discriminant
        w.writeInt16(tag);                            // the discriminant again, as the union's first part
        switch (tag) {
            case 1 -> w.alignUnionArm(2, 8, msUnion).writeInt16((short) value);
            case 2 -> w.alignUnionArm(8, 8, msUnion).writeInt64(value);
            case 3 -> w.alignUnionArm(4, 8, msUnion).writeInt32((int) value);
            case 4 -> { }
            default -> throw new NdrException(NdrException.NCA_S_FAULT_INVALID_TAG, "bad tag");
        }
    }

    private static long readUnion(NdrReader r, boolean msUnion) {
        r.beginUnion(8);
        int tag = r.readInt16();
        return switch (tag) {
            case 1 -> r.alignUnionArm(2, 8, msUnion).readInt16();
            case 2 -> r.alignUnionArm(8, 8, msUnion).readInt64();
            case 3 -> r.alignUnionArm(4, 8, msUnion).readInt32();
            case 4 -> -1;
            default -> throw r.badUnionTag(tag);
        };
    }

    @Test
    void ndr20NonEncapsulatedUnionAlignsTheArmToItself() {
        // RPCE-FACTS §10.7 (MIDL without ms_union, C706 14.3.8): the discriminant aligned to its type, then the chosen
        // arm to its own alignment.
        assertBytes("aa 00 | 03 00 | 78 56 34 12", encode(NDR20, w -> writeUnion(w.writeInt8(0xaa), 3, 0x12345678, false)));
        assertBytes("aa 00 | 01 00 | 34 12", encode(NDR20, w -> writeUnion(w.writeInt8(0xaa), 1, 0x1234, false)));
        assertBytes("aa 00 | 02 00 | 00 00 00 00 | 08 07 06 05 04 03 02 01",
                encode(NDR20, w -> writeUnion(w.writeInt8(0xaa), 2, 0x0102030405060708L, false)));
        assertBytes("aa 00 | 04 00", encode(NDR20, w -> writeUnion(w.writeInt8(0xaa), 4, 0, false)));
        NdrReader r = reader(NDR20, "aa 00 | 03 00 | 78 56 34 12");
        r.readInt8();
        assertEquals(0x12345678, readUnion(r, false));
        r.expectEnd();
    }

    @Test
    void ndr20MsUnionAlignsTheArmToTheLargestArm() {
        // MS-RPCE 2.2.4.5 ms_union: "the selected arm MUST be aligned to the largest alignment of all the arms".
        assertBytes("aa 00 | 03 00 | 00 00 00 00 | 78 56 34 12", encode(NDR20, w -> writeUnion(w.writeInt8(0xaa), 3, 0x12345678, true)));
        assertBytes("aa 00 | 01 00 | 00 00 00 00 | 34 12", encode(NDR20, w -> writeUnion(w.writeInt8(0xaa), 1, 0x1234, true)));
        NdrReader r = reader(NDR20, "aa 00 | 01 00 | 00 00 00 00 | 34 12");
        r.readInt8();
        assertEquals(0x1234, readUnion(r, true));
        r.expectEnd();
    }

    @Test
    void ndr64UnionAlignsToTheLargestArmBeforeAndAfterTheDiscriminant() {
        // RPCE-FACTS §11 (MS-RPCE 2.2.5.3.4.4 as it cites): aligned to the largest arm alignment before the
        // discriminant and again before the arm; ms_union is ignored in NDR64 (MS-RPCE 2.2.4.5).
        for (boolean msUnion : new boolean[] {false, true}) {
            assertBytes("aa 00 00 00 00 00 00 00 | 03 00 | 00 00 00 00 00 00 | 78 56 34 12",
                    encode(NDR64, w -> writeUnion(w.writeInt8(0xaa), 3, 0x12345678, msUnion)));
            assertBytes("aa 00 00 00 00 00 00 00 | 01 00 | 00 00 00 00 00 00 | 34 12",
                    encode(NDR64, w -> writeUnion(w.writeInt8(0xaa), 1, 0x1234, msUnion)));
            NdrReader r = reader(NDR64, "aa 00 00 00 00 00 00 00 | 01 00 | 00 00 00 00 00 00 | 34 12");
            r.readInt8();
            assertEquals(0x1234, readUnion(r, msUnion));
            r.expectEnd();
        }
    }

    @Test
    void encapsulatedUnionIsAStructAlignedToItsLargestMember() {
        // RPCE-FACTS §10.7 (C706 14.3.8): union switch (long d) { case 1: short s; case 2: hyper h; } is a struct
        // {long d; union u}: the struct starts at max(4, 2, 8) = 8, the arm is aligned to itself (ms_union is ignored
        // for encapsulated unions, MS-RPCE 2.2.4.5). NDR64 aligns the arm to the largest arm and pads the struct.
        assertBytes("aa 00 00 00 00 00 00 00 | 01 00 00 00 | 34 12", encode(NDR20, w -> {
            w.writeInt8(0xaa).align(8).writeInt32(1).alignUnionArm(2, 8, false).writeInt16(0x1234).endStruct(8);
        }));
        assertBytes("aa 00 00 00 00 00 00 00 | 01 00 00 00 00 00 00 00 | 34 12 00 00 00 00 00 00", encode(NDR64, w -> {
            w.writeInt8(0xaa).align(8).beginUnion(8).writeInt32(1).alignUnionArm(2, 8, false).writeInt16(0x1234).endStruct(8);
        }));
        assertBytes("02 00 00 00 | 00 00 00 00 | 08 07 06 05 04 03 02 01", encode(NDR20, w -> {
            w.align(8).writeInt32(2).alignUnionArm(8, 8, false).writeInt64(0x0102030405060708L).endStruct(8);
        }));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void undefinedUnionTagIsAnInvalidTagFault(TransferSyntax syntax) {
        // RPCE-FACTS §10.7: a discriminant without an arm or default is nca_s_fault_invalid_tag.
        NdrException e = assertThrows(NdrException.class, () -> readUnion(reader(syntax, "09 00" + " 00".repeat(14)), false));
        assertEquals(NdrException.NCA_S_FAULT_INVALID_TAG, e.faultStatus());
    }
}
