package dev.weft.fuzz;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.ndr.SyntaxId;
import dev.weft.pdu.Bind;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.PduCodec;
import dev.weft.server.RpcServer;
import dev.weft.server.ServerLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 10's faults, each while a well-behaved client keeps calling rpcecho EchoData on its own connection: its
 * latency during the fault is the figure (p50, p99, max), and afterwards the server must hold no connection and no
 * association group. Faults: slowloris (connections dribbling a bind a byte at a time, ended by the partial-PDU
 * timeout), clients killed mid-fragment and mid-call (reset with SO_LINGER 0), and a flood of binds.
 *
 * <p>{@code java -cp ... dev.weft.fuzz.Faults [seconds per fault] [connections]} prints one line per fault;
 * {@code FaultsTest} runs short ones in every build.
 */
public final class Faults {
    /** What one fault did to the well-behaved client, and what the server held afterwards. */
    public record Result(String fault, int attackers, long goodCalls, long goodFailures, double p50Micros,
                         double p99Micros, double maxMicros, int connectionsAfter, int groupsAfter) {
        @Override
        public String toString() {
            return String.format("%-14s %5d attackers: good client %,d calls, %d failed, p50 %.0f µs, p99 %.0f µs,"
                            + " max %.0f µs; afterwards %d connections, %d association groups",
                    fault, attackers, goodCalls, goodFailures, p50Micros, p99Micros, maxMicros, connectionsAfter, groupsAfter);
        }
    }

    private static final SyntaxId ECHO = RpcEcho.INTERFACE_ID;

    private Faults() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        for (Result r : runAll(Duration.ofSeconds(seconds), n)) System.out.println("Faults: " + r);
    }

    public static List<Result> runAll(Duration each, int attackers) throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(run("none", each, 0));
        results.add(run("slowloris", each, attackers));
        results.add(run("killed", each, attackers));
        results.add(run("bind-flood", each, attackers));
        return results;
    }

    /** Runs one fault with {@code attackers} hostile connections at a time for {@code duration}. */
    public static Result run(String fault, Duration duration, int attackers) throws Exception {
        ServerLimits limits = ServerLimits.DEFAULT.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30));
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").limits(limits)
                .service(RpcEcho.service(new RpcEchoExample())).build().start()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.endpoints().get(0).port());
            String binding = server.endpoints().get(0).toBinding().toString();
            AtomicBoolean running = new AtomicBoolean(true);
            long[] latencies = new long[2_000_000];
            long calls = 0;
            long failures = 0;
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                 RpcClient good = RpcClient.connect(binding)) {
                RpcEcho.Client echo = RpcEcho.client(good.bind(ECHO));
                for (int i = 0; i < attackers; i++) {
                    int id = i;
                    threads.execute(() -> attack(fault, address, running, new Random(id)));
                }
                byte[] data = new byte[256];
                long end = System.nanoTime() + duration.toNanos();
                while (System.nanoTime() < end && calls < latencies.length) {
                    long t = System.nanoTime();
                    try {
                        if (!Arrays.equals(data, echo.echoData(data.length, data))) failures++;
                        latencies[(int) calls++] = System.nanoTime() - t;
                    } catch (RuntimeException e) {
                        failures++;
                    }
                }
                running.set(false);
            }
            // The attackers are gone; what they left must go too (the partial-PDU timeout ends a stuck one).
            for (int i = 0; i < 500 && (server.connectionCount() > 0 || server.associationGroupCount() > 0); i++) {
                Thread.sleep(10);
            }
            long[] sorted = Arrays.copyOf(latencies, (int) calls);
            Arrays.sort(sorted);
            return new Result(fault, attackers, calls, failures, percentile(sorted, 0.50), percentile(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e3, server.connectionCount(),
                    server.associationGroupCount());
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e3;
    }

    /** One hostile connection at a time, again and again, until the run ends. */
    private static void attack(String fault, InetSocketAddress address, AtomicBoolean running, Random random) {
        byte[] bind = PduCodec.encode(Bind.of(1, 5840, 0, List.of(ContextElement.of(0, ECHO, SyntaxId.NDR20))));
        // The attackers share the machine with the server and the measured client: their own work is done once.
        byte[] stub = new byte[20_000];
        random.nextBytes(stub);
        byte[] first = PduCodec.encode(new Fragmenter(2048, null).request(2, 0, 1, null,
                new dev.weft.ndr.NdrWriter(dev.weft.ndr.TransferSyntax.NDR20)
                        .writeInt32(stub.length).writeConformance(stub.length).writeBytes(stub).toByteArray()).get(0));
        byte[] half = Arrays.copyOf(first, first.length / 2);
        while (running.get()) {
            try (Socket s = new Socket()) {
                s.connect(address, 2000);
                OutputStream out = s.getOutputStream();
                switch (fault) {
                    case "slowloris" -> {
                        // A byte every 100 ms: the partial-PDU timeout (2 s here) ends it long before the bind does.
                        for (int i = 0; i < bind.length && running.get(); i++) {
                            out.write(bind[i]);
                            out.flush();
                            Thread.sleep(100);
                        }
                    }
                    case "killed" -> {
                        out.write(bind);
                        s.getInputStream().readNBytes(16);   // the bind_ack's header
                        // mid-fragment or mid-call (the first of ten fragments), then a reset
                        out.write(random.nextBoolean() ? half : first);
                        out.flush();
                        s.setSoLinger(true, 0);
                    }
                    default -> {
                        out.write(bind);                    // bind-flood: bind and go
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the server closed it first: what the fault expects
            } catch (InterruptedException e) {
                return;
            }
            try {
                // At most one hostile connection per attacker every 10 ms: on two cores, attackers that loop without
                // pause measure CPU starvation of everyone (the client included), not the server's handling.
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
