package dev.weft.fuzz;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The fuzz loop for one target: run the seeds, then mutate corpus entries until the execution count or the time
 * budget is reached; keep an input in the corpus when it shows a behaviour not seen before (a normalised exception
 * class and message, or the target's description of what it accepted: our stand-in for coverage).
 *
 * <p>Executions run on a worker thread that the calling thread watches: it joins the worker with a short timeout
 * and, when one execution has run longer than {@code hangMillis}, records a {@code slow} report with the input
 * and the worker's stack, without interrupting it (an interrupt would close a socket the execution is reading).
 * An execution still running after {@code abandonMillis} is a {@code hang} finding and ends the target's run.
 * In-memory targets run batches of executions on a new platform thread per batch, because ThreadMXBean counts
 * allocated bytes only for platform threads (it answers -1 on a virtual thread) and starting a thread costs more
 * than most decodes; a {@link Target#blocking() blocking} target runs every execution on its own virtual thread.
 * Threads are never pooled.
 */
public final class Engine {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** How a run is bounded and tuned. */
    public record Options(long seed, long maxExecutions, Duration budget, long hangMillis, long abandonMillis,
                          int maxCorpus, int warmUp, int batch, boolean verbose) {
        public static Options of(long seed, long maxExecutions, Duration budget) {
            return new Options(seed, maxExecutions, budget, 1_000, 60_000, 4096, 5_000, 2048, false);
        }

        public Options withWarmUp(int w) {
            return new Options(seed, maxExecutions, budget, hangMillis, abandonMillis, maxCorpus, w, batch, verbose);
        }

        public Options withHang(long hang, long abandon) {
            return new Options(seed, maxExecutions, budget, hang, abandon, maxCorpus, warmUp, batch, verbose);
        }

        public Options verbose(boolean v) {
            return new Options(seed, maxExecutions, budget, hangMillis, abandonMillis, maxCorpus, warmUp, batch, v);
        }
    }

    /** What a run did. {@code findings} holds the first input of each distinct finding; {@code slow} the slow reports. */
    public record Report(String target, long seed, long executions, long accepted, long rejected, int behaviours,
                         int corpus, int seeds, Duration elapsed, long maxAllocated, List<Finding> findings,
                         long findingCount, List<Finding> slow, String after) {
        public double execsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s == 0 ? 0 : executions / s;
        }

        public String summary() {
            return String.format("%-10s seed %d: %,d executions in %.1f s (%,.0f/s), %,d accepted, %,d rejected with typed "
                            + "errors, %d behaviours, corpus %d (%d seeds), max %,d bytes allocated by one input; "
                            + "%d findings (%d distinct), %d slow%s",
                    target, seed, executions, elapsed.toNanos() / 1e9, execsPerSecond(), accepted, rejected, behaviours,
                    corpus, seeds, maxAllocated, findingCount, findings.size(), slow.size(),
                    after.isEmpty() ? "" : "; " + after);
        }
    }

    private final Target target;
    private final Options options;
    private final Mutator mutator = new Mutator(70_000);
    private final Random random;

    // Worker state: touched by one worker at a time; read by the watching thread after join().
    private final List<byte[]> corpus = new ArrayList<>();
    private final Set<String> behaviours = new HashSet<>();
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private long findingCount;
    private long executions;
    private long accepted;
    private long rejected;
    private long maxAllocated;
    private int seedCount;
    private int nextSeed;
    private long deadline;
    private volatile boolean stop;
    private volatile Throwable harnessFailure;

    // Watched by the watching thread while the worker runs.
    private volatile long startedAt;
    private volatile byte[] current;
    private final ConcurrentLinkedQueue<Finding> slow = new ConcurrentLinkedQueue<>();

    public Engine(Target target, Options options) {
        this.target = target;
        this.options = options;
        this.random = new Random(options.seed());
    }

    /** Runs the target to its budget; the caller's thread watches the workers. */
    public Report run() throws InterruptedException {
        long start = System.nanoTime();
        deadline = start + options.budget().toNanos();
        List<byte[]> seeds = target.seeds(new Random(options.seed() ^ 0x5EED));
        corpus.addAll(seeds);
        seedCount = seeds.size();
        if (seeds.isEmpty()) throw new IllegalStateException(target.name() + ": no seeds");
        boolean abandoned = false;
        while (!stop) {
            int batch = target.blocking() ? 1 : options.batch();
            Runnable work = () -> {
                try {
                    runBatch(batch);
                } catch (Throwable t) { // the harness itself failed: stop and say so
                    harnessFailure = t;
                    stop = true;
                }
            };
            Thread worker = target.blocking() ? Thread.ofVirtual().name("fuzz-" + target.name()).unstarted(work)
                    : Thread.ofPlatform().daemon().name("fuzz-" + target.name()).unstarted(work);
            worker.start();
            long reportedFor = 0;
            while (!worker.join(Duration.ofMillis(Math.max(10, options.hangMillis() / 4)))) {
                long s = startedAt;
                byte[] in = current;
                if (s == 0 || in == null) continue;
                long ran = (System.nanoTime() - s) / 1_000_000;
                if (ran > options.hangMillis() && s != reportedFor) {
                    reportedFor = s;
                    Throwable where = new Throwable("execution running for " + ran + " ms");
                    where.setStackTrace(worker.getStackTrace());
                    Finding f = new Finding(target.name(), "slow", "one execution ran over " + options.hangMillis() + " ms",
                            in, Finding.traceOf(where));
                    slow.add(f);
                    if (options.verbose()) System.err.println("[fuzz] slow input: " + f);
                }
                if (ran > options.abandonMillis()) {
                    Throwable where = new Throwable("execution still running after " + ran + " ms; abandoned");
                    where.setStackTrace(worker.getStackTrace());
                    recordFinding(new Finding(target.name(), "hang", "no answer within " + options.abandonMillis() + " ms",
                            in, Finding.traceOf(where)));
                    stop = true;
                    abandoned = true;
                    break;
                }
            }
        }
        if (harnessFailure != null) throw new IllegalStateException("the fuzz harness failed", harnessFailure);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String after = abandoned ? "abandoned a hung worker" : "";
        try {
            String a = target.afterRun();
            if (!a.isEmpty()) after = after.isEmpty() ? a : after + "; " + a;
        } catch (Exception | AssertionError e) {
            recordFinding(new Finding(target.name(), "after-run", String.valueOf(e.getMessage()), new byte[0], Finding.traceOf(e)));
        }
        return new Report(target.name(), options.seed(), executions, accepted, rejected, behaviours.size(), corpus.size(),
                seedCount, elapsed, maxAllocated, List.copyOf(findings.values()), findingCount, List.copyOf(slow), after);
    }

    private void runBatch(int batch) {
        for (int k = 0; k < batch; k++) {
            if (executions >= options.maxExecutions() || System.nanoTime() - deadline >= 0) {
                stop = true;
                return;
            }
            byte[] input = next();
            current = input;
            startedAt = System.nanoTime();
            try {
                runOne(input);
            } finally {
                startedAt = 0;
                current = null;
            }
            executions++;
        }
    }

    private byte[] next() {
        if (nextSeed < seedCount) return corpus.get(nextSeed++);
        int pick = random.nextInt(64);
        if (pick == 0) {
            byte[] b = new byte[target.prefix() + random.nextInt(256)];
            random.nextBytes(b);
            if (target.prefix() > 0) {
                byte[] base = corpus.get(random.nextInt(corpus.size()));
                System.arraycopy(base, 0, b, 0, Math.min(target.prefix(), base.length));
            }
            return b;
        }
        byte[] base = corpus.get(random.nextInt(corpus.size()));
        if (pick < 24) {
            byte[] s = target.mutateStructure(base, random, corpus);
            if (s != null) return random.nextInt(3) == 0 ? mutator.mutate(s, target.prefix(), random, corpus) : s;
        }
        return mutator.mutate(base, target.prefix(), random, corpus);
    }

    private void runOne(byte[] input) {
        boolean measure = !target.blocking();
        long before = measure ? THREADS.getCurrentThreadAllocatedBytes() : 0;
        String behaviour = execute(input, true);
        if (measure) {
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (executions >= options.warmUp()) {
                maxAllocated = Math.max(maxAllocated, allocated);
                long bound = target.allocationBound(input);
                if (bound >= 0 && allocated > bound) {
                    // Once more, to tell the input from a one-off (a class loaded, a lambda linked).
                    long again = THREADS.getCurrentThreadAllocatedBytes();
                    execute(input, false);
                    long second = THREADS.getCurrentThreadAllocatedBytes() - again;
                    if (second > bound) {
                        recordFinding(new Finding(target.name(), "allocation", "allocated " + second + " bytes for "
                                + input.length + " input bytes (bound " + bound + ")", input, "(no exception)\n"));
                    }
                }
            }
        }
        if (behaviour != null && behaviours.size() < 200_000 && behaviours.add(behaviour)) {
            // Accepted inputs may fill the corpus; rejected ones a quarter of it. A full corpus replaces an entry
            // (never a seed), so it keeps moving.
            boolean ok = behaviour.startsWith("ok:");
            int limit = ok ? options.maxCorpus() : options.maxCorpus() / 4;
            if (corpus.size() < limit) corpus.add(input);
            else if (ok || random.nextInt(4) == 0) corpus.set(seedCount + random.nextInt(corpus.size() - seedCount), input);
        }
    }

    /** Runs the input once; returns its behaviour, or null when it was a finding. */
    private String execute(byte[] input, boolean count) {
        try {
            String b = target.execute(input);
            if (count) accepted++;
            return "ok:" + b;
        } catch (Target.PropertyViolation v) {
            if (count) recordFinding(new Finding(target.name(), "property", v.getMessage(), input, Finding.traceOf(v)));
            return null;
        } catch (Throwable t) {
            if (target.allowed(t)) {
                if (count) rejected++;
                return "E:" + t.getClass().getSimpleName() + ":" + normalize(t.getMessage());
            }
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError) && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
            if (count) recordFinding(new Finding(target.name(), "untyped", t.toString(), input, Finding.traceOf(t)));
            return null;
        }
    }

    private void recordFinding(Finding f) {
        findingCount++;
        String sig = f.signature();
        if (!findings.containsKey(sig) && findings.size() < 100) {
            findings.put(sig, f);
            if (options.verbose()) System.err.println("[fuzz] finding: " + f);
        }
    }

    /** A message with its numbers (decimal or hex words) taken out, so "offset 17" and "offset 18" are one behaviour. */
    static String normalize(String message) {
        if (message == null) return "";
        StringBuilder b = new StringBuilder(Math.min(message.length(), 96));
        int i = 0;
        while (i < message.length() && b.length() < 96) {
            char c = message.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                // Punctuation is kept; anything else (bytes of a mutated string quoted in a message) is one '#', so
                // "KerberosTime 2\u0001x" and "KerberosTime 9\u00ffy" are one behaviour, not a new one per input.
                boolean plain = c == ' ' || ".,:;_()[]/'\"=<>-+*@|".indexOf(c) >= 0;
                char add = plain ? c : '#';
                if (plain || b.isEmpty() || b.charAt(b.length() - 1) != '#') b.append(add);
                i++;
                continue;
            }
            int j = i;
            boolean digit = false;
            boolean hex = true;
            boolean ascii = true;
            while (j < message.length() && Character.isLetterOrDigit(message.charAt(j))) {
                char d = message.charAt(j);
                digit |= Character.isDigit(d);
                hex &= Character.digit(d, 16) >= 0 || d == 'x';
                ascii &= d < 0x80;
                j++;
            }
            if (digit || !ascii || hex && j - i >= 6) {
                if (b.isEmpty() || b.charAt(b.length() - 1) != '#') b.append('#');
            } else {
                b.append(message, i, j);
            }
            i = j;
        }
        // A word that is partly '#' ("#@#V#", "#WEFT": a mutated string quoted in the message) is one '#' too.
        String[] words = b.toString().split(" ", -1);
        StringBuilder out = new StringBuilder(b.length());
        for (String w : words) {
            if (!out.isEmpty()) out.append(' ');
            out.append(w.length() > 1 && w.indexOf('#') >= 0 ? "#" : w);
        }
        return out.toString();
    }
}
