package dev.weft.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.ndr.SyntaxId;
import java.io.ByteArrayInputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds mutated valid PDUs (bit flips, byte edits, truncation, length-field edits, splices, extensions) through the
 * framer, the codec, the reassembler and the verification-trailer search, and checks that only
 * {@link ProtocolException} escapes and that decoding allocates no more than a bounded multiple of its input.
 * The iteration count comes from {@code weft.fuzz.iterations} (the root pom passes 1,000,000).
 */
class RobustnessTest {

    private static final long SEED = 0x5EED_0F_3EF7L;
    /** Allowed allocation per decode: a multiple of the input plus a constant for records, lists and the exception. */
    private static final int ALLOC_FACTOR = 8;
    private static final int ALLOC_CONSTANT = 24 * 1024;

    /**
     * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()}, reached reflectively because the
     * tests are compiled inside module dev.weft.pdu, which does not (and should not) read jdk.management. Null when
     * the JVM does not offer it; the allocation bound is then not checked.
     */
    private static final MethodHandle ALLOCATED = allocatedBytes();

    private static MethodHandle allocatedBytes() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            if (!type.isInstance(bean)) return null;
            if (!(boolean) type.getMethod("isThreadAllocatedMemoryEnabled").invoke(bean)) return null;
            return MethodHandles.publicLookup()
                    .findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static long allocated() {
        try {
            return (long) ALLOCATED.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Test
    void onlyTypedExceptionsEscapeAndAllocationIsBounded() {
        long iterations = Long.getLong("weft.fuzz.iterations", 1_000_000L);
        List<byte[]> seeds = seeds();
        Random rnd = new Random(SEED);
        boolean measure = ALLOCATED != null;
        if (measure) assertMeasurementWorks();
        Reassembler reassembler = new Reassembler(64 * 1024, 64);
        long decoded = 0;
        long rejected = 0;
        long maxAlloc = 0;
        long reassembled = 0;
        long received = 0;
        for (long i = 0; i < iterations; i++) {
            byte[] in = mutate(seeds, rnd);
            try {
                if (measure) maxAlloc = Math.max(maxAlloc, checkAllocation(in));
                Pdu pdu = PduCodec.decode(in);
                decoded++;
                checkArrays(pdu, in.length);
                // a decoded PDU re-encodes to something that decodes to the same thing
                byte[] again = PduCodec.encode(pdu);
                assertArrayEquals(again, PduCodec.encode(PduCodec.decode(again)));
                if (pdu instanceof Request r) {
                    received += r.stub().length;
                    Request whole = reassembler.add(r);
                    assertTrue(reassembler.capacity() <= 2 * received + 64 * 1024);
                    if (whole != null) {
                        reassembled++;
                        received = 0;
                        VerificationTrailer.find(whole.stub(), 1024, Drep.isBigEndian(whole.drep()));
                    }
                }
            } catch (ProtocolException e) {
                rejected++;
                if (!reassembler.inProgress()) received = 0;
            } catch (Throwable t) {
                throw new AssertionError("iteration " + i + " input " + Hex.of(in), t);
            }
            if ((i & 15) == 0) frame(in, i);
        }
        System.out.printf("robustness: %d iterations, %d decoded, %d rejected, %d reassembled, max decode "
                + "allocation %d bytes%n", iterations, decoded, rejected, reassembled, maxAlloc);
        assertTrue(iterations < 1000 || decoded > iterations / 100, "the mutations still reach the decoders");
        assertTrue(iterations < 1000 || rejected > iterations / 100, "the mutations do break PDUs");
    }

    /**
     * Bytes allocated by decoding {@code in}. The first decode along a new path also pays for class initialisation
     * and string-concatenation bootstraps, so an input over the bound is measured a second time before failing.
     */
    private static long checkAllocation(byte[] in) {
        long bound = (long) ALLOC_FACTOR * in.length + ALLOC_CONSTANT;
        long used = 0;
        for (int attempt = 0; attempt < 2; attempt++) {
            long before = allocated();
            try {
                PduCodec.decode(in);
            } catch (ProtocolException e) {
                // measured all the same
            }
            used = allocated() - before;
            if (used <= bound) return used;
        }
        return fail("decode allocated " + used + " bytes for " + in.length + ": " + Hex.of(in));
    }

    /** The framer over the mutated bytes, twice over: only typed exceptions, and never more than was given. */
    private static void frame(byte[] in, long i) {
        byte[] twice = Streams.concat(in, in);
        Framer framer = new Framer(new ByteArrayInputStream(twice), 4096);
        try {
            int total = 0;
            byte[] f;
            while ((f = framer.readFragment()) != null) {
                total += f.length;
                assertTrue(total <= twice.length);
            }
        } catch (ProtocolException e) {
            // expected for most inputs
        } catch (Throwable t) {
            throw new AssertionError("framer, iteration " + i + " input " + Hex.of(in), t);
        }
    }

    private static void assertMeasurementWorks() {
        long before = allocated();
        byte[] big = new byte[1 << 20];
        long used = allocated() - before;
        assertTrue(used >= big.length, "allocation measurement sees a 1 MiB array: " + used);
    }

    private static void checkArrays(Pdu pdu, int inputLength) {
        List<byte[]> arrays = new ArrayList<>();
        if (pdu.auth() != null) arrays.add(pdu.auth().authValue());
        switch (pdu) {
            case Request r -> arrays.add(r.stub());
            case Response r -> arrays.add(r.stub());
            case Fault f -> arrays.add(f.stub());
            case Rts r -> arrays.add(r.commands());
            case Bind b -> assertTrue(b.contexts().size() * 24 <= inputLength);
            case AlterContext a -> assertTrue(a.contexts().size() * 24 <= inputLength);
            case BindAck b -> assertTrue(b.results().size() * 24 <= inputLength);
            case AlterContextResp a -> assertTrue(a.results().size() * 24 <= inputLength);
            case BindNak n -> assertTrue(n.versions().size() * 2 <= inputLength);
            case Auth3 a -> {
            }
            case Shutdown s -> {
            }
            case CoCancel c -> {
            }
            case Orphaned o -> {
            }
        }
        for (byte[] a : arrays) assertTrue(a.length <= inputLength, "array of " + a.length);
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (Pdu p : Samples.all()) {
            seeds.add(PduCodec.encode(p));
            seeds.add(PduCodec.encode(p, true));
        }
        seeds.add(Hex.bytes(PduCodecTest.BIND_72));
        VerificationTrailer t = VerificationTrailer.of(new VerificationTrailer.Bitmask1(1, false),
                new VerificationTrailer.PContext(Samples.EPM, SyntaxId.NDR20, true),
                new VerificationTrailer.Header2(0, Drep.LITTLE_ENDIAN, 1, 1, 2, false));
        for (Request r : new Fragmenter(200, Samples.ntlm(0)).request(1, 1, 2, Samples.OBJECT,
                t.appendTo(Samples.seq(300)))) {
            seeds.add(PduCodec.encode(r));
        }
        for (Request r : new Fragmenter(120, null).request(2, 1, 2, null, Samples.seq(200))) {
            seeds.add(PduCodec.encode(r));
        }
        return seeds;
    }

    private static byte[] mutate(List<byte[]> seeds, Random rnd) {
        byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
        int ops = 1 + rnd.nextInt(3);
        for (int k = 0; k < ops; k++) {
            switch (rnd.nextInt(8)) {
                case 0 -> { // bit flips
                    int flips = 1 + rnd.nextInt(4);
                    for (int j = 0; j < flips && b.length > 0; j++) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                case 1 -> { // a random byte
                    if (b.length > 0) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                case 2 -> { // truncation, with frag_length fixed half of the time
                    b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                    if (rnd.nextBoolean()) fixFragLength(b);
                }
                case 3 -> { // a length or count field set to an interesting value
                    if (b.length >= 4) {
                        int at = rnd.nextInt(Math.min(b.length, 48) - 1) & ~1;
                        int v = switch (rnd.nextInt(6)) {
                            case 0 -> 0;
                            case 1 -> 0xFFFF;
                            case 2 -> b.length + rnd.nextInt(5) - 2;
                            case 3 -> rnd.nextInt(256);
                            case 4 -> 0x7FFF;
                            default -> rnd.nextInt(0x10000);
                        };
                        put16(b, at, v);
                    }
                }
                case 4 -> { // auth_length edit, keeping frag_length right
                    if (b.length >= 16) {
                        put16(b, 10, rnd.nextInt(Math.max(1, b.length)));
                        fixFragLength(b);
                    }
                }
                case 5 -> { // splice: this prefix, another seed's suffix
                    byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                    int cut = rnd.nextInt(b.length + 1);
                    int from = rnd.nextInt(other.length + 1);
                    byte[] s = Arrays.copyOf(b, cut + other.length - from);
                    System.arraycopy(other, from, s, cut, other.length - from);
                    b = s;
                    if (rnd.nextBoolean()) fixFragLength(b);
                }
                case 6 -> { // extension with random bytes
                    int n = rnd.nextInt(64);
                    byte[] s = Arrays.copyOf(b, b.length + n);
                    for (int j = b.length; j < s.length; j++) s[j] = (byte) rnd.nextInt(256);
                    b = s;
                    fixFragLength(b);
                }
                default -> { // a u8 count or pad field (n_context_elem, n_transfer_syn, auth_pad_length ...)
                    if (b.length > 0) b[rnd.nextInt(b.length)] = (byte) (rnd.nextBoolean() ? 0xFF : rnd.nextInt(4));
                }
            }
        }
        return b;
    }

    private static void fixFragLength(byte[] b) {
        if (b.length >= 16) put16(b, 8, b.length);
    }

    /** A u16 in the byte order the PDU's drep announces (or little-endian when too short to tell). */
    private static void put16(byte[] b, int at, int v) {
        boolean be = b.length > 4 && (b[4] & 0xF0) == 0;
        b[at] = (byte) (be ? v >>> 8 : v);
        b[at + 1] = (byte) (be ? v : v >>> 8);
    }
}
