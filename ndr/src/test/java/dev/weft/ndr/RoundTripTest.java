package dev.weft.ndr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.TestModel.Generator;
import dev.weft.ndr.TestModel.Request;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Round trips of seeded random values of the nested test types ({@link TestModel}: structures of arrays of unions of
 * pointers, conformant structures, full pointers that alias, strings, counted strings, a pipe) in both syntaxes:
 * decode(encode(v)) == v, encode(decode(bytes)) == bytes, and the same through a streaming reader fed in small pieces.
 * The seed is printed in every failure; set {@code -Dweft.roundtrip.seed=...} to replay one.
 */
class RoundTripTest {
    private static final int VALUES = 1500;

    private static long baseSeed() {
        return Long.getLong("weft.roundtrip.seed", System.nanoTime());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void randomNestedValuesRoundTrip(TransferSyntax syntax) {
        long base = baseSeed();
        int aliased = 0;
        for (int i = 0; i < VALUES; i++) {
            long seed = base + i;
            String where = syntax + ", seed " + seed + " (-Dweft.roundtrip.seed=" + seed + ")";
            Request value = new Generator(new Random(seed)).request();
            byte[] bytes;
            Request back;
            try {
                bytes = Request.encode(syntax, value);
                back = Request.decode(syntax, bytes);
            } catch (RuntimeException e) {
                throw new AssertionError(where + ": " + e, e);
            }
            assertEquals(value, back, where);
            assertTrue(TestModel.sameAliasing(value.graph(), back.graph()), "full pointers alias alike, " + where);
            Hex.assertBytes(bytes, Request.encode(syntax, back), "encode(decode(bytes)) == bytes, " + where);

            // The same stub through a streaming reader, in pieces of 1 to 17 bytes.
            Random pieces = new Random(seed);
            NdrReader streaming = new NdrReader(syntax, new LimitsTest.ArraySource(bytes, 1 + pieces.nextInt(17)), false, NdrLimits.DEFAULT);
            assertEquals(value, Request.read(streaming), "streamed, " + where);

            // A stub that starts at an offset inside a larger array: alignment counts from the stub start.
            byte[] framed = new byte[bytes.length + 27];
            System.arraycopy(bytes, 0, framed, 24, bytes.length);
            assertEquals(value, Request.read(new NdrReader(syntax, framed, 24, bytes.length, false, NdrLimits.DEFAULT)), where);

            if (value.graph().nodes().stream().distinct().count() < value.graph().nodes().size()) aliased++;
        }
        assertTrue(aliased > VALUES / 10, "the generator produced aliasing full pointers " + aliased + " times");
    }

    @Test
    void encodingsDifferBetweenSyntaxesOnlyInTheWaysNdr64Says() {
        // A value with no pointers, enums or counts encodes to the same bytes; one with a pointer does not.
        long seed = baseSeed();
        Request value = new Generator(new Random(seed)).request();
        byte[] a = Request.encode(TransferSyntax.NDR20, value);
        byte[] b = Request.encode(TransferSyntax.NDR64, value);
        assertTrue(b.length > a.length, "NDR64's counts, pointers and padding are wider, seed " + seed);
    }
}
