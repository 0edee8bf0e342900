package dev.weft.cli;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {
    @Test
    void percentilesWithinThreePercentOfExact() {
        Random r = new Random(42);
        long[] values = new long[100_000];
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(r.nextDouble() * 20); // 1 ns .. 0.5 s, log-uniform
            (i % 2 == 0 ? a : b).record(values[i]);
        }
        a.add(b);
        Arrays.sort(values);
        assertEquals(values.length, a.count());
        assertEquals(values[values.length - 1], a.max());
        for (double p : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(p * values.length) - 1];
            long got = a.percentile(p);
            assertTrue(got >= exact && got <= exact * 1.035 + 1, p + ": " + got + " vs " + exact);
        }
    }

    @Test
    void bucketsAreContiguous() {
        for (long v = 0; v < 1 << 20; v++) {
            int i = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.upperBound(i) >= v, "value " + v);
            if (i > 0) assertTrue(LatencyHistogram.upperBound(i - 1) < v, "value " + v);
        }
        assertTrue(LatencyHistogram.index(Long.MAX_VALUE) < 64 * 32);
    }
}
