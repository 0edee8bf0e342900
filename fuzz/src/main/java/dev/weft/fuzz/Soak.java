package dev.weft.fuzz;

import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.examples.WitnessExample;
import dev.weft.interfaces.examples.WitnessExample.ChangeType;
import dev.weft.interfaces.examples.WitnessExample.ResourceChange;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.witness.Witness;
import dev.weft.interfaces.witness.Witness.PcontextHandle;
import dev.weft.interfaces.witness.Witness.PcontextHandleShared;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Issue 10's soak: {@code clients} connections to one Weft server for a set time, at mixed auth levels (none,
 * NTLMSSP integrity, NTLMSSP privacy), making rpcecho calls of every size (fragmented ones included) and holding
 * witness AsyncNotify calls pending that a publisher completes. Every answer is checked; every pending call must
 * come back exactly once. Before and after: the process's file descriptors, platform threads and heap after GC,
 * and the server's connections and association groups.
 *
 * <p>{@code java -cp ... dev.weft.fuzz.Soak [seconds] [clients]} prints the report; {@code SoakTest} runs a short
 * one in every build.
 */
public final class Soak {
    /** What a run measured. */
    public record Report(long calls, long failures, long notifications, long pendingStarted, double seconds,
                         long fdsBefore, long fdsAfter, int threadsBefore, int threadsAfter, long heapBefore,
                         long heapAfter, int connectionsAfter, int groupsAfter, List<String> firstFailures) {
        @Override
        public String toString() {
            return String.format("%,d calls (%,.0f/s), %d failures, %,d notifications for %,d pending calls in %.0f s;"
                            + " fds %d -> %d, platform threads %d -> %d, heap after GC %,d -> %,d KiB;"
                            + " server connections %d, association groups %d after the clients closed%s",
                    calls, calls / seconds, failures, notifications, pendingStarted, seconds, fdsBefore, fdsAfter,
                    threadsBefore, threadsAfter, heapBefore >> 10, heapAfter >> 10, connectionsAfter, groupsAfter,
                    firstFailures.isEmpty() ? "" : "; first failures: " + firstFailures);
        }
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        System.out.println("Soak: " + run(Duration.ofSeconds(seconds), clients, 42));
    }

    /**
     * Runs the soak; the server lives only for the run. A one-second warm-up with three clients comes first, so the
     * baseline already holds what the JDK opens once per process (the virtual-thread pollers' descriptors, JIT).
     */
    public static Report run(Duration duration, int clients, long seed) throws Exception {
        soak(Duration.ofSeconds(1), 3, seed - 1, 0, 0, 0);
        long fdsBefore = openFds();
        int threadsBefore = Thread.activeCount();
        long heapBefore = heapAfterGc();
        return soak(duration, clients, seed, fdsBefore, threadsBefore, heapBefore);
    }

    private static Report soak(Duration duration, int clients, long seed, long fdsBefore, int threadsBefore,
                               long heapBefore) throws Exception {
        WitnessExample witness = new WitnessExample(List.of(WitnessExample.ipv4Interface("soak", new byte[] {127, 0, 0, 1})));
        NtlmCredentialSource users = NtlmCredentialSource.ofPasswords(Map.of("soak", "Soak-Passw0rd"));
        LongAdder calls = new LongAdder();
        LongAdder failures = new LongAdder();
        LongAdder notifications = new LongAdder();
        AtomicLong pendingStarted = new AtomicLong();
        ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
        int connectionsAfter;
        int groupsAfter;
        long start = System.nanoTime();
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]")
                .service(RpcEcho.service(new RpcEchoExample())).service(Witness.service(witness))
                .authentication(NtlmProvider.server(users)).build().start()) {
            String binding = server.endpoints().get(0).toBinding().toString();
            long deadline = System.nanoTime() + duration.toNanos();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                // The publisher completes every pending AsyncNotify a few times a second.
                threads.execute(() -> {
                    while (System.nanoTime() < deadline + 2_000_000_000L) {
                        for (int i = 0; i < clients; i++) witness.publish("soak-" + i, ChangeType.UNAVAILABLE);
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                for (int i = 0; i < clients; i++) {
                    int id = i;
                    threads.execute(() -> client(binding, id, new Random(seed + id), deadline, calls, failures,
                            notifications, pendingStarted, firstFailures));
                }
            }
            // Every client has closed: the server must have let go of everything.
            for (int i = 0; i < 200 && (server.connectionCount() > 0 || server.associationGroupCount() > 0); i++) {
                Thread.sleep(10);
            }
            connectionsAfter = server.connectionCount();
            groupsAfter = server.associationGroupCount();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Report(calls.sum(), failures.sum(), notifications.sum(), pendingStarted.get(), seconds, fdsBefore,
                openFds(), threadsBefore, Thread.activeCount(), heapBefore, heapAfterGc(), connectionsAfter, groupsAfter,
                firstFailures.stream().limit(3).toList());
    }

    private static void client(String binding, int id, Random random, long deadline, LongAdder calls,
                               LongAdder failures, LongAdder notifications, AtomicLong pendingStarted,
                               ConcurrentLinkedQueue<String> firstFailures) {
        int level = switch (id % 3) {
            case 0 -> 0;
            case 1 -> AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY;
            default -> AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
        };
        ClientOptions options = ClientOptions.DEFAULT.withMaxFragment(2048 + 8 * random.nextInt(400));
        if (level != 0) {
            options = options.withAuth(new ClientAuth(NtlmProvider.client(NtlmCredentials.password("SOAK", "soak", "Soak-Passw0rd")),
                    level, null));
        }
        try (RpcClient rpc = RpcClient.connect(binding, options)) {
            RpcEcho.Client echo = RpcEcho.client(rpc.bind(RpcEcho.INTERFACE_ID));
            Witness.Client w = Witness.client(rpc.bind(Witness.INTERFACE_ID));
            PcontextHandle registration = w.witnessrRegister(WitnessExample.WITNESS_V1, "soak-" + id, "127.0.0.1", "soak").ppContext();
            // One AsyncNotify pending at a time on the side, on the same connection as the other calls.
            Thread pending = Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < deadline) {
                    pendingStarted.incrementAndGet();
                    try {
                        var r = w.witnessrAsyncNotify(new PcontextHandleShared(registration.handle()));
                        List<ResourceChange> changes = ResourceChange.decodeAll(r.pResp());
                        if (r.result() != 0 || changes.isEmpty() || !changes.get(0).name().equals("soak-" + id)) {
                            fail(failures, firstFailures, "client " + id + ": AsyncNotify answered " + changes);
                        }
                        notifications.increment();
                    } catch (RuntimeException e) {
                        fail(failures, firstFailures, "client " + id + ": AsyncNotify: " + e);
                        return;
                    }
                }
            });
            while (System.nanoTime() < deadline) {
                try {
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            int x = random.nextInt();
                            if (echo.addOne(x) != x + 1) fail(failures, firstFailures, "client " + id + ": AddOne");
                        }
                        case 1 -> {
                            byte[] data = new byte[random.nextInt(3) == 0 ? random.nextInt(40_000) : random.nextInt(200)];
                            random.nextBytes(data);
                            if (!Arrays.equals(data, echo.echoData(data.length, data))) {
                                fail(failures, firstFailures, "client " + id + ": EchoData of " + data.length);
                            }
                        }
                        default -> {
                            int n = random.nextInt(20_000);
                            byte[] got = echo.sourceData(n);
                            for (int k = 0; k < n; k++) {
                                if (got[k] != (byte) k) {
                                    fail(failures, firstFailures, "client " + id + ": SourceData byte " + k);
                                    break;
                                }
                            }
                        }
                    }
                    calls.increment();
                } catch (RuntimeException e) {
                    fail(failures, firstFailures, "client " + id + ": " + e);
                }
            }
            pending.join();   // its last AsyncNotify is answered by the publisher's next round
            w.witnessrUnRegister(registration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(failures, firstFailures, "client " + id + ": " + e);
        }
    }

    private static void fail(LongAdder failures, ConcurrentLinkedQueue<String> first, String what) {
        failures.increment();
        if (first.size() < 10) first.add(what);
    }

    /** Open file descriptors of this process (Linux), or -1. */
    static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
