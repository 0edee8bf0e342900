package dev.weft.cli;

import dev.weft.client.RpcClient;
import dev.weft.client.RpcException;
import dev.weft.client.RpcFaultException;
import dev.weft.client.RpcTransportException;
import dev.weft.interfaces.mgmt.Mgmt;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.transport.StringBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code weft bench BINDING}: a closed-loop load harness. N connections, M callers spread over them (each a
 * virtual thread calling back to back), a warm-up that is not measured, then calls/s and latency percentiles.
 * The default call is mgmt inq_if_ids, which every DCE/RPC server answers, so the same run compares Weft, Samba
 * and Windows.
 */
final class BenchCommand implements Command {
    /** What one caller calls. */
    enum Op {
        INQ_IF_IDS("mgmt inq_if_ids"), ADD_ONE("rpcecho AddOne"), ECHO_DATA("rpcecho EchoData");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "load a server: calls/s and p50/p90/p99/max latency";
    }

    @Override
    public String help() {
        return """
                usage: weft bench BINDING [--connections N] [--concurrency N] [--duration S] [--warmup S]
                                          [--op inq-if-ids|add-one|echo-data] [--size BYTES] [--ndr] [--json]

                Opens N connections and runs M callers spread over them, each calling back to back for the
                duration after an unmeasured warm-up; prints calls/s and latency percentiles. Ctrl-C ends the
                run early and still reports it. The default call, mgmt inq_if_ids, works against any server.

                  --connections N  connections (default 1)
                  --concurrency N  callers in all, spread over the connections (default: one per connection)
                  --duration S     measured seconds (default 10)
                  --warmup S       unmeasured seconds first, for the JIT (default 2)
                  --op OP          inq-if-ids (mgmt, default), add-one or echo-data (rpcecho)
                  --size BYTES     echo-data payload (default 64)
                %s
                example: weft bench ncacn_ip_tcp:127.0.0.1[1350] --connections 4 --concurrency 16 --duration 10
                """.formatted(Target.OPTIONS_HELP);
    }

    @Override
    public int run(String[] argv, Io io) throws InterruptedException {
        Args args = Args.parse(name(), argv,
                EchoCommand.union(Target.VALUED, "connections", "concurrency", "duration", "warmup", "op", "size"),
                Target.FLAGS);
        StringBinding binding = Target.binding(name(), args.positional(1, 1, "BINDING").get(0), null);
        int connections = args.intValue("connections", 1, 1, 10_000);
        int concurrency = args.intValue("concurrency", connections, 1, 100_000);
        double duration = args.seconds("duration", 10, 0.01, 86_400);
        double warmup = args.seconds("warmup", 2, 0, 3600);
        int size = args.intValue("size", 64, 0, 4 * 1024 * 1024);
        Op op = switch (args.value("op", "inq-if-ids")) {
            case "inq-if-ids" -> Op.INQ_IF_IDS;
            case "add-one" -> Op.ADD_ONE;
            case "echo-data" -> Op.ECHO_DATA;
            default -> throw CliException.usage("bench: --op must be inq-if-ids, add-one or echo-data");
        };

        List<RpcClient> clients = new ArrayList<>();
        try {
            List<Caller> all = new ArrayList<>();
            try (Progress p = io.progress("opening " + connections + " connection(s) to " + binding)) {
                for (int i = 0; i < connections; i++) clients.add(Target.connect(io, binding, args));
                List<Call> calls = new ArrayList<>();
                for (RpcClient c : clients) calls.add(call(c, op, size));
                for (int i = 0; i < concurrency; i++) all.add(new Caller(calls.get(i % calls.size())));
            }
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmup * 1e9);
            long end = measureFrom + (long) (duration * 1e9);
            LongAdder done = new LongAdder();
            AtomicReference<RpcException> firstError = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (Caller c : all) {
                threads.add(Thread.ofVirtual().name("weft-bench").start(() -> c.loop(measureFrom, end, done, firstError, io)));
            }
            try (Progress p = io.progress("benchmarking " + op.label + " at " + binding)) {
                for (Thread t : threads) {
                    while (t.isAlive()) {
                        t.join(200);
                        long now = System.nanoTime();
                        p.update(now < measureFrom ? "warming up " + op.label + " at " + binding
                                : String.format("%s at %s: %,d calls, %.0f calls/s", op.label, binding, done.sum(),
                                done.sum() / ((now - measureFrom) / 1e9)));
                    }
                }
            }
            long measuredEnd = Math.min(System.nanoTime(), end);
            LatencyHistogram h = new LatencyHistogram();
            long errors = 0;
            for (Caller c : all) {
                h.add(c.histogram);
                errors += c.errors;
            }
            double seconds = Math.max(1e-9, (measuredEnd - measureFrom) / 1e9);
            report(io, args.has("json"), binding, op, connections, concurrency, seconds, h, errors, firstError.get());
            RpcException e = firstError.get();
            if (h.count() == 0 && e != null) throw e; // nothing worked: report why, with its exit code
            if (e != null) return e instanceof RpcFaultException ? ExitCode.REFUSED : ExitCode.UNREACHABLE;
            return io.stopping() ? ExitCode.INTERRUPTED : ExitCode.OK;
        } finally {
            for (RpcClient c : clients) c.close();
        }
    }

    /** One call of the chosen operation on one connection. */
    @FunctionalInterface
    interface Call {
        void call();
    }

    private static Call call(RpcClient client, Op op, int size) {
        return switch (op) {
            case INQ_IF_IDS -> {
                Mgmt.Client m = Mgmt.client(client.bind(Mgmt.INTERFACE_ID));
                yield m::inqIfIds;
            }
            case ADD_ONE -> {
                RpcEcho.Client e = RpcEcho.client(client.bind(RpcEcho.INTERFACE_ID));
                yield () -> e.addOne(1);
            }
            case ECHO_DATA -> {
                RpcEcho.Client e = RpcEcho.client(client.bind(RpcEcho.INTERFACE_ID));
                byte[] data = new byte[size];
                yield () -> e.echoData(size, data);
            }
        };
    }

    /** A virtual thread's worth of load: calls back to back, its own histogram, no shared state on the path. */
    private static final class Caller {
        final Call call;
        final LatencyHistogram histogram = new LatencyHistogram();
        long errors;

        Caller(Call call) {
            this.call = call;
        }

        void loop(long measureFrom, long end, LongAdder done, AtomicReference<RpcException> firstError, Io io) {
            while (!io.stopping()) {
                long t0 = System.nanoTime();
                if (t0 >= end) return;
                try {
                    call.call();
                } catch (RpcException e) {
                    firstError.compareAndSet(null, e);
                    if (t0 >= measureFrom) errors++;
                    if (e instanceof RpcTransportException) return; // the connection is gone
                    continue;
                }
                long t1 = System.nanoTime();
                if (t0 >= measureFrom && t1 <= end) {
                    histogram.record(t1 - t0);
                    done.increment();
                }
            }
        }
    }

    private static void report(Io io, boolean json, StringBinding binding, Op op, int connections, int concurrency,
                               double seconds, LatencyHistogram h, long errors, RpcException firstError) {
        double rate = h.count() / seconds;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("binding", binding.toString());
            m.put("op", op.label);
            m.put("connections", connections);
            m.put("concurrency", concurrency);
            m.put("seconds", Math.round(seconds * 1000) / 1000.0);
            m.put("calls", h.count());
            m.put("errors", errors);
            m.put("callsPerSecond", Math.round(rate * 10) / 10.0);
            Map<String, Object> lat = new LinkedHashMap<>();
            lat.put("mean", micros(Math.round(h.mean())));
            lat.put("p50", micros(h.percentile(0.50)));
            lat.put("p90", micros(h.percentile(0.90)));
            lat.put("p99", micros(h.percentile(0.99)));
            lat.put("max", micros(h.max()));
            m.put("latencyMicros", lat);
            if (firstError != null) m.put("firstError", firstError.getMessage());
            io.out().println(Json.write(m));
        } else {
            io.out().printf("%s at %s: %d connection(s), %d caller(s), %.1f s%n", op.label, binding, connections,
                    concurrency, seconds);
            io.out().printf("  %,d calls, %,.0f calls/s, %d error(s)%n", h.count(), rate, errors);
            io.out().printf("  latency us: mean %.1f  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", micros(Math.round(h.mean())),
                    micros(h.percentile(0.5)), micros(h.percentile(0.9)), micros(h.percentile(0.99)), micros(h.max()));
            if (firstError != null) io.out().println("  first error: " + firstError.getMessage());
        }
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
