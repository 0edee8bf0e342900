package dev.weft.cli;

import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** weft bench against an in-process server: the figures are consistent and errors map to exit codes. */
class BenchCommandTest {
    static RpcServer server;
    static String binding;

    @BeforeAll
    static void start() throws IOException {
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(RpcEcho.service(new RpcEchoExample()))
                .build().start();
        binding = server.endpoints().get(0).toBinding().toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @SuppressWarnings("unchecked")
    @Test
    void reportsRateAndOrderedPercentiles() {
        Cli c = Cli.run("bench", binding, "--connections", "2", "--concurrency", "4", "--duration", "1",
                "--warmup", "0.2", "--json");
        assertEquals(ExitCode.OK, c.code, c::toString);
        Map<String, Object> j = c.json();
        assertEquals("mgmt inq_if_ids", j.get("op"));
        assertEquals(2L, j.get("connections"));
        assertEquals(4L, j.get("concurrency"));
        long calls = (Long) j.get("calls");
        assertTrue(calls > 100, c::toString);
        assertEquals(0L, j.get("errors"));
        double seconds = (Double) j.get("seconds");
        assertTrue(seconds > 0.9 && seconds < 1.5, c::toString);
        double rate = ((Number) j.get("callsPerSecond")).doubleValue();
        assertEquals(calls / seconds, rate, rate * 0.01 + 1, c::toString);
        Map<String, Object> lat = (Map<String, Object>) j.get("latencyMicros");
        double p50 = ((Number) lat.get("p50")).doubleValue();
        double p90 = ((Number) lat.get("p90")).doubleValue();
        double p99 = ((Number) lat.get("p99")).doubleValue();
        double max = ((Number) lat.get("max")).doubleValue();
        assertTrue(0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= max, c::toString);
    }

    @Test
    void echoOperationsAndHumanOutput() {
        Cli c = Cli.run("bench", binding, "--op", "echo-data", "--size", "1000", "--duration", "0.5", "--warmup", "0");
        assertEquals(ExitCode.OK, c.code, c::toString);
        assertTrue(c.out().startsWith("rpcecho EchoData at " + binding), c::toString);
        assertTrue(c.out().contains("calls/s, 0 error(s)"), c::toString);
        assertTrue(c.out().contains("p99"), c::toString);
        Cli addOne = Cli.run("bench", binding, "--op", "add-one", "--duration", "0.3", "--warmup", "0", "--json");
        assertEquals(ExitCode.OK, addOne.code, addOne::toString);
        assertTrue((Long) addOne.json().get("calls") > 0, addOne::toString);
    }

    @Test
    void aServerWithoutTheInterfaceIsRefused() throws IOException {
        try (RpcServer bare = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").build().start()) {
            Cli c = Cli.run("bench", bare.endpoints().get(0).toBinding().toString(), "--op", "add-one",
                    "--duration", "0.2", "--warmup", "0");
            assertEquals(ExitCode.REFUSED, c.code, c::toString);
        }
    }

    @Test
    void stopEndsTheRunEarlyAndStillReports() throws InterruptedException {
        Cli c = new Cli();
        Thread t = Thread.ofVirtual().start(() -> c.code = Weft.run(
                new String[] {"bench", binding, "--duration", "60", "--warmup", "0", "--json"}, c.io));
        Thread.sleep(500);
        c.io.stop().countDown();
        assertTrue(t.join(java.time.Duration.ofSeconds(5)), "bench did not stop");
        assertEquals(ExitCode.INTERRUPTED, c.code, c::toString);
        double seconds = (Double) c.json().get("seconds");
        assertTrue(seconds < 5, c::toString);
        assertTrue((Long) c.json().get("calls") > 0, c::toString);
    }

    @Test
    void badArguments() {
        assertEquals(ExitCode.USAGE, Cli.run("bench", binding, "--op", "nothing").code);
        assertEquals(ExitCode.USAGE, Cli.run("bench", binding, "--connections", "0").code);
        assertEquals(ExitCode.USAGE, Cli.run("bench", binding, "--duration", "-1").code);
        assertEquals(ExitCode.USAGE, Cli.run("bench").code);
    }
}
