package dev.weft.cli;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.transport.StringBinding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code weft echo BINDING}: calls rpcecho (Samba's echo pipe; {@code weft serve} serves it) and checks each
 * answer. Without options it runs AddOne, EchoData, SinkData, SourceData and TestCall once each.
 */
final class EchoCommand implements Command {
    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String summary() {
        return "call rpcecho (AddOne, EchoData, SinkData, SourceData, TestCall, TestSleep) and check the answers";
    }

    @Override
    public String help() {
        return """
                usage: weft echo BINDING [--add-one N] [--data TEXT] [--sink BYTES] [--source BYTES]
                                         [--call TEXT] [--sleep S] [--timeout S] [--ndr] [--json]

                Calls the rpcecho interface at BINDING and checks every answer (exit 7 if one is wrong).
                Without an operation option: AddOne 41, EchoData "hello from weft", SinkData and SourceData
                of 1024 bytes, TestCall "hello". A binding without endpoint is resolved by the endpoint
                mapper on port 135, as Windows does.

                  --add-one N      AddOne(N): expects N + 1 (mod 2^32)
                  --data TEXT      EchoData: expects TEXT back
                  --sink BYTES     SinkData of BYTES bytes
                  --source BYTES   SourceData of BYTES bytes: expects bytes 0, 1, ... 255, 0, ...
                  --call TEXT      TestCall: expects TEXT back
                  --sleep S        TestSleep(S): the server holds the call S seconds
                %s
                example: weft echo ncacn_ip_tcp:127.0.0.1[1350] --data 'hello' --source 100000
                """.formatted(Target.OPTIONS_HELP);
    }

    @Override
    public int run(String[] argv, Io io) {
        Args args = Args.parse(name(), argv, union(Target.VALUED, "add-one", "data", "sink", "source", "call", "sleep"),
                Target.FLAGS);
        StringBinding binding = Target.binding(name(), args.positional(1, 1, "BINDING").get(0), null);
        boolean defaults = !(args.has("add-one") || args.has("data") || args.has("sink") || args.has("source")
                || args.has("call") || args.has("sleep"));
        // Check every value before connecting: a typo should not cost a round trip.
        Integer addOne = args.has("add-one") ? Integer.valueOf((int) parseUnsigned(args.value("add-one", null)))
                : defaults ? Integer.valueOf(41) : null;
        String data = args.value("data", defaults ? "hello from weft" : null);
        int sink = args.intValue("sink", defaults ? 1024 : -1, 0, 64 * 1024 * 1024);
        int source = args.intValue("source", defaults ? 1024 : -1, 0, 64 * 1024 * 1024);
        String call = args.value("call", defaults ? "hello" : null);
        int sleep = args.intValue("sleep", -1, 0, 3600);

        List<Map<String, Object>> results = new ArrayList<>();
        boolean allOk = true;
        try (RpcClient client = Target.connect(io, binding, args)) {
            RpcEcho.Client echo = RpcEcho.client(client.bind(RpcEcho.INTERFACE_ID));
            if (addOne != null) {
                long t = System.nanoTime();
                int got = echo.addOne(addOne);
                allOk &= add(results, "AddOne", Integer.toUnsignedString(addOne), Integer.toUnsignedString(got),
                        got == addOne + 1, t);
            }
            if (data != null) {
                byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
                long t = System.nanoTime();
                byte[] got = echo.echoData(bytes.length, bytes);
                allOk &= add(results, "EchoData", quote(data), quote(new String(got, StandardCharsets.UTF_8)),
                        Arrays.equals(bytes, got), t);
            }
            if (sink >= 0) {
                long t = System.nanoTime();
                echo.sinkData(sink, new byte[sink]);
                allOk &= add(results, "SinkData", sink + " bytes", "ok", true, t);
            }
            if (source >= 0) {
                long t = System.nanoTime();
                byte[] got;
                try (Progress p = io.progress("SourceData of " + source + " bytes")) {
                    got = echo.sourceData(source);
                }
                boolean ok = got.length == source;
                for (int i = 0; ok && i < got.length; i++) ok = got[i] == (byte) i;
                allOk &= add(results, "SourceData", source + " bytes", got.length + " bytes" + (ok ? ", pattern ok" : ", WRONG pattern"), ok, t);
            }
            if (call != null) {
                long t = System.nanoTime();
                String got = echo.testCall(call);
                allOk &= add(results, "TestCall", quote(call), quote(got), call.equals(got), t);
            }
            if (sleep >= 0) {
                long t = System.nanoTime();
                int got;
                try (Progress p = io.progress("TestSleep(" + sleep + "): the server holds the call")) {
                    got = echo.testSleep(sleep);
                }
                allOk &= add(results, "TestSleep", sleep + " s", String.valueOf(got), got == sleep, t);
            }
        }
        if (args.has("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("binding", binding.toString());
            m.put("ok", allOk);
            m.put("calls", results);
            io.out().println(Json.write(m));
        } else {
            for (Map<String, Object> r : results) {
                io.out().printf("%-10s %-24s -> %-24s %8.3f ms%s%n", r.get("op"), r.get("sent"), r.get("received"),
                        (Double) r.get("ms"), Boolean.TRUE.equals(r.get("ok")) ? "" : "   WRONG");
            }
        }
        return allOk ? ExitCode.OK : ExitCode.WRONG_ANSWER;
    }

    private static boolean add(List<Map<String, Object>> results, String op, String sent, String received, boolean ok,
                               long startNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("sent", sent);
        m.put("received", received);
        m.put("ok", ok);
        m.put("ms", Math.round((System.nanoTime() - startNanos) / 1000.0) / 1000.0);
        results.add(m);
        return ok;
    }

    private static long parseUnsigned(String v) {
        try {
            long n = Long.parseLong(v);
            if (n < Integer.MIN_VALUE || n > 0xFFFFFFFFL) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw CliException.usage("echo: --add-one wants a 32-bit number, not '" + v + "'");
        }
    }

    private static String quote(String s) {
        return s.length() > 40 ? "\"" + s.substring(0, 37) + "...\"" : "\"" + s + "\"";
    }

    static Set<String> union(Set<String> a, String... more) {
        var s = new java.util.HashSet<>(a);
        s.addAll(List.of(more));
        return Set.copyOf(s);
    }
}
