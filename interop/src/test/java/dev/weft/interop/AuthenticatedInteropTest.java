package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcException;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.mgmt.Mgmt;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interop.SambaClientsAgainstWeftTest.Result;
import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.SecurityProvider;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * RPC-level authentication against the real peers: Weft's client signs and seals calls to the Samba AD DC's samr
 * with NTLMSSP and SPNEGO, and Samba's own clients (smbtorture rpc.echo, rpcclient) call a Weft server with
 * NTLMSSP and SPNEGO at sign and seal.
 */
class AuthenticatedInteropTest {
    static final String USER = "rpcuser", PASSWORD = "RpcTest-Passw0rd1", DOMAIN = "RPCTEST";
    static final String HOST = "127.0.0.4";
    static RpcServer server;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        SambaDc.ensureRunning();
        NtlmCredentialSource users = NtlmCredentialSource.ofPasswords(Map.of(USER, PASSWORD));
        server = RpcServer.builder()
                .listen("ncacn_ip_tcp:" + HOST + "[135]")
                .listen("ncacn_ip_tcp:" + HOST + "[0]")
                .endpointMapper()
                .service(RpcEcho.service(new RpcEchoExample()))
                .authentication(NtlmProvider.server(users))
                .authentication(SpnegoProvider.ntlm(NtlmProvider.server(users)))
                .build().start();
        port = server.endpoints().get(1).port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static SecurityProvider mechanism(String name, String password) {
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password(DOMAIN, USER, password));
        return name.equals("spnego") ? SpnegoProvider.ntlm(ntlm) : ntlm;
    }

    /**
     * samr Connect2 (opnum 57: [in, unique, string] system_name, [in] access_mask; [out] handle, NTSTATUS) and
     * Close (opnum 1), which Samba serves over TCP only to authenticated callers.
     */
    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"ntlm, 5", "ntlm, 6", "spnego, 5", "spnego, 6"})
    void weftClientCallsSamrOnSambaSignedAndSealed(String mechanism, int level) {
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(mechanism(mechanism, PASSWORD), level, null));
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, options)) {
            BindingHandle samr = client.bind(WeftClientAgainstSambaTest.SAMR);
            NdrWriter w = samr.newRequest();
            if (w.writeUniquePointer("\\\\rpcdc")) w.writeWideString("\\\\rpcdc");
            w.writeInt32(0x02000000);                        // MAXIMUM_ALLOWED
            NdrReader r = samr.call(57, w);
            ContextHandle handle = r.readContextHandle();
            assertEquals(0, r.readInt32(), "STATUS_SUCCESS");
            assertTrue(!handle.isNull());
            NdrReader closed = samr.call(1, samr.newRequest().writeContextHandle(handle));
            assertTrue(closed.readContextHandle().isNull());
            assertEquals(0, closed.readInt32());
        }
    }

    @Test
    void sambaRefusesAWrongPassword() {
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(mechanism("ntlm", "wrong"), 6, null));
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, options)) {
            assertThrows(RpcException.class, () -> {
                BindingHandle samr = client.bind(WeftClientAgainstSambaTest.SAMR);
                samr.call(57, samr.newRequest().writeInt32(0).writeInt32(0x02000000));
            });
        }
    }

    /**
     * Big-endian too: Samba's client then writes the stub big-endian and the verification trailer little-endian,
     * which Weft's server once refused (access denied); the captures in the interfaces module showed it.
     */
    @ParameterizedTest(name = "smbtorture rpc.echo [{0}]")
    @CsvSource({"'ntlm,sign'", "'ntlm,seal'", "'spnego,seal'", "'ntlm,sign,bigendian'", "'spnego,seal,bigendian'"})
    void smbtortureRpcEchoPassesAuthenticated(String options) throws Exception {
        Result r = SambaClientsAgainstWeftTest.run("smbtorture", "-s", SambaDc.smbConf(), "-U" + USER + "%" + PASSWORD,
                "ncacn_ip_tcp:" + HOST + "[" + port + "," + options + "]", "rpc.echo", "--option=torture:quick=yes");
        String out = String.join("\n", r.lines());
        assertEquals(0, r.exit(), out);
        assertTrue(r.lines().stream().noneMatch(l -> l.startsWith("failure:") || l.startsWith("error:")), out);
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("success: echo.addone")), out);
    }

    @Test
    void rpcclientEchoAddOneSealed() throws Exception {
        Result r = SambaClientsAgainstWeftTest.run("rpcclient", "-s", SambaDc.smbConf(), "-U" + USER + "%" + PASSWORD,
                "ncacn_ip_tcp:" + HOST + "[seal]", "-c", "echoaddone 5");
        assertEquals(0, r.exit(), String.join("\n", r.lines()));
    }

    @Test
    void smbtortureWithAWrongPasswordIsRefused() throws Exception {
        Result r = SambaClientsAgainstWeftTest.run("smbtorture", "-s", SambaDc.smbConf(), "-U" + USER + "%wrong",
                "ncacn_ip_tcp:" + HOST + "[" + port + ",ntlm,seal]", "rpc.echo", "--option=torture:quick=yes");
        assertTrue(r.exit() != 0, String.join("\n", r.lines()));
    }

    /**
     * Wireshark, given the password, decrypts a sealed Weft session (Weft's client and server, NTLMSSP at
     * PKT_PRIVACY with header signing) and dissects the plaintext: an independent check of the sealing. A request
     * with an empty stub is the one thing it calls malformed, and it says the same of Samba's own client sending
     * the identical 48-byte PDU (smbtorture rpc.mgmt against the Samba DC, checked by hand): excluded by its shape.
     */
    @Test
    void tsharkDecryptsASealedSessionWithThePassword() throws Exception {
        try (Tshark capture = Tshark.capture(port)) {
            ClientOptions options = ClientOptions.DEFAULT.withPreferNdr64(false)
                    .withAuth(new ClientAuth(mechanism("ntlm", PASSWORD), AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, null));
            try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + HOST + "[" + port + "]", options)) {
                Mgmt.Client mgmt = Mgmt.client(client.bind(Mgmt.INTERFACE_ID));
                assertEquals(0, mgmt.inqIfIds().status());
                assertEquals(1, mgmt.isServerListening().result());
                RpcEcho.Client echo = RpcEcho.client(client.bind(RpcEcho.INTERFACE_ID));
                assertEquals(8, echo.addOne(7));
            }
            String password = "ntlmssp.nt_password:" + PASSWORD;
            List<String> decrypted = capture.stopAndRead(
                    "mgmt.opnum == 0 && dcerpc.pkt_type == 2 && dcerpc.decrypted_stub_data", password);
            assertEquals(1, decrypted.size(), "tshark decrypted the inq_if_ids response: " + decrypted);
            List<String> sealed = capture.stopAndRead("dcerpc.decrypted_stub_data");
            assertEquals(List.of(), sealed, "without the password nothing decrypts");
            assertTrue(capture.stopAndRead("dcerpc.encrypted_stub_data").size() >= 3, "the stubs went sealed");
            // Inside them, the client's verification trailer: BITMASK_1 once, PCONTEXT once per interface.
            assertEquals(1, capture.stopAndRead("dcerpc.rpc_sec_vt.bitmask.sign == 1", password).size());
            assertEquals(2, capture.stopAndRead("dcerpc.rpc_sec_vt.pcontext.interface.uuid", password).size());
            List<String> malformed = capture.stopAndRead(
                    "_ws.malformed && !(dcerpc.pkt_type == 0 && dcerpc.cn_frag_len == 48 && dcerpc.cn_auth_len == 16)", password);
            assertEquals(List.of(), malformed, "tshark found malformed packets");
        }
    }
}
