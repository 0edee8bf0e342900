package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interop.SambaClientsAgainstWeftTest.Result;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated rpcecho skeleton with the shipped example implementation, called by Samba's own clients:
 * smbtorture {@code rpc.echo} (every operation, both transfer syntaxes, the concurrent out-of-order sleep test)
 * and rpcclient's echo commands, which find the interface through Weft's endpoint mapper on port 135.
 */
class RpcEchoAgainstSambaClientsTest {
    static final String HOST = "127.0.0.3";
    static RpcServer server;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        SambaDc.ensureRunning(); // for its smb.conf, which the clients read
        server = RpcServer.builder()
                .listen("ncacn_ip_tcp:" + HOST + "[135]")
                .listen("ncacn_ip_tcp:" + HOST + "[0]")
                .endpointMapper()
                .service(RpcEcho.service(new RpcEchoExample()))
                .build().start();
        port = server.endpoints().get(1).port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String output(Result r) {
        return String.join("\n", r.lines());
    }

    /** The whole run is captured: tshark must decode every packet of it without a malformed one or a warning. */
    @Test
    void smbtortureRpcEchoPasses() throws Exception {
        try (Tshark capture = Tshark.capture(port)) {
            Result r = SambaClientsAgainstWeftTest.smbtorture("ncacn_ip_tcp:" + HOST + "[" + port + "]", "rpc.echo");
            assertEquals(0, r.exit(), output(r));
            assertTrue(r.lines().stream().noneMatch(l -> l.startsWith("failure:") || l.startsWith("error:")), output(r));
            assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("success: echo.sleep")), "the concurrent sleep test ran\n" + output(r));
            assertTrue(capture.stopAndRead("dcerpc.pkt_type == 0").size() > 20, "tshark dissected the requests as DCE/RPC");
            // TCP's own notes (window full, on a loaded machine) are flow control, not the protocol: left out.
            List<String> findings = capture.stopAndRead(
                    "_ws.malformed || (dcerpc && _ws.expert.severity >= warning && !tcp.analysis.flags)");
            assertEquals(List.of(), findings, "tshark's malformed packets and warnings");
        }
    }

    @Test
    void smbtortureRpcEchoPassesOverNdr64() throws Exception {
        Result r = SambaClientsAgainstWeftTest.smbtorture("ncacn_ip_tcp:" + HOST + "[" + port + ",ndr64]", "rpc.echo");
        assertEquals(0, r.exit(), output(r));
        assertTrue(r.lines().stream().noneMatch(l -> l.startsWith("failure:") || l.startsWith("error:")), output(r));
    }

    private static Result rpcclient(String command) throws IOException, InterruptedException {
        return SambaClientsAgainstWeftTest.run("rpcclient", "-s", SambaDc.smbConf(), "-U%", "ncacn_ip_tcp:" + HOST, "-c", command);
    }

    @Test
    void rpcclientEchoCommandsSucceedThroughTheEndpointMapper() throws Exception {
        Result add = rpcclient("echoaddone 3");
        assertEquals(0, add.exit(), output(add));
        assertTrue(add.lines().stream().anyMatch(l -> l.contains("3")), output(add));
        for (String command : new String[] {"echodata 1000", "sinkdata 70000", "sourcedata 70000"}) {
            Result r = rpcclient(command);
            assertEquals(0, r.exit(), command + "\n" + output(r));
            assertTrue(r.lines().stream().noneMatch(l -> l.contains("rror") || l.contains("NT_STATUS")), command + "\n" + output(r));
        }
    }
}
