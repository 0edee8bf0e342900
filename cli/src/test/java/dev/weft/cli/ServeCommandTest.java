package dev.weft.cli;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.rpcecho.RpcEcho;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** weft serve, in-process: what it prints, what it serves, and that a stop closes it. */
class ServeCommandTest {

    /** A serve command running on its own thread until {@link #stop}. */
    static final class Running implements AutoCloseable {
        final Cli cli = new Cli();
        final Thread thread;

        Running(String... args) {
            String[] argv = new String[args.length + 1];
            argv[0] = "serve";
            System.arraycopy(args, 0, argv, 1, args.length);
            thread = Thread.ofVirtual().start(() -> cli.code = Weft.run(argv, cli.io));
        }

        /** The first line of output, once the server has printed it. */
        String firstLine() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                String out = cli.out();
                if (out.indexOf('\n') >= 0) return out.substring(0, out.indexOf('\n'));
                if (!thread.isAlive()) fail("serve ended: " + cli);
                Thread.sleep(10);
            }
            throw new AssertionError("serve printed nothing: " + cli);
        }

        int stop() throws InterruptedException {
            cli.io.stop().countDown();
            assertTrue(thread.join(Duration.ofSeconds(10)), "serve did not stop");
            return cli.code;
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) stop();
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void servesEpmMgmtAndEchoAndStops() throws Exception {
        String binding;
        try (Running r = new Running("--listen", "ncacn_ip_tcp:127.0.0.1[0]", "--json")) {
            Map<String, Object> j = JsonParser.object(r.firstLine());
            List<String> endpoints = (List<String>) j.get("endpoints");
            assertEquals(1, endpoints.size());
            binding = endpoints.get(0);
            assertTrue(binding.matches("ncacn_ip_tcp:127\\.0\\.0\\.1\\[\\d+]") && !binding.endsWith("[0]"), binding);
            List<String> services = ((List<Map<String, Object>>) j.get("services")).stream()
                    .map(m -> (String) m.get("name")).toList();
            assertEquals(List.of("epmapper", "mgmt", "rpcecho", "witness", "frstrans"), services);

            Cli epm = Cli.run("epm", binding, "--json");
            assertEquals(ExitCode.OK, epm.code, epm::toString);
            assertEquals(5, ((List<?>) epm.json().get("entries")).size());
            Cli witness = Cli.run("map", binding, "witness", "--json");
            assertEquals(ExitCode.OK, witness.code, witness::toString);
            assertEquals(List.of(binding), witness.json().get("bindings"));
            Cli echo = Cli.run("echo", binding);
            assertEquals(ExitCode.OK, echo.code, echo::toString);

            assertEquals(ExitCode.OK, r.stop());
        }
        // stopped means closed: nothing answers there any more
        Cli after = Cli.run("mgmt", binding, "--timeout", "2");
        assertEquals(ExitCode.UNREACHABLE, after.code, after::toString);
    }

    @Test
    void humanOutputSaysWhereItListens() throws Exception {
        try (Running r = new Running("--listen", "ncacn_ip_tcp:127.0.0.1[0]", "--listen", "ncalrpc:[weft-cli-test-" + ProcessHandle.current().pid() + "]")) {
            assertEquals("weft serve: listening on", r.firstLine());
            Thread.sleep(100);
            String out = r.cli.out();
            assertTrue(out.contains("ncalrpc:[weft-cli-test-"), out);
            assertTrue(out.contains("rpcecho    60a15ec5-4de8-11d7-a637-005056a20182 v1.0"), out);
            assertEquals(ExitCode.OK, r.stop());
            assertTrue(r.cli.err().contains("weft serve: stopped"), r.cli::toString);
        }
    }

    @Test
    void noEpmAndServiceSelection() throws Exception {
        try (Running r = new Running("--listen", "ncacn_ip_tcp:127.0.0.1[0]", "--no-epm", "--service", "rpcecho", "--json")) {
            @SuppressWarnings("unchecked")
            String binding = ((List<String>) JsonParser.object(r.firstLine()).get("endpoints")).get(0);
            assertEquals(ExitCode.REFUSED, Cli.run("epm", binding).code);
            Cli mgmt = Cli.run("mgmt", binding, "--json");
            assertEquals(ExitCode.OK, mgmt.code, mgmt::toString);
            assertTrue(mgmt.out().contains(RpcEcho.INTERFACE_ID.uuid().toString()), mgmt::toString);
            assertFalse(mgmt.out().contains("witness"), mgmt::toString); // --service rpcecho left it out
            try (RpcClient c = RpcClient.connect(binding)) {
                assertEquals(8, RpcEcho.client(c.bind(RpcEcho.INTERFACE_ID)).addOne(7));
            }
        }
    }

    @Test
    void epmPortAddsAnEndpoint() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (Running r = new Running("--listen", "ncacn_ip_tcp:127.0.0.1[0]", "--epm-port", String.valueOf(port), "--json")) {
            List<?> endpoints = (List<?>) JsonParser.object(r.firstLine()).get("endpoints");
            assertEquals(2, endpoints.size());
            assertEquals("ncacn_ip_tcp:127.0.0.1[" + port + "]", endpoints.get(1));
            Cli map = Cli.run("map", "ncacn_ip_tcp:127.0.0.1[" + port + "]", "rpcecho", "--json");
            assertEquals(ExitCode.OK, map.code, map::toString);
            assertEquals(2, ((List<?>) map.json().get("bindings")).size(), map::toString);
        }
    }

    @Test
    void aPortInUseExitsThree() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Cli c = Cli.run("serve", "--listen", "ncacn_ip_tcp:127.0.0.1[" + taken.getLocalPort() + "]");
            assertEquals(ExitCode.UNREACHABLE, c.code, c::toString);
            assertTrue(c.err().contains("cannot listen"), c::toString);
        }
    }

    @Test
    void badServeArgumentsAreUsageErrors() {
        assertEquals(ExitCode.USAGE, Cli.run("serve", "--service", "nosuch").code);
        assertEquals(ExitCode.USAGE, Cli.run("serve", "--no-epm", "--epm-port", "135").code);
        assertEquals(ExitCode.USAGE, Cli.run("serve", "--listen", "ncacn_ip_tcp:127.0.0.1").code);
        assertEquals(ExitCode.USAGE, Cli.run("serve", "--listen", "nonsense").code);
        assertEquals(ExitCode.USAGE, Cli.run("serve", "--max-connections", "0").code);
        assertEquals(ExitCode.USAGE, Cli.run("serve", "extra").code);
        Cli help = Cli.run("serve", "--help");
        assertEquals(ExitCode.OK, help.code);
        assertTrue(help.out().contains("rpcecho"), help::toString);
        assertFalse(help.out().contains("%"), help::toString);
    }
}
