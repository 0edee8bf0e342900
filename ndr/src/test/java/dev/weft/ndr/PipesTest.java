package dev.weft.ndr;

import static dev.weft.ndr.Hex.assertBytes;
import static dev.weft.ndr.Hex.encode;
import static dev.weft.ndr.Hex.reader;
import static dev.weft.ndr.TransferSyntax.NDR20;
import static dev.weft.ndr.TransferSyntax.NDR64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pipe chunk coding (C706 14.3.9 for NDR, MS-RPCE 2.2.5.3.4.5 for NDR64), known answers and streamed. */
class PipesTest {

    /** A pipe of long written as chunks {1, 2}, {3} and the empty end chunk. */
    private static void writeLongPipe(NdrWriter w) {
        for (int[] chunk : new int[][] {{1, 2}, {3}}) {
            w.beginPipeChunk(chunk.length);
            w.writeInt32s(chunk, 0, chunk.length);
            w.endPipeChunk(chunk.length);
        }
        w.writePipeEnd();
    }

    private static List<int[]> readLongPipe(NdrReader r) {
        List<int[]> chunks = new ArrayList<>();
        while (true) {
            int n = r.beginPipeChunk();
            if (n == 0) {
                r.endPipeChunk(0);
                return chunks;
            }
            chunks.add(r.readInt32s(n));
            r.endPipeChunk(n);
        }
    }

    // C706 14.3.9: each chunk is a u32 count (aligned 4) and the elements; a chunk of count 0 ends the pipe.
    private static final String NDR20_PIPE = "02 00 00 00 | 01 00 00 00 02 00 00 00 | 01 00 00 00 | 03 00 00 00 | 00 00 00 00";
    // MS-RPCE 2.2.5.3.4.5: u64 count, the elements, the u64 arithmetic negation of the count; the end is two u64 0.
    private static final String NDR64_PIPE = "02 00 00 00 00 00 00 00 | 01 00 00 00 02 00 00 00 | fe ff ff ff ff ff ff ff"
            + "| 01 00 00 00 00 00 00 00 | 03 00 00 00 | 00 00 00 00 | ff ff ff ff ff ff ff ff"
            + "| 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

    @Test
    void pipeChunksInBothSyntaxes() {
        assertBytes(NDR20_PIPE, encode(NDR20, PipesTest::writeLongPipe));
        assertBytes(NDR64_PIPE, encode(NDR64, PipesTest::writeLongPipe));
        for (var c : new Object[][] {{NDR20, NDR20_PIPE}, {NDR64, NDR64_PIPE}}) {
            NdrReader r = reader((TransferSyntax) c[0], (String) c[1]);
            List<int[]> chunks = readLongPipe(r);
            r.expectEnd();
            assertEquals(2, chunks.size());
            assertArrayEquals(new int[] {1, 2}, chunks.get(0));
            assertArrayEquals(new int[] {3}, chunks.get(1));
        }
    }

    /**
     * C706's order, input before output: an [out] pipe's first chunk reads and drops what the implementation left
     * of the request's pipes (the later one and, through it, the earlier), so a pull afterwards finds the end.
     */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void theFirstPushDrainsTheRequestsPipes(TransferSyntax syntax) throws Exception {
        NdrReader r = reader(syntax, (syntax == NDR20 ? NDR20_PIPE : NDR64_PIPE) + "|" + (syntax == NDR20 ? NDR20_PIPE
                : NDR64_PIPE));
        PipeDecoder<int[]> first = new PipeDecoder<>(r, null, r::readInt32s);
        PipeDecoder<int[]> second = new PipeDecoder<>(r, first, r::readInt32s);
        assertArrayEquals(new int[] {1, 2}, first.pull());
        NdrWriter w = new NdrWriter(syntax);
        PipeEncoder<int[]> out = new PipeEncoder<>(w, null, second, c -> c.length, c -> w.writeInt32s(c, 0, c.length));
        InOutPipe<int[]> both = InOutPipe.of(second, out);
        both.push(new int[] {1, 2});
        both.push(new int[] {3});
        assertNull(both.pull(), "the request was drained by the first push");
        assertNull(first.pull());
        r.expectEnd();
        out.end();
        assertBytes(syntax == NDR20 ? NDR20_PIPE : NDR64_PIPE, w.toByteArray());
    }

    @Test
    void ndr64ChunkTrailerMustNegateTheCount() {
        assertThrows(NdrException.class, () -> readLongPipe(reader(NDR64, NDR64_PIPE.replaceFirst("fe ff", "fd ff"))));
        assertThrows(NdrException.class, () -> readLongPipe(reader(NDR64, NDR64_PIPE.replaceFirst("fe ff ff ff ff ff ff ff", "02 00 00 00 00 00 00 00"))));
        // The end chunk's second u64 must be 0 too.
        String badEnd = NDR64_PIPE.substring(0, NDR64_PIPE.lastIndexOf("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"))
                + "00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00";
        assertThrows(NdrException.class, () -> readLongPipe(reader(NDR64, badEnd)));
    }

    @Test
    void ndr64ChunkOfMoreThan2To31MinusOneElementsIsRejected() {
        // MS-RPCE 2.2.5.3.4.5: at most 2^31-1 elements per chunk.
        NdrLimits wide = new NdrLimits(Integer.MAX_VALUE, 16, 16);
        byte[] b = Hex.hex("00 00 00 80 00 00 00 00");
        assertThrows(NdrException.class, () -> new NdrReader(NDR64, b, 0, 8, false, wide).beginPipeChunk());
        assertThrows(NdrException.class, () -> reader(NDR64, "ff ff ff ff ff ff ff ff").beginPipeChunk());
        assertThrows(NdrException.class, () -> encode(NDR20, w -> w.beginPipeChunk(-1)));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void pipeChunkCountIsCheckedAgainstTheLimit(TransferSyntax syntax) {
        NdrLimits limits = new NdrLimits(100, 16, 16);
        byte[] b = encode(syntax, w -> w.beginPipeChunk(101));
        assertThrows(NdrException.class, () -> new NdrReader(syntax, b, 0, b.length, false, limits).beginPipeChunk());
    }

    // ------------------------------------------------------------------ streaming

    private static final int THRESHOLD = 64 * 1024;
    private static final byte[] EOF = new byte[0];

    /** Byte {@code i} of the test pipe. */
    private static byte pipeByte(long i) {
        return (byte) (i * 31 + (i >>> 11));
    }

    /** Element {@code i} of the hyper pipe. */
    private static long pipeLong(long i) {
        return i * 0x9E3779B97F4A7C15L;
    }

    /**
     * An [out] stub with a multi-megabyte byte pipe and a hyper pipe, then ordinary [out] parameters (RPCE-FACTS
     * §10.9: the pipes first), encoded by a streaming writer on one thread and decoded by a streaming reader on
     * another through a bounded queue. Every byte is checked, and the writer's buffer never grows past a bound.
     */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void multiMegabytePipeStreamsThroughBoundedBuffers(TransferSyntax syntax) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int[] byteChunks = new int[40];
        for (int i = 0; i < byteChunks.length; i++) byteChunks[i] = 1 + random.nextInt(300_000);
        byteChunks[3] = 1;                       // tiny chunks between large ones move the alignment around
        byteChunks[4] = 3;
        int[] longChunks = {1, 100_000, 7, 65_537};
        long totalBytes = Arrays.stream(byteChunks).asLongStream().sum();

        BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(4);
        AtomicInteger maxBuffer = new AtomicInteger();
        AtomicInteger sinkCalls = new AtomicInteger();
        AtomicLong sunk = new AtomicLong();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();

        Thread writerThread = Thread.ofVirtual().start(() -> {
            try {
                NdrWriter w = new NdrWriter(syntax, 256).streamTo((b, off, len) -> {
                    sinkCalls.incrementAndGet();
                    sunk.addAndGet(len);
                    put(queue, Arrays.copyOfRange(b, off, off + len));
                }, THRESHOLD);
                Runnable watch = () -> maxBuffer.accumulateAndGet(w.buffer().length, Math::max);
                byte[] scratch = new byte[300_000];
                long at = 0;
                for (int n : byteChunks) {
                    w.beginPipeChunk(n);
                    for (int i = 0; i < n; i++) scratch[i] = pipeByte(at + i);
                    w.writeBytes(scratch, 0, n);
                    w.endPipeChunk(n);
                    at += n;
                    watch.run();
                }
                w.writePipeEnd();
                long[] longs = new long[100_000];
                long li = 0;
                for (int n : longChunks) {
                    w.beginPipeChunk(n);
                    for (int i = 0; i < n; i++) longs[i] = pipeLong(li + i);
                    w.writeInt64s(longs, 0, n);
                    w.endPipeChunk(n);
                    li += n;
                    watch.run();
                }
                w.writePipeEnd();
                w.writeInt8(0x5a);                 // [out] parameters after the pipes: alignment still counts
                w.writeInt64(0x1122334455667788L); // from the stub start across every flush
                w.writeWideString("done");
                w.writeInt32(0);                   // the return value
                watch.run();
                w.flush();
                assertEquals(sunk.get(), w.position());
                assertEquals(0, w.size());
                put(queue, EOF);
            } catch (Throwable t) {
                writerFailure.set(t);
                put(queue, EOF);
            }
        });

        ByteSource source = new ByteSource() {
            byte[] current = new byte[0];
            int offset;

            @Override
            public int read(byte[] buffer, int off, int length) {
                while (offset == current.length) {
                    if (current == EOF) return -1;
                    try {
                        current = queue.take();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    offset = 0;
                    if (current == EOF) return -1;
                }
                int n = Math.min(length, current.length - offset);
                System.arraycopy(current, offset, buffer, off, n);
                offset += n;
                return n;
            }
        };
        NdrReader r = new NdrReader(syntax, source, false, NdrLimits.DEFAULT);
        byte[] scratch = new byte[300_000];
        long at = 0;
        int chunkIndex = 0;
        for (int n; (n = r.beginPipeChunk()) != 0; chunkIndex++) {
            assertEquals(byteChunks[chunkIndex], n, "chunk " + chunkIndex + ", seed " + seed);
            r.readBytes(scratch, 0, n);
            for (int i = 0; i < n; i++) {
                if (scratch[i] != pipeByte(at + i)) {
                    throw new AssertionError("pipe byte " + (at + i) + " differs, seed " + seed);
                }
            }
            at += n;
            r.endPipeChunk(n);
        }
        r.endPipeChunk(0);
        assertEquals(totalBytes, at);
        assertEquals(byteChunks.length, chunkIndex);
        long li = 0;
        for (int n; (n = r.beginPipeChunk()) != 0; ) {
            long[] got = r.readInt64s(n);
            for (int i = 0; i < n; i++) assertEquals(pipeLong(li + i), got[i], "hyper " + (li + i));
            li += n;
            r.endPipeChunk(n);
        }
        r.endPipeChunk(0);
        assertEquals(Arrays.stream(longChunks).sum(), li);
        assertEquals(0x5a, r.readInt8());
        assertEquals(0x1122334455667788L, r.readInt64());
        assertEquals("done", r.readWideString());
        assertEquals(0, r.readInt32());
        assertThrows(NdrException.class, r::readInt8, "the stub has ended");
        writerThread.join();
        assertNull(writerFailure.get());
        assertTrue(totalBytes > 2_000_000, "multi-megabyte");
        assertTrue(sinkCalls.get() > 30, "the writer streamed: " + sinkCalls.get() + " hand-offs");
        assertTrue(maxBuffer.get() <= 2 * THRESHOLD + 64, "writer buffer grew to " + maxBuffer.get() + ", seed " + seed);
    }

    private static void put(BlockingQueue<byte[]> q, byte[] b) {
        try {
            q.put(b);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
