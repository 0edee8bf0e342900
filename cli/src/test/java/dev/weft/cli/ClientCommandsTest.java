package dev.weft.cli;

import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** epm, map, mgmt and echo against an in-process Weft server, and their failures. */
class ClientCommandsTest {
    static RpcServer server;
    static String binding;
    static RpcServer bare; // mgmt only: no endpoint mapper, no rpcecho
    static String bareBinding;

    @BeforeAll
    static void start() throws IOException {
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(RpcEcho.service(new RpcEchoExample()))
                .endpointMapper().build().start();
        binding = server.endpoints().get(0).toBinding().toString();
        bare = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").build().start();
        bareBinding = bare.endpoints().get(0).toBinding().toString();
    }

    @AfterAll
    static void stop() {
        server.close();
        bare.close();
    }

    /** A TCP port nothing listens on (bound, then released). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @Test
    void epmListsEveryInterfaceOnTheEndpoint() {
        Cli c = Cli.run("epm", binding, "--json");
        assertEquals(ExitCode.OK, c.code, c::toString);
        List<Map<String, Object>> entries = list(c.json().get("entries"));
        assertEquals(3, entries.size(), c::toString);
        for (Map<String, Object> e : entries) assertEquals(binding, e.get("binding"));
        assertEquals(List.of("epmapper", "mgmt", "rpcecho"),
                entries.stream().map(e -> (String) e.get("name")).sorted().toList());
        Map<String, Object> echo = entries.stream().filter(e -> "rpcecho".equals(e.get("name"))).findFirst().orElseThrow();
        assertEquals(RpcEcho.INTERFACE_ID.uuid().toString(), echo.get("uuid"));
        assertEquals(1L, echo.get("major"));
    }

    @Test
    void epmHumanOutput() {
        Cli c = Cli.run("epm", binding);
        assertEquals(ExitCode.OK, c.code, c::toString);
        assertTrue(c.out().contains("60a15ec5-4de8-11d7-a637-005056a20182 v1.0"), c::toString);
        assertTrue(c.out().contains(binding), c::toString);
        assertTrue(c.out().strip().endsWith("3 endpoints"), c::toString);
    }

    @Test
    void epmWithoutEndpointMapperIsRefused() {
        Cli c = Cli.run("epm", bareBinding, "--json");
        assertEquals(ExitCode.REFUSED, c.code, c::toString);
        assertEquals(4L, c.json().get("exitCode"));
        assertTrue(c.err().contains("bind refused"), c::toString);
    }

    @Test
    void mapResolvesAnInterfaceByUuidAndByName() {
        Cli byUuid = Cli.run("map", binding, "60a15ec5-4de8-11d7-a637-005056a20182/1.0");
        assertEquals(ExitCode.OK, byUuid.code, byUuid::toString);
        assertEquals(binding, byUuid.out().strip());
        Cli byName = Cli.run("map", binding, "rpcecho", "--json");
        assertEquals(ExitCode.OK, byName.code, byName::toString);
        assertEquals(List.of(binding), byName.json().get("bindings"));
        assertEquals(0L, byName.json().get("status"));
    }

    @Test
    void mapOfAnUnknownInterfaceIsNotFound() {
        Cli c = Cli.run("map", binding, "samr", "--json");
        assertEquals(ExitCode.NOT_FOUND, c.code, c::toString);
        assertEquals(List.of(), c.json().get("bindings"));
        assertEquals((long) EpmCommand.EPT_S_NOT_REGISTERED, c.json().get("status"));
        Cli wrongMajor = Cli.run("map", binding, "rpcecho/2.0");
        assertEquals(ExitCode.NOT_FOUND, wrongMajor.code, wrongMajor::toString);
    }

    @Test
    void mapRejectsWhatIsNoInterface() {
        assertEquals(ExitCode.USAGE, Cli.run("map", binding, "not-a-uuid").code);
        assertEquals(ExitCode.USAGE, Cli.run("map", binding, "rpcecho/x.y").code);
        assertEquals(ExitCode.USAGE, Cli.run("map", binding).code);
        assertEquals(ExitCode.USAGE, Cli.run("map", binding, "rpcecho", "--protseq", "ncacn_np").code);
    }

    @Test
    void mgmtReportsInterfacesStatsAndListening() {
        Cli c = Cli.run("mgmt", binding, "--json");
        assertEquals(ExitCode.OK, c.code, c::toString);
        Map<String, Object> j = c.json();
        List<String> names = list(j.get("interfaces")).stream().map(m -> (String) m.get("uuid")).toList();
        assertTrue(names.contains(RpcEcho.INTERFACE_ID.uuid().toString()), c::toString);
        assertTrue(names.contains("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), c::toString);
        assertEquals(Boolean.TRUE, j.get("listening"));
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) j.get("stats");
        assertTrue((Long) stats.get("calls_in") >= 2, c::toString); // inq_if_ids and inq_stats itself, at least
        assertEquals("", j.get("principal"));
    }

    @Test
    void mgmtHumanOutput() {
        Cli c = Cli.run("mgmt", bareBinding);
        assertEquals(ExitCode.OK, c.code, c::toString);
        assertTrue(c.out().startsWith("interfaces (0):"), c::toString);
        assertTrue(c.out().contains("listening: yes"), c::toString);
    }

    @Test
    void echoRunsAndChecksTheDefaultCalls() {
        Cli c = Cli.run("echo", binding, "--json");
        assertEquals(ExitCode.OK, c.code, c::toString);
        Map<String, Object> j = c.json();
        assertEquals(Boolean.TRUE, j.get("ok"));
        List<Map<String, Object>> calls = list(j.get("calls"));
        assertEquals(List.of("AddOne", "EchoData", "SinkData", "SourceData", "TestCall"),
                calls.stream().map(m -> m.get("op")).toList());
        assertEquals("42", calls.get(0).get("received"));
        assertEquals("\"hello from weft\"", calls.get(1).get("received"));
    }

    @Test
    void echoSelectedCallsBothSyntaxes() {
        for (String syntax : new String[] {"--ndr", "--json"}) {
            Cli c = Cli.run("echo", binding, "--add-one", "4294967295", "--data", "é\"\n", "--source", "70000",
                    syntax, "--json");
            assertEquals(ExitCode.OK, c.code, c::toString);
            List<Map<String, Object>> calls = list(c.json().get("calls"));
            assertEquals(3, calls.size(), c::toString);
            assertEquals("0", calls.get(0).get("received")); // 2^32 - 1 + 1 wraps
            assertEquals("\"é\"\n\"", calls.get(1).get("received"));
            assertEquals("70000 bytes, pattern ok", calls.get(2).get("received"));
        }
    }

    @Test
    void echoNoticesAWrongAnswer() throws IOException {
        RpcEcho.Server offByOne = new WrongEcho();
        try (RpcServer wrong = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]")
                .service(RpcEcho.service(offByOne)).build().start()) {
            Cli c = Cli.run("echo", wrong.endpoints().get(0).toBinding().toString(), "--add-one", "1");
            assertEquals(ExitCode.WRONG_ANSWER, c.code, c::toString);
            assertTrue(c.out().contains("WRONG"), c::toString);
        }
    }

    @Test
    void echoShowsProgressOnASlowCall() {
        Cli c = Cli.run("echo", binding, "--sleep", "2");
        assertEquals(ExitCode.OK, c.code, c::toString);
        assertTrue(c.err().contains("TestSleep(2)"), c::toString);
        assertTrue(c.out().startsWith("TestSleep"), c::toString);
    }

    @Test
    void echoWhereThereIsNoEchoIsRefused() {
        Cli c = Cli.run("echo", bareBinding);
        assertEquals(ExitCode.REFUSED, c.code, c::toString);
    }

    @Test
    void unreachableServersExitThree() throws IOException {
        int port = closedPort();
        for (String cmd : new String[] {"epm", "mgmt", "echo", "bench"}) {
            Cli c = Cli.run(cmd, "ncacn_ip_tcp:127.0.0.1[" + port + "]", "--json");
            assertEquals(ExitCode.UNREACHABLE, c.code, c::toString);
            assertEquals(3L, c.json().get("exitCode"), c::toString);
        }
        Cli noHost = Cli.run("mgmt", "ncacn_ip_tcp:no-such-host.invalid[1350]", "--timeout", "2");
        assertEquals(ExitCode.UNREACHABLE, noHost.code, noHost::toString);
    }

    @Test
    void malformedBindingsAreUsageErrors() {
        for (String cmd : new String[] {"epm", "mgmt", "echo", "bench", "map"}) {
            String[] extra = cmd.equals("map") ? new String[] {"rpcecho"} : new String[0];
            Cli c = Cli.run(concat(new String[] {cmd, "ncacn_ip_tcp:127.0.0.1[135"}, extra));
            assertEquals(ExitCode.USAGE, c.code, c::toString);
            assertTrue(c.err().contains("is not a string binding"), c::toString);
            Cli bogus = Cli.run(concat(new String[] {cmd, "bogus_protseq:1.2.3.4"}, extra));
            assertEquals(ExitCode.USAGE, bogus.code, bogus::toString);
        }
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertEquals(ExitCode.USAGE, Cli.run("echo", binding, "--add-one", "x").code);
        assertEquals(ExitCode.USAGE, Cli.run("echo", binding, "--source", "-5").code);
        assertEquals(ExitCode.USAGE, Cli.run("mgmt", binding, "--timeout", "soon").code);
        assertEquals(ExitCode.USAGE, Cli.run("mgmt", binding, "--frobnicate").code);
        assertEquals(ExitCode.USAGE, Cli.run("mgmt", binding, binding).code);
        assertEquals(ExitCode.USAGE, Cli.run("mgmt").code);
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** rpcecho whose AddOne adds two. */
    static final class WrongEcho implements RpcEcho.Server {
        private final RpcEchoExample real = new RpcEchoExample();

        @Override
        public int addOne(dev.weft.server.ServerCall call, int inData) {
            return inData + 2;
        }

        @Override
        public byte[] echoData(dev.weft.server.ServerCall call, int len, byte[] inData) {
            return real.echoData(call, len, inData);
        }

        @Override
        public void sinkData(dev.weft.server.ServerCall call, int len, byte[] data) {
        }

        @Override
        public byte[] sourceData(dev.weft.server.ServerCall call, int len) {
            return real.sourceData(call, len);
        }

        @Override
        public String testCall(dev.weft.server.ServerCall call, String s1) {
            return s1;
        }

        @Override
        public RpcEcho.TestCall2Result testCall2(dev.weft.server.ServerCall call, short level) {
            return real.testCall2(call, level);
        }

        @Override
        public int testSleep(dev.weft.server.ServerCall call, int seconds) throws InterruptedException {
            return real.testSleep(call, seconds);
        }

        @Override
        public RpcEcho.TestEnumResult testEnum(dev.weft.server.ServerCall call, RpcEcho.EchoEnum1 foo1,
                                              RpcEcho.EchoEnum2 foo2, RpcEcho.EchoEnum3 foo3) {
            return real.testEnum(call, foo1, foo2, foo3);
        }

        @Override
        public RpcEcho.EchoSurrounding testSurrounding(dev.weft.server.ServerCall call, RpcEcho.EchoSurrounding data) {
            return real.testSurrounding(call, data);
        }

        @Override
        public short testDoublePointer(dev.weft.server.ServerCall call, dev.weft.ndr.Pointer<Short> data) {
            return real.testDoublePointer(call, data);
        }
    }
}
