package dev.weft.fuzz;

import java.util.List;
import java.util.Random;

/**
 * One thing the fuzzer attacks. A target builds its seed corpus by encoding real values, runs one input, and says
 * which exceptions are the typed errors its API documents (everything else escaping is a finding).
 *
 * <p>Inputs are byte arrays. A target whose inputs carry a selector (which operation, which direction, which
 * syntax) puts it in the first {@link #prefix()} bytes, which the mutator changes only rarely, so that alignment
 * of the rest stays what the encoder produced.
 */
public interface Target extends AutoCloseable {

    /** The name on the command line ("pdu", "stubs", ...). */
    String name();

    /** Valid inputs made by encoding real values; {@code random} is seeded from the run's seed. */
    List<byte[]> seeds(Random random);

    /** Bytes at the start of an input that select what the rest means (0 when none). */
    default int prefix() {
        return 0;
    }

    /**
     * Runs one input. Returns a short description of what happened ("accepted Bind with 2 contexts"), used as the
     * behaviour signal: an input showing a behaviour not seen before joins the corpus. Throws whatever the code
     * under test throws; throws {@link PropertyViolation} when a property the target checks itself fails (decode →
     * encode → decode, an oracle).
     */
    String execute(byte[] input) throws Exception;

    /** Whether {@code t}, thrown by {@link #execute}, is a typed error this target's API documents. */
    boolean allowed(Throwable t);

    /**
     * The most bytes one execution of {@code input} may allocate on the executing thread, or -1 when the target
     * does not measure it (its work happens on other threads).
     */
    long allocationBound(byte[] input);

    /**
     * An optional structure-aware mutation (whole fragments dropped, duplicated, swapped, a fragment's length fixed
     * after it was changed); {@code null} when the target has none or it does not apply.
     */
    default byte[] mutateStructure(byte[] input, Random random, List<byte[]> corpus) {
        return null;
    }

    /**
     * Whether executions must run on a virtual thread each (socket I/O): then allocation is not measured and the
     * watchdog joins every execution. Otherwise executions run in batches on a platform thread, where
     * {@code ThreadMXBean} can count allocated bytes (it answers -1 on virtual threads).
     */
    default boolean blocking() {
        return false;
    }

    /**
     * How many executions of a {@link #blocking()} target may run at once, each on its own virtual thread (1 for
     * in-memory targets). {@link #execute} must then be safe to call from that many threads.
     */
    default int concurrency() {
        return 1;
    }

    /** A check after the run (server still answers, no leaked connections); throws AssertionError-like failures. */
    default String afterRun() throws Exception {
        return "";
    }

    @Override
    default void close() throws Exception {
    }

    /**
     * Waits until nothing the last executions set off is still running, and throws what it did (a line the server
     * logs after the connection closed). {@link Replay} calls it after its one execution; the engine does not.
     */
    default void settle() throws Exception {
    }

    /** A property the target checks itself failed. Always a finding. */
    final class PropertyViolation extends RuntimeException {
        private final byte[] input;

        public PropertyViolation(String message) {
            this(message, null, null);
        }

        public PropertyViolation(String message, Throwable cause) {
            this(message, cause, null);
        }

        /** A violation caused by {@code input}, an earlier input than the one being executed (or null). */
        public PropertyViolation(String message, Throwable cause, byte[] input) {
            super(message, cause);
            this.input = input;
        }

        /** The input that caused it when it is not the one being executed, else null. */
        public byte[] input() {
            return input;
        }
    }
}
