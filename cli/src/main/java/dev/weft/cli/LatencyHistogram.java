package dev.weft.cli;

/**
 * Call latencies in log-linear buckets: exact below 32 ns, then 32 buckets per power of two, so a percentile is
 * within about 3 % of the true value while a run of any length costs a fixed 16 KiB. Not thread-safe: each
 * bench worker owns one, and they are merged at the end (no lock on the measured path).
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private final long[] counts = new long[64 * SUB];
    private long count;
    private long max;
    private long sum;

    void record(long nanos) {
        long v = Math.max(nanos, 0);
        counts[index(v)]++;
        count++;
        sum += v;
        if (v > max) max = v;
    }

    static int index(long v) {
        if (v < SUB) return (int) v;
        int e = 63 - Long.numberOfLeadingZeros(v);       // v lies in [2^e, 2^(e+1))
        int sub = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
        return (e - SUB_BITS + 1) * SUB + sub;
    }

    /** The largest value a bucket holds: percentiles err on the high side. */
    static long upperBound(int index) {
        if (index < SUB) return index;
        int e = index / SUB + SUB_BITS - 1;
        long sub = index % SUB;
        long lower = (1L << e) + (sub << (e - SUB_BITS));
        return lower + (1L << (e - SUB_BITS)) - 1;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
        count += other.count;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    long count() {
        return count;
    }

    long max() {
        return max;
    }

    double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /** The value at or below which {@code p} (0..1) of the recorded values lie. */
    long percentile(double p) {
        if (count == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(p * count));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(upperBound(i), max);
        }
        return max;
    }
}
