package dev.weft.ndr;

import static dev.weft.ndr.Hex.hex;
import static dev.weft.ndr.TransferSyntax.NDR20;
import static dev.weft.ndr.TransferSyntax.NDR64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decoder limits (architecture rule 3: check every count against the limits and the bytes that remain before
 * allocating): the array count limit, the remaining-bytes rule, nesting depth, and the streaming reader's memory.
 */
class LimitsTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Bytes allocated by the last of three runs of {@code action}, each of which must throw an NdrException; the
     * earlier runs load classes and warm up, which allocates on its own.
     */
    private static long allocationOfRefusal(Runnable action) {
        long allocated = 0;
        for (int i = 0; i < 3; i++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            assertThrows(NdrException.class, action::run);
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
        return allocated;
    }

    private static NdrReader reader(TransferSyntax syntax, byte[] b, NdrLimits limits) {
        return new NdrReader(syntax, b, 0, b.length, false, limits);
    }

    private static byte[] encode(TransferSyntax syntax, Consumer<NdrWriter> body) {
        return Hex.encode(syntax, body);
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void conformanceIsCheckedAgainstTheArrayLimit(TransferSyntax syntax) {
        NdrLimits limits = new NdrLimits(10, 16, 16);
        byte[] ten = encode(syntax, w -> w.writeConformance(10));
        assertEquals(10, reader(syntax, ten, limits).readConformance());
        byte[] eleven = encode(syntax, w -> w.writeConformance(11));
        assertThrows(NdrException.class, () -> reader(syntax, eleven, limits).readConformance());
        // u32 0xffffffff (NDR) and u64 with the top bit set (NDR64) are huge, not negative.
        byte[] huge = encode(syntax, w -> w.writeConformance(-1L));
        assertThrows(NdrException.class, () -> reader(syntax, huge, NdrLimits.DEFAULT).readConformance());
        byte[] variance = encode(syntax, w -> w.writeVariance(0, 11));
        assertThrows(NdrException.class, () -> reader(syntax, variance, limits).readVariance(100));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void aClaimedCountMustFitTheRemainingBytesBeforeAnythingIsAllocated(TransferSyntax syntax) {
        // A count of 1,000,000 within the default limit, followed by 8 bytes.
        byte[] b = encode(syntax, w -> w.writeConformance(1_000_000).writeInt64(0));
        for (int size : new int[] {1, 2, 4, 8}) {
            long allocated = allocationOfRefusal(() -> {
                NdrReader r = reader(syntax, b, NdrLimits.DEFAULT);
                int n = r.readConformance();
                switch (size) {
                    case 1 -> r.readBytes(n);
                    case 2 -> r.readChars(n);
                    case 4 -> r.readInt32s(n);
                    default -> r.readInt64s(n);
                }
            });
            assertTrue(allocated < 16 * 1024, "element size " + size + ": allocated " + allocated + " bytes for a refused count");
        }
        NdrReader r = reader(syntax, hex("00 00 00 00 00 00 00 00"), NdrLimits.DEFAULT);
        assertEquals(2, r.checkCount(2, 4));
        assertEquals(8, r.checkCount(8, 1));
        assertEquals(1000, r.checkCount(1000, 0), "elements that may be empty on the wire are only limited");
        assertThrows(NdrException.class, () -> r.checkCount(3, 4));
        assertThrows(NdrException.class, () -> r.checkCount(9, 1));
        assertThrows(NdrException.class, () -> r.checkCount(-1, 1));
        assertThrows(NdrException.class, () -> r.checkCount(NdrLimits.DEFAULT.maxArrayCount() + 1L, 0));
    }

    @Test
    void stringCountsAreCheckedBeforeTheCharactersAreRead() {
        // max 1,000,000 and actual 1,000,000 (within the default string limit), then 2 bytes.
        byte[] b = hex("40 42 0f 00 | 00 00 00 00 | 40 42 0f 00 | 41 00");
        assertTrue(allocationOfRefusal(() -> new NdrReader(NDR20, b).readWideString()) < 16 * 1024);
        assertTrue(allocationOfRefusal(() -> new NdrReader(NDR20, b).readAnsiString()) < 16 * 1024);
    }

    @Test
    void nestingDepthIsBoundedInBothDirections() {
        NdrLimits limits = new NdrLimits(100, 100, 3);
        NdrReader r = new NdrReader(NDR20, new byte[0], 0, 0, false, limits);
        r.enter();
        r.enter();
        r.enter();
        assertThrows(NdrException.class, r::enter);
        NdrReader r2 = new NdrReader(NDR20, new byte[0], 0, 0, false, limits);
        for (int i = 0; i < 10; i++) {
            r2.enter();
            r2.enter();
            r2.leave();
            r2.leave();
        }
        NdrWriter w = new NdrWriter(NDR20, 16, limits);
        w.enter();
        w.enter();
        w.enter();
        assertThrows(NdrException.class, w::enter);
    }

    /** typedef struct Node { long value; [unique] struct Node *next; } Node: a chain of any length. */
    record Node(int value, Node next) {
        static void write(NdrWriter w, Node n) {
            w.enter();
            w.writeInt32(n.value);
            boolean deferred = w.writeUniquePointer(n.next);
            w.endStruct(8);
            if (deferred) write(w, n.next);        // the referent, then (recursively) its own referents
            w.leave();
        }

        static Node read(NdrReader r) {
            r.enter();
            int value = r.readInt32();
            boolean hasNext = r.readUniquePointer();
            r.endStruct(8);
            Node next = hasNext ? read(r) : null;
            r.leave();
            return new Node(value, next);
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void aDeepChainOfUniquePointersEndsInAnNdrExceptionNotAStackOverflow(TransferSyntax syntax) {
        Node chain = null;
        for (int i = 0; i < 300; i++) chain = new Node(i, chain);
        Node list = chain;
        NdrLimits deep = new NdrLimits(100, 100, 1000);
        NdrWriter w = new NdrWriter(syntax, 64, deep);
        Node.write(w, list);
        byte[] b = w.toByteArray();
        assertEquals(list, Node.read(reader(syntax, b, deep)));
        // The default limit (256) refuses it, on both sides.
        assertThrows(NdrException.class, () -> Node.read(new NdrReader(syntax, b)));
        assertThrows(NdrException.class, () -> Node.write(new NdrWriter(syntax), list));
        // A hostile stub: 100,000 links, far deeper than any thread stack would allow without the limit.
        NdrWriter hostile = new NdrWriter(syntax, 1 << 20);
        for (int i = 0; i < 100_000; i++) {
            hostile.writeInt32(i);
            hostile.writeUniquePointer("next");
            hostile.endStruct(8);
        }
        byte[] h = hostile.toByteArray();
        assertThrows(NdrException.class, () -> Node.read(new NdrReader(syntax, h)));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void aStreamingReaderAllocatesOnlyForTheBytesThatArrive(TransferSyntax syntax) {
        // A streaming reader cannot compare a count with the bytes that remain: a hostile count of 4,000,000 followed
        // by 100 bytes and the end of the stub must not allocate megabytes.
        byte[] b = encode(syntax, w -> w.writeConformance(4_000_000).writeBytes(new byte[100]));
        for (int size : new int[] {1, 2, 4, 8, 0}) {
            long allocated = allocationOfRefusal(() -> {
                NdrReader r = new NdrReader(syntax, new ArraySource(b, 7), false, NdrLimits.DEFAULT);
                int n = r.readConformance();
                switch (size) {
                    case 1 -> r.readBytes(n);
                    case 2 -> r.readChars(n);
                    case 4 -> r.readInt32s(n);
                    case 8 -> r.readInt64s(n);
                    default -> r.readInt16s(n);
                }
            });
            // The reader's own 8 KiB buffer and one growing array for what arrived: far below the 4-32 MB claimed.
            assertTrue(allocated < 64 * 1024, "element size " + size + ": allocated " + allocated);
        }
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new NdrLimits(-1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new NdrLimits(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new NdrLimits(1, 1, 0));
        assertTrue(NdrLimits.DEFAULT.maxArrayCount() >= 4 * 1024 * 1024);
    }

    @Test
    void ndr64CountsAreEightOctets() {
        // MS-RPCE 2.2.5.3.2.1: a u64 conformance; the high half counts.
        byte[] b = hex("05 00 00 00 01 00 00 00");
        assertThrows(NdrException.class, () -> new NdrReader(NDR64, b).readConformance());
        assertEquals(5, new NdrReader(NDR20, b).readConformance());
    }

    /** Serves a byte array in pieces of at most {@code piece} bytes. */
    static final class ArraySource implements ByteSource {
        private final byte[] data;
        private final int piece;
        private int at;

        ArraySource(byte[] data, int piece) {
            this.data = data;
            this.piece = piece;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (at == data.length) return -1;
            int n = Math.min(Math.min(length, piece), data.length - at);
            System.arraycopy(data, at, buffer, offset, n);
            at += n;
            return n;
        }
    }
}
