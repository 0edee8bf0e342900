package dev.weft.bench.load;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.examples.WitnessExample;
import dev.weft.interfaces.witness.Witness;
import dev.weft.interfaces.witness.Witness.PcontextHandleShared;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 5, benchmark 3: N connections (default 10,000), each with one witness AsyncNotify pending in a Weft server
 * running in its own process ({@link PendingCallsServer}), then one published change. Prints the server's RSS and
 * heap with the calls pending, the time to get every call pending, and the time from the published change until
 * every call has its answer. Run: {@code tools/pending.sh [connections]}.
 */
public final class PendingCalls {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                PendingCallsServer.class.getName(), String.valueOf(n + 16))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader from = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter to = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
        String binding = from.readLine();
        System.out.printf("server %s (pid %d); %,d connections%n", binding, server.pid(), n);
        to.println("stats");
        String[] idle = from.readLine().split(" ");

        List<RpcClient> clients = new ArrayList<>(n);
        CountDownLatch answered = new CountDownLatch(n);
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        Semaphore connecting = new Semaphore(64);   // at most 64 binds in flight
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                connecting.acquire();
                threads.execute(() -> {
                    try {
                        RpcClient c = RpcClient.connect(binding);
                        synchronizedAdd(clients, c);
                        Witness.Client w = Witness.client(c.bind(Witness.INTERFACE_ID));
                        var reg = w.witnessrRegister(WitnessExample.WITNESS_V1, "bench", "127.0.0.1", "client");
                        connecting.release();
                        var r = w.witnessrAsyncNotify(new PcontextHandleShared(reg.ppContext().handle()));
                        if (r.result() != 0) failures.incrementAndGet();
                    } catch (RuntimeException e) {
                        connecting.release();
                        if (failures.getAndIncrement() == 0) e.printStackTrace();
                    } finally {
                        answered.countDown();
                    }
                });
            }
            int pending = 0;
            for (int i = 0; i < 6000 && pending < n - failures.get(); i++) {
                Thread.sleep(50);
                to.println("pending");
                pending = Integer.parseInt(from.readLine().trim());
            }
            double setup = (System.nanoTime() - start) / 1e9;
            to.println("stats");
            String[] busy = from.readLine().split(" ");
            System.out.printf("%,d calls pending after %.1f s (%d failed)%n", pending, setup, failures.get());
            System.out.printf("server RSS %,d MiB idle, %,d MiB with the calls pending; heap used after GC %,d MiB; %s platform threads%n",
                    Long.parseLong(idle[0]) >> 20, Long.parseLong(busy[0]) >> 20, Long.parseLong(busy[1]) >> 20, busy[2]);
            long published = System.nanoTime();
            to.println("publish bench");
            int reached = Integer.parseInt(from.readLine().trim());
            answered.await();
            double ms = (System.nanoTime() - published) / 1e6;
            System.out.printf("one published change reached %,d registrations; every call answered %.0f ms later%n", reached, ms);
        } finally {
            for (RpcClient c : clients) c.close();
            to.println("quit");
            server.waitFor();
        }
    }

    private static final java.util.concurrent.locks.ReentrantLock LOCK = new java.util.concurrent.locks.ReentrantLock();

    private static void synchronizedAdd(List<RpcClient> clients, RpcClient c) {
        LOCK.lock();
        try {
            clients.add(c);
        } finally {
            LOCK.unlock();
        }
    }
}
