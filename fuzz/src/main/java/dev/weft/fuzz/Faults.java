package dev.weft.fuzz;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.examples.WitnessExample;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.witness.Witness;
import dev.weft.server.RpcServer;
import dev.weft.server.ServerLimits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Issue 10's faults. Each runs a Weft server (rpcecho and witness examples) on {@value #HOST} in this JVM and the
 * attack in another ({@link Attacker}, started with this JVM's java and class path), so that what is measured here is
 * the server and a well-behaved client, not the attackers' CPU and garbage. The well-behaved client calls rpcecho
 * EchoData (256 bytes) back to back on one connection opened before the attack; its latency during the attack is
 * the figure (p50, p99, max). Afterwards: the server must hold no connection and no association group, every witness
 * registration (context handle) the attackers left must have been run down and every pending call ended, and the
 * process must hold as many file descriptors as before the attack.
 *
 * <p>The server uses short timeouts ({@link Config#timeouts()} for the partial-PDU, idle and write timeouts; the
 * defaults are 30 s, 15 minutes and 60 s), except for {@code limit}, which keeps the defaults and lowers
 * {@code maxConnections} to {@link Config#limit()} instead. For {@code half-open} the attacker keeps its connections
 * open until told to let go: the server must have closed every one of them on its own before that
 * ({@link Result#reclaimMillis()}).
 *
 * <p>{@code java -cp ... dev.weft.fuzz.Faults [--seconds N] [--attackers N] [--limit N] [--attempts N]
 * [--timeouts-ms N] [fault ...]} prints one line per fault ({@code tools/faults.sh}); {@code FaultsTest} runs small
 * ones in every build.
 */
public final class Faults {
    /** Where the fault servers listen (127.0.0.9 and up are this harness's loopback addresses). */
    static final String HOST = "127.0.0.9";

    /** Every fault, in the order {@link #main} runs them. */
    public static final List<String> FAULTS = List.of("none", "slowloris", "killed", "reset", "bind-flood", "oversize",
            "half-open", "limit");

    /**
     * How a fault runs: for how long, with how many attacking threads (one hostile connection at a time each), the
     * server's connection limit and the attempts against it ({@code limit}), and the server's timeouts.
     */
    public record Config(Duration attack, int attackers, int limit, int attempts, Duration timeouts) {
        public static final Config DEFAULT = new Config(Duration.ofSeconds(20), 100, 10_000, 20_000, Duration.ofSeconds(5));
    }

    /** What one fault did to the well-behaved client, and what the server and process held afterwards. */
    public record Result(String fault, String attacker, long goodCalls, long goodFailures, double p50Micros,
                         double p99Micros, double maxMicros, int peakConnections, long reclaimMillis, long fdsBefore,
                         long fdsAfter, int connectionsAfter, int groupsAfter, int registrationsAfter, int pendingAfter,
                         boolean newClientServed) {
        @Override
        public String toString() {
            return String.format("%-10s good client %,d calls, %d failed, p50 %.0f µs, p99 %.0f µs, max %.0f µs; "
                            + "server peak %d connections%s; fds %d -> %d; afterwards %d connections, %d groups, "
                            + "%d registrations, %d pending; a new client served: %s; attacker: %s",
                    fault, goodCalls, goodFailures, p50Micros, p99Micros, maxMicros, peakConnections,
                    reclaimMillis < 0 ? "" : ", attackers' connections reclaimed " + reclaimMillis + " ms after the attack",
                    fdsBefore, fdsAfter, connectionsAfter, groupsAfter, registrationsAfter, pendingAfter,
                    newClientServed ? "yes" : "NO", attacker);
        }

        /** A count from the attacker's summary ("expected=12"), or -1. */
        public long attackerCount(String name) {
            for (String part : attacker.split(" ")) {
                if (part.startsWith(name + "=")) return Long.parseLong(part.substring(name.length() + 1));
            }
            return -1;
        }
    }

    private Faults() {
    }

    public static void main(String[] args) throws Exception {
        Config c = Config.DEFAULT;
        List<String> faults = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> c = new Config(Duration.ofSeconds(Long.parseLong(args[++i])), c.attackers(), c.limit(), c.attempts(), c.timeouts());
                case "--attackers" -> c = new Config(c.attack(), Integer.parseInt(args[++i]), c.limit(), c.attempts(), c.timeouts());
                case "--limit" -> c = new Config(c.attack(), c.attackers(), Integer.parseInt(args[++i]), c.attempts(), c.timeouts());
                case "--attempts" -> c = new Config(c.attack(), c.attackers(), c.limit(), Integer.parseInt(args[++i]), c.timeouts());
                case "--timeouts-ms" -> c = new Config(c.attack(), c.attackers(), c.limit(), c.attempts(), Duration.ofMillis(Long.parseLong(args[++i])));
                default -> faults.add(args[i]);
            }
        }
        if (faults.isEmpty()) faults = FAULTS;
        for (String f : faults) System.out.println("Faults: " + run(f, c));
    }

    /** Runs one fault. */
    public static Result run(String fault, Config config) throws Exception {
        if (!FAULTS.contains(fault)) throw new IllegalArgumentException("no fault " + fault + "; faults: " + FAULTS);
        Duration t = config.timeouts();
        ServerLimits limits = fault.equals("limit") ? ServerLimits.DEFAULT.withMaxConnections(config.limit())
                : ServerLimits.DEFAULT.withTimeouts(t, t).withWriteTimeout(t);
        WitnessExample witness = new WitnessExample(List.of(WitnessExample.ipv4Interface("faults", new byte[] {127, 0, 0, 9})));
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:" + HOST + "[0]").limits(limits)
                .service(RpcEcho.service(new RpcEchoExample())).service(Witness.service(witness)).build().start()) {
            String binding = server.endpoints().get(0).toBinding().toString();
            int port = server.endpoints().get(0).port();
            GoodClient good = new GoodClient(binding);
            warmUp(binding);
            waitFor(() -> server.connectionCount() <= 1, Duration.ofSeconds(10)); // the warm-up's sockets closed
            long fdsBefore = Soak.openFds();
            AtomicInteger peak = new AtomicInteger();
            Process attacker = startAttacker(fault, port, config);
            BufferedReader said = new BufferedReader(new InputStreamReader(attacker.getInputStream(), StandardCharsets.UTF_8));
            String summary;
            long reclaim = -1;
            try {
                expect(said, "ready");
                good.recording.set(true);
                Thread sampler = Thread.ofVirtual().start(() -> {
                    while (good.recording.get()) {
                        peak.accumulateAndGet(server.connectionCount(), Math::max);
                        sleep(5);
                    }
                });
                summary = expect(said, "done").substring("done ".length());
                good.recording.set(false);
                sampler.join();
                if (fault.equals("half-open")) {
                    // The attacker still holds every connection: the server's timeouts must end them (the good
                    // client's own connection stays).
                    long attackEnd = System.nanoTime();
                    if (waitFor(() -> server.connectionCount() <= 1, t.multipliedBy(3).plusSeconds(10))) {
                        reclaim = (System.nanoTime() - attackEnd) / 1_000_000;
                    }
                }
            } finally {
                attacker.getOutputStream().close();   // let go: the attacker closes what it holds and exits
                if (!attacker.waitFor(60, TimeUnit.SECONDS)) attacker.destroyForcibly();
            }
            waitFor(() -> server.connectionCount() <= 1 && server.associationGroupCount() <= 1
                    && witness.registrations() == 0 && witness.pendingCalls() == 0, Duration.ofSeconds(30));
            boolean newClient = newClientServed(binding);
            waitFor(() -> server.connectionCount() <= 1, Duration.ofSeconds(10));
            long fdsAfter = Soak.openFds();
            good.stop();
            waitFor(() -> server.connectionCount() == 0 && server.associationGroupCount() == 0, Duration.ofSeconds(10));
            long[] sorted = good.latencies();
            return new Result(fault, summary, sorted.length, good.failures.get(), percentile(sorted, 0.50),
                    percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e3, peak.get(),
                    reclaim, fdsBefore, fdsAfter, server.connectionCount(), server.associationGroupCount(),
                    witness.registrations(), witness.pendingCalls(), newClient);
        }
    }

    /**
     * Some connections and calls first, so the baseline of descriptors already holds what the JDK opens once per
     * process under load (the virtual-thread pollers', JIT); they end before the baseline is taken.
     */
    private static void warmUp(String binding) throws InterruptedException {
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                for (int k = 0; k < 20; k++) {
                    try (RpcClient c = RpcClient.connect(binding)) {
                        RpcEcho.client(c.bind(RpcEcho.INTERFACE_ID)).addOne(k);
                    } catch (RuntimeException e) {
                        // a warm-up failure shows again, measured, in the run
                    }
                }
            });
        }
        for (Thread th : threads) th.join();
    }

    /** Whether a client that connects now (after the attack) gets an answer: the server took connections again. */
    private static boolean newClientServed(String binding) {
        try (RpcClient c = RpcClient.connect(binding)) {
            return RpcEcho.client(c.bind(RpcEcho.INTERFACE_ID)).addOne(41) == 42;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Process startAttacker(String fault, int port, Config c) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Attacker.class.getName(), fault, HOST, Integer.toString(port),
                Long.toString(c.attack().toSeconds()), Integer.toString(fault.equals("limit")
                        ? Math.max(c.attackers(), Math.min(2000, c.attempts() / 10)) : c.attackers()),
                Integer.toString(c.attempts())));
        if (fault.equals("none")) command.set(command.size() - 2, "0");
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The attacker's next line, which must start with {@code word}. */
    private static String expect(BufferedReader in, String word) throws IOException {
        String line = in.readLine();
        if (line == null || !line.startsWith(word)) throw new IOException("the attacker said " + line + ", not " + word);
        return line;
    }

    private static boolean waitFor(BooleanSupplier condition, Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) return false;
            Thread.sleep(10);
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e3;
    }

    /**
     * The well-behaved client: EchoData of 256 bytes back to back on one connection, from before the attack to after
     * it (so that the short idle timeout of a fault run never ends it); latencies are kept while {@link #recording}.
     */
    private static final class GoodClient {
        final AtomicBoolean recording = new AtomicBoolean();
        final AtomicLong failures = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final long[] latencies = new long[4_000_000];
        private int count;
        private final Thread thread;
        private final RpcClient client;

        GoodClient(String binding) throws InterruptedException {
            client = RpcClient.connect(binding);
            RpcEcho.Client echo = RpcEcho.client(client.bind(RpcEcho.INTERFACE_ID));
            byte[] data = new byte[256];
            thread = Thread.ofPlatform().name("good-client").start(() -> {
                while (running.get()) {
                    long t0 = System.nanoTime();
                    try {
                        if (!Arrays.equals(data, echo.echoData(data.length, data))) failures.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        continue;
                    }
                    if (recording.get() && count < latencies.length) latencies[count++] = System.nanoTime() - t0;
                }
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            client.close();
        }

        /** Sorted, after {@link #stop()}. */
        long[] latencies() {
            long[] l = Arrays.copyOf(latencies, count);
            Arrays.sort(l);
            return l;
        }
    }
}
