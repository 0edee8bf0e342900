package dev.weft.ndr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.TestModel.Generator;
import dev.weft.ndr.TestModel.Request;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated stubs to the decoders of the nested test types in both syntaxes (architecture rule 3:
 * every byte from the network is hostile). Only {@link NdrException} may escape, and no input may make a decoder
 * allocate more than a fixed multiple of its size plus a constant. The iteration count comes from the system
 * property {@code weft.fuzz.iterations} (default 1,000,000); the seed is printed with every failure and can be
 * replayed with {@code -Dweft.fuzz.seed=...}.
 */
class RobustnessTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Allocation allowed per decode: this many bytes per input byte... */
    private static final long BYTES_PER_INPUT_BYTE = 64;
    /** ...plus this constant (an exception with its stack trace and message, a few small lists). */
    private static final long CONSTANT = 48 * 1024;
    /** Decodes before the allocation bound is enforced: class loading and JIT warm-up allocate on their own. */
    private static final int WARM_UP = 20_000;
    private static final int CORPUS = 64;

    private static final int[] HUGE_32 = {0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x00400000, 0x003FFFFF, 0x3FFFFFFF,
            0x10000, 0xFFFF, 0x1000, 0x00020000, 0x00020004, 1, 0};
    private static final long[] HUGE_64 = {-1L, Long.MAX_VALUE, Long.MIN_VALUE, 0x80000000L, 0x1_0000_0000L,
            0x1_0000_0002L, 0x00400000L, 0x7FFFFFFFL, 0x00020000L, 1, 0};
    private static final int[] SPECIAL = {0, 0xFF, 0x7F, 0x80, 0x01, 0xFE, 0x02, 0x04, 0x08};

    @Test
    void hostileStubsRaiseOnlyNdrExceptionAndAllocateBoundedMemory() {
        int iterations = Integer.getInteger("weft.fuzz.iterations", 1_000_000);
        long seed = Long.getLong("weft.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);

        TransferSyntax[] syntaxes = TransferSyntax.values();
        byte[][][] corpus = new byte[syntaxes.length][CORPUS][];
        for (int s = 0; s < syntaxes.length; s++) {
            for (int i = 0; i < CORPUS; i++) {
                corpus[s][i] = Request.encode(syntaxes[s], new Generator(new Random(seed + i)).request());
            }
        }

        long decoded = 0;
        long rejected = 0;
        long inputBytes = 0;
        long maxAllocated = 0;
        long maxPerByte = 0;
        for (int i = 0; i < iterations; i++) {
            int s = i & 1;
            TransferSyntax syntax = syntaxes[s];
            byte[] input = random.nextInt(50) == 0 ? randomBytes(random) : mutate(random, corpus[s][random.nextInt(CORPUS)], syntax);
            inputBytes += input.length;
            boolean streamed = (i & 15) == 5;
            long before = THREADS.getCurrentThreadAllocatedBytes();
            Request value = null;
            try {
                value = streamed
                        ? Request.read(new NdrReader(syntax, new LimitsTest.ArraySource(input, 1 + random.nextInt(64)), false, NdrLimits.DEFAULT))
                        : Request.decode(syntax, input);
                decoded++;
            } catch (NdrException e) {
                rejected++;
            } catch (Throwable t) {
                throw new AssertionError(failure(seed, i, syntax, streamed, input) + ": " + t, t);
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            // A streaming reader has its own 8 KiB buffer on top.
            long bound = BYTES_PER_INPUT_BYTE * input.length + CONSTANT + (streamed ? 8192 : 0);
            if (i >= WARM_UP) {
                maxAllocated = Math.max(maxAllocated, allocated);
                if (input.length > 256) maxPerByte = Math.max(maxPerByte, allocated / input.length);
                if (allocated > bound) {
                    throw new AssertionError(failure(seed, i, syntax, streamed, input) + ": allocated " + allocated
                            + " bytes for " + input.length + " input bytes (bound " + bound + ")");
                }
            }
            if (value != null) {
                // Whatever was accepted must encode, and decode to the same value again.
                try {
                    Request again = Request.decode(syntax, Request.encode(syntax, value));
                    assertEquals(value, again, failure(seed, i, syntax, streamed, input));
                } catch (NdrException e) {
                    throw new AssertionError(failure(seed, i, syntax, streamed, input) + ": accepted but not re-encodable: " + e, e);
                }
            }
        }
        System.out.printf("RobustnessTest: seed %d, %d inputs (%d bytes), %d decoded, %d rejected with NdrException;"
                + " most allocated by one decode %d bytes, at most %d bytes per input byte for inputs over 256 bytes%n",
                seed, iterations, inputBytes, decoded, rejected, maxAllocated, maxPerByte);
        assertEquals(iterations, decoded + rejected);
        if (iterations >= 10_000) {
            assertTrue(rejected > iterations / 10, "the mutations reach the checks: " + rejected + " rejected");
            assertTrue(decoded > iterations / 1000, "some mutations (padding, values) still decode: " + decoded);
        }
    }

    /**
     * Inputs the fuzz loop above once failed on, kept so the fix stays fixed. Each is decoded streamed (the reader
     * cannot compare a count with the bytes still to come) in pieces of every size up to 64, after a warm-up.
     */
    @Test
    void keptFindingsStayWithinTheAllocationBound() {
        // NDR64, streamed: Graph's conformance 0x4000 made the decoder reserve 16,384 pointer ids (128 KiB) for a
        // 392-byte stub before a single id had arrived.
        String[] findings = {"7fbfa6d9a64a7a35eb10ead77415c28cbc23ee5f000000000100000000000000dff64eee017ef48351b2fa542ac3db06"
                + "dd09330cee9ae26c0000000003000000a5ed3e1f7aac24412865108effffffff0100000000000200020000000000000002000000"
                + "00000000fc5980e18724fd7900000000000000000040000000000000000002000000000000000000000000000500000000000000"
                + "622dbdf40000585198b2750ecdfeb0aa326200000c87ba432bc004cf00400000060008000000000004000200000000000400000000"
                + "0000000000000000000000030000000000000000003c003ddc0000030000000000000065c74fdfc26cbd2694ed55850000000"
                + "0fdffffffffffffff0900000000000000ecf07441e8b42a379f2e069ddcfa9ea44af352f1ea3c6b05f1788b9d79d4ca5c17f76c08"
                + "00000000f7ffffffffffffff090000000000000067ef4a8ff2cd18bdcc780ad2d8cd3e99f1d32efc42a9b864765f3bb3fad1744e"
                + "64df368a00000000f7ffffffffffffff00000000000000000000000000000000"};
        for (String hex : findings) {
            byte[] input = HexFormat.of().parseHex(hex);
            for (int warm = 0; warm < 2_000; warm++) decodeStreamed(input, 1 + warm % 64);
            for (int piece = 1; piece <= 64; piece++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                decodeStreamed(input, piece);
                long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                long bound = BYTES_PER_INPUT_BYTE * input.length + CONSTANT + 8192;
                assertTrue(allocated <= bound, "pieces of " + piece + ": allocated " + allocated + " > " + bound + " for " + hex);
            }
        }
    }

    private static void decodeStreamed(byte[] input, int piece) {
        try {
            Request.read(new NdrReader(TransferSyntax.NDR64, new LimitsTest.ArraySource(input, piece), false, NdrLimits.DEFAULT));
        } catch (NdrException expected) {
            // the finding was about memory, not about the answer
        }
    }

    /**
     * Every reader operation, in random order, over random bytes (a quarter of the iterations): whichever method a
     * generated decoder calls on hostile bytes, only NdrException escapes and allocation stays bounded.
     */
    @Test
    void everyReaderOperationOnRandomBytesRaisesOnlyNdrException() {
        int iterations = Math.max(1, Integer.getInteger("weft.fuzz.iterations", 1_000_000) / 4);
        long seed = Long.getLong("weft.fuzz.seed", System.nanoTime()) ^ 0x5DEECE66DL;
        Random random = new Random(seed);
        NdrLimits limits = new NdrLimits(1 << 20, 1 << 16, 8);
        for (int i = 0; i < iterations; i++) {
            TransferSyntax syntax = (i & 1) == 0 ? TransferSyntax.NDR20 : TransferSyntax.NDR64;
            byte[] input = new byte[random.nextInt(96)];
            for (int k = 0; k < input.length; k++) {
                input[k] = (byte) (random.nextInt(3) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextInt(16));
            }
            boolean bigEndian = syntax == TransferSyntax.NDR20 && random.nextBoolean();
            boolean streamed = (i & 7) == 3;
            NdrReader r = streamed
                    ? new NdrReader(syntax, new LimitsTest.ArraySource(input, 1 + random.nextInt(9)), bigEndian, limits)
                    : new NdrReader(syntax, input, 0, input.length, bigEndian, limits);
            long opSeed = random.nextLong();
            Random ops = new Random(opSeed);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                for (int k = 0; k < 64; k++) operation(r, ops);
            } catch (NdrException expected) {
                // the only way out
            } catch (Throwable t) {
                throw new AssertionError(failure(seed, i, syntax, streamed, input) + ", big-endian " + bigEndian
                        + ", operations seed " + opSeed + ": " + t, t);
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (i >= WARM_UP && allocated > BYTES_PER_INPUT_BYTE * input.length + CONSTANT + (streamed ? 8192 : 0)) {
                throw new AssertionError(failure(seed, i, syntax, streamed, input) + ": allocated " + allocated);
            }
        }
    }

    private static void operation(NdrReader r, Random ops) {
        switch (ops.nextInt(30)) {
            case 0 -> r.readInt8();
            case 1 -> r.readInt16();
            case 2 -> r.readInt32();
            case 3 -> r.readInt64();
            case 4 -> r.readEnum();
            case 5 -> r.readInt3264();
            case 6 -> r.readUuid();
            case 7 -> r.readSyntaxId();
            case 8 -> r.readContextHandle();
            case 9 -> r.readConformance();
            case 10 -> r.readVariance(ops.nextInt(40));
            case 11 -> r.readBytes(r.readConformance());
            case 12 -> r.readInt16s(r.readConformance());
            case 13 -> r.readInt32s(r.readConformance());
            case 14 -> r.readInt64s(r.readConformance());
            case 15 -> r.readChars(r.readConformance());
            case 16 -> r.readWideString();
            case 17 -> r.readAnsiString();
            case 18 -> r.readVaryingWideString(1 + ops.nextInt(20));
            case 19 -> r.readAnsiStringBody(ops.nextInt(20));
            case 20 -> r.readCountedChars(ops.nextInt(3) == 0 ? ops.nextInt(0x10000) : 2 * ops.nextInt(8), 2 * ops.nextInt(12));
            case 21 -> r.readUniquePointer();
            case 22 -> r.readRefPointer();
            case 23 -> {
                long id = r.readPointerId();
                if (ops.nextBoolean()) r.putFullPointer(id, "referent");
                else r.fullPointer(id, Integer.class);
            }
            case 24 -> {
                int n = r.beginPipeChunk();
                r.readBytes(n);
                r.endPipeChunk(n);
            }
            case 25 -> r.align(1 << ops.nextInt(4));
            case 26 -> r.endStruct(8);
            case 27 -> r.alignUnionArm(1 << ops.nextInt(4), 8, ops.nextBoolean());
            case 28 -> r.enter();
            default -> r.readWideStringBody(ops.nextInt(30));
        }
    }

    private static String failure(long seed, int iteration, TransferSyntax syntax, boolean streamed, byte[] input) {
        return "seed " + seed + " (-Dweft.fuzz.seed=" + seed + "), iteration " + iteration + ", " + syntax
                + (streamed ? " streamed" : "") + ", input " + HexFormat.of().formatHex(input);
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        return b;
    }

    /** One to four mutations of a valid encoding. */
    static byte[] mutate(Random random, byte[] valid, TransferSyntax syntax) {
        byte[] b = valid;
        for (int m = 1 + random.nextInt(4); m > 0; m--) {
            if (b.length == 0) return b;
            int at = random.nextInt(b.length);
            switch (random.nextInt(9)) {
                case 0 -> { // bit flip
                    b = b == valid ? b.clone() : b;
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                case 1 -> { // a byte set to a boundary value
                    b = b == valid ? b.clone() : b;
                    b[at] = (byte) SPECIAL[random.nextInt(SPECIAL.length)];
                }
                case 2 -> b = Arrays.copyOf(b, at); // truncation
                case 3 -> { // inserted bytes
                    int n = 1 + random.nextInt(8);
                    byte[] c = new byte[b.length + n];
                    System.arraycopy(b, 0, c, 0, at);
                    for (int i = 0; i < n; i++) c[at + i] = (byte) (random.nextBoolean() ? 0 : random.nextInt());
                    System.arraycopy(b, at, c, at + n, b.length - at);
                    b = c;
                }
                case 4 -> { // removed bytes
                    int n = Math.min(1 + random.nextInt(8), b.length - at);
                    byte[] c = new byte[b.length - n];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + n, c, at, b.length - at - n);
                    b = c;
                }
                case 5, 6 -> { // a count (or id) replaced with a huge or boundary value, at an aligned offset
                    b = b == valid ? b.clone() : b;
                    if (syntax.isNdr64() && random.nextBoolean()) {
                        int p = at & ~7;
                        if (p + 8 <= b.length) Bytes.putLongLE(b, p, HUGE_64[random.nextInt(HUGE_64.length)]);
                    } else {
                        int p = at & ~3;
                        if (p + 4 <= b.length) Bytes.putIntLE(b, p, HUGE_32[random.nextInt(HUGE_32.length)]);
                    }
                }
                case 7 -> { // a range copied over another (repeats ids, counts and headers elsewhere)
                    b = b == valid ? b.clone() : b;
                    int from = random.nextInt(b.length);
                    int n = Math.min(Math.min(1 + random.nextInt(24), b.length - from), b.length - at);
                    System.arraycopy(b, from, b, at, n);
                }
                default -> { // a count incremented or decremented by a little
                    b = b == valid ? b.clone() : b;
                    int p = at & ~3;
                    if (p + 4 <= b.length) Bytes.putIntLE(b, p, Bytes.getIntLE(b, p) + random.nextInt(5) - 2);
                }
            }
        }
        return b;
    }
}
