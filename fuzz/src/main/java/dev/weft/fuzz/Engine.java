package dev.weft.fuzz;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fuzz loop for one target: run the seeds, then mutate corpus entries until the execution count or the time
 * budget is reached; keep an input in the corpus when it shows a behaviour not seen before (a normalised exception
 * class and message, or the target's description of what it accepted: our stand-in for coverage).
 *
 * <p>Executions run on workers that the calling thread watches: when one execution has run longer than
 * {@code hangMillis}, it records a {@code slow} report with the input and the worker's stack, without interrupting
 * it (an interrupt would close a socket the execution is reading). An execution still running after
 * {@code abandonMillis} is a {@code hang} finding and ends the target's run. In-memory targets run on one platform
 * thread, because ThreadMXBean counts allocated bytes only for platform threads (it answers -1 on a virtual
 * thread); a {@link Target#blocking() blocking} target runs on {@link Target#concurrency()} virtual threads at once,
 * each taking the next input when it is done with one (a socket round trip leaves the cores idle otherwise). The
 * corpus and the counts are shared under one lock. Threads are never pooled.
 */
public final class Engine {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** How a run is bounded and tuned. */
    public record Options(long seed, long maxExecutions, Duration budget, long hangMillis, long abandonMillis,
                          int maxCorpus, int warmUp, boolean verbose) {
        public static Options of(long seed, long maxExecutions, Duration budget) {
            return new Options(seed, maxExecutions, budget, 1_000, 60_000, 4096, 5_000, false);
        }

        public Options withWarmUp(int w) {
            return new Options(seed, maxExecutions, budget, hangMillis, abandonMillis, maxCorpus, w, verbose);
        }

        public Options withHang(long hang, long abandon) {
            return new Options(seed, maxExecutions, budget, hang, abandon, maxCorpus, warmUp, verbose);
        }

        public Options verbose(boolean v) {
            return new Options(seed, maxExecutions, budget, hangMillis, abandonMillis, maxCorpus, warmUp, v);
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

    // Shared by the workers, under the lock; read by the watching thread once they have ended.
    private final ReentrantLock lock = new ReentrantLock();
    private final List<byte[]> corpus = new ArrayList<>();
    private final Set<String> behaviours = new HashSet<>();
    /** Rejection behaviours per message start (see {@link #tooManyVariants}). */
    private final Map<String, Integer> variants = new HashMap<>();
    private static final int VARIANTS = 32;
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private long findingCount;
    private long started;
    private long executions;
    private long accepted;
    private long rejected;
    private long maxAllocated;
    private int seedCount;
    private int nextSeed;
    private long deadline;
    private volatile boolean stop;
    private volatile Throwable harnessFailure;
    private final ConcurrentLinkedQueue<Finding> slow = new ConcurrentLinkedQueue<>();

    /** One worker: what it runs now, for the watchdog. */
    private static final class Slot {
        volatile long startedAt;
        volatile byte[] current;
        Thread thread;
        long reportedFor;
    }

    public Engine(Target target, Options options) {
        this.target = target;
        this.options = options;
        this.random = new Random(options.seed());
    }

    /**
     * Runs the target to its budget. In-memory targets run on one platform worker (allocation is measured there);
     * a {@link Target#blocking() blocking} target on {@link Target#concurrency()} virtual workers at once. The
     * caller's thread watches them.
     */
    public Report run() throws InterruptedException {
        long start = System.nanoTime();
        deadline = start + options.budget().toNanos();
        List<byte[]> seeds = target.seeds(new Random(options.seed() ^ 0x5EED));
        corpus.addAll(seeds);
        seedCount = seeds.size();
        if (seeds.isEmpty()) throw new IllegalStateException(target.name() + ": no seeds");
        int n = target.blocking() ? Math.max(1, target.concurrency()) : 1;
        Slot[] slots = new Slot[n];
        for (int i = 0; i < n; i++) {
            Slot slot = new Slot();
            slots[i] = slot;
            Runnable work = () -> {
                try {
                    work(slot);
                } catch (Throwable t) { // the harness itself failed: stop and say so
                    harnessFailure = t;
                    stop = true;
                }
            };
            String name = "fuzz-" + target.name() + (n > 1 ? "-" + i : "");
            slot.thread = target.blocking() ? Thread.ofVirtual().name(name).unstarted(work)
                    : Thread.ofPlatform().daemon().name(name).unstarted(work);
            slot.thread.start();
        }
        boolean abandoned = watch(slots);
        if (harnessFailure != null) throw new IllegalStateException("the fuzz harness failed", harnessFailure);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String after = abandoned ? "abandoned a hung worker" : "";
        try {
            String a = target.afterRun();
            if (!a.isEmpty()) after = after.isEmpty() ? a : after + "; " + a;
        } catch (Exception | AssertionError e) {
            lock.lock();
            try {
                recordFinding(new Finding(target.name(), "after-run", String.valueOf(e.getMessage()), new byte[0], Finding.traceOf(e)));
            } finally {
                lock.unlock();
            }
        }
        lock.lock();
        try {
            return new Report(target.name(), options.seed(), executions, accepted, rejected, behaviours.size(),
                    corpus.size(), seedCount, elapsed, maxAllocated, List.copyOf(findings.values()), findingCount,
                    List.copyOf(slow), after);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Watches the workers until they have all ended: an execution running longer than {@code hangMillis} is reported
     * slow (with its stack, without interrupting it: an interrupt would close a socket it reads); one running longer
     * than {@code abandonMillis} is a {@code hang} finding and stops the run, leaving that worker behind.
     */
    private boolean watch(Slot[] slots) throws InterruptedException {
        while (true) {
            boolean alive = false;
            for (Slot w : slots) {
                if (!w.thread.isAlive()) continue;
                alive = true;
                long s = w.startedAt;
                byte[] in = w.current;
                if (s == 0 || in == null) continue;
                long ran = (System.nanoTime() - s) / 1_000_000;
                if (ran > options.hangMillis() && s != w.reportedFor) {
                    w.reportedFor = s;
                    Throwable where = new Throwable("execution running for " + ran + " ms");
                    where.setStackTrace(w.thread.getStackTrace());
                    Finding f = new Finding(target.name(), "slow", "one execution ran over " + options.hangMillis() + " ms",
                            in, Finding.traceOf(where));
                    slow.add(f);
                    if (options.verbose()) System.err.println("[fuzz] slow input: " + f);
                }
                if (ran > options.abandonMillis()) {
                    Throwable where = new Throwable("execution still running after " + ran + " ms; abandoned");
                    where.setStackTrace(w.thread.getStackTrace());
                    stop = true;
                    lock.lock();
                    try {
                        recordFinding(new Finding(target.name(), "hang", "no answer within " + options.abandonMillis()
                                + " ms", in, Finding.traceOf(where)));
                    } finally {
                        lock.unlock();
                    }
                    // The others finish what they run; the hung one is left behind.
                    for (Slot o : slots) if (o != w) o.thread.join();
                    return true;
                }
            }
            if (!alive) return false;
            Thread.sleep(Math.max(10, options.hangMillis() / 4));
        }
    }

    /** A worker: takes the next input, runs it, records what it did, until the budget is spent. */
    private void work(Slot slot) {
        while (!stop) {
            byte[] input;
            lock.lock();
            try {
                if (started >= options.maxExecutions() || System.nanoTime() - deadline >= 0) {
                    stop = true;
                    return;
                }
                started++;
                input = next();
            } finally {
                lock.unlock();
            }
            slot.current = input;
            slot.startedAt = System.nanoTime();
            try {
                runOne(input);
            } finally {
                slot.startedAt = 0;
                slot.current = null;
            }
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

    /** What one execution did: its behaviour when accepted or rejected with a typed error, else its finding. */
    private record Outcome(String behaviour, boolean accepted, Finding finding) {
    }

    private void runOne(byte[] input) {
        boolean measure = !target.blocking();
        long before = measure ? THREADS.getCurrentThreadAllocatedBytes() : 0;
        Outcome outcome = execute(input);
        long allocated = measure ? THREADS.getCurrentThreadAllocatedBytes() - before : 0;
        Finding allocation = null;
        if (measure && executions >= options.warmUp()) {   // read without the lock: only this worker writes it
            long bound = target.allocationBound(input);
            if (bound >= 0 && allocated > bound) {
                // Once more, to tell the input from a one-off (a class loaded, a lambda linked).
                long again = THREADS.getCurrentThreadAllocatedBytes();
                execute(input);
                long second = THREADS.getCurrentThreadAllocatedBytes() - again;
                if (second > bound) {
                    allocation = new Finding(target.name(), "allocation", "allocated " + second + " bytes for "
                            + input.length + " input bytes (bound " + bound + ")", input, "(no exception)\n");
                }
            }
        }
        lock.lock();
        try {
            if (measure && executions >= options.warmUp()) maxAllocated = Math.max(maxAllocated, allocated);
            executions++;
            if (allocation != null) recordFinding(allocation);
            if (outcome.finding() != null) {
                recordFinding(outcome.finding());
                return;
            }
            if (outcome.accepted()) accepted++;
            else rejected++;
            String behaviour = outcome.behaviour();
            if (behaviours.size() < 200_000 && behaviours.add(behaviour) && !tooManyVariants(behaviour)) {
                // Accepted inputs may fill the corpus; rejected ones a quarter of it. A full corpus replaces an entry
                // (never a seed), so it keeps moving.
                boolean ok = behaviour.startsWith("ok:");
                int limit = ok ? options.maxCorpus() : options.maxCorpus() / 4;
                if (corpus.size() < limit) corpus.add(input);
                else if (ok || random.nextInt(4) == 0) corpus.set(seedCount + random.nextInt(corpus.size() - seedCount), input);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a rejection is one variant too many of a check already seen: past {@value #VARIANTS} rejections whose
     * messages start alike (class, reason and first word), a new one does not join the corpus, so a message that
     * quotes the input in words that still look like prose ("KerberosTime alicz") cannot fill the corpus.
     */
    private boolean tooManyVariants(String behaviour) {
        if (behaviour.startsWith("ok:")) return false;
        String[] words = behaviour.split(" ", 3);
        String prefix = words.length < 2 ? behaviour : words[0] + " " + words[1];
        return variants.merge(prefix, 1, Integer::sum) > VARIANTS;
    }

    /** Runs the input once (no shared state touched). */
    private Outcome execute(byte[] input) {
        try {
            return new Outcome("ok:" + target.execute(input), true, null);
        } catch (Target.PropertyViolation v) {
            byte[] culprit = v.input() != null ? v.input() : input;
            return new Outcome(null, false, new Finding(target.name(), "property", v.getMessage(), culprit, Finding.traceOf(v)));
        } catch (Throwable t) {
            if (target.allowed(t)) {
                return new Outcome("E:" + t.getClass().getSimpleName() + ":" + normalize(t.getMessage()), false, null);
            }
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError) && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
            return new Outcome(null, false, new Finding(target.name(), "untyped", t.toString(), input, Finding.traceOf(t)));
        }
    }

    /** Under the lock. */
    private void recordFinding(Finding f) {
        findingCount++;
        String sig = f.signature();
        if (!findings.containsKey(sig) && findings.size() < 100) {
            findings.put(sig, f);
            if (options.verbose()) System.err.println("[fuzz] finding: " + f);
        }
    }

    private static final java.util.regex.Pattern PROSE = java.util.regex.Pattern.compile("[(\\[]?[a-z][a-z'_-]*[)\\],.:;]*");

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
        // A message may quote what the input held ("KerberosTime WEFT.TEST"): past its first two words, which name
        // the check, a word is kept only when it looks like prose (lower-case letters), else it is one '#'; a run of
        // '#' words is one, and eight words at most count. So a quoted string of any kind is one behaviour.
        String[] words = b.toString().split(" +");
        StringBuilder out = new StringBuilder(b.length());
        int kept = 0;
        for (String w : words) {
            boolean prose = PROSE.matcher(w).matches();
            String word = kept < 2 && !(w.length() > 1 && w.indexOf('#') >= 0) || prose ? w : "#";
            if (word.isEmpty() || word.equals("#") && out.toString().endsWith("#")) continue;
            if (kept++ == 8) break;
            if (!out.isEmpty()) out.append(' ');
            out.append(word);
        }
        return out.toString();
    }
}
