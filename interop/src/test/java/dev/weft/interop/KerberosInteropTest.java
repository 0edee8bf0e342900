package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcException;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.Identity;
import dev.weft.security.Sid;
import dev.weft.security.kerberos.KerberosProvider;
import dev.weft.security.kerberos.ServiceKeys;
import dev.weft.security.spnego.SpnegoProvider;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Weft's Kerberos acceptor (issue 8): a Weft server holding the keytab of {@code host/weft.rpctest.local} (a service
 * account the harness adds to the Samba AD DC) answers rpcecho to Weft's Kerberos client and to Samba's smbtorture,
 * both with tickets from the DC's KDC, at integrity and privacy, as auth type 16 and inside SPNEGO.
 */
class KerberosInteropTest {
    static final String USER = "rpcuser", PASSWORD = "RpcTest-Passw0rd1";
    /** The service's name resolves to this loopback address (the harness adds it to /etc/hosts). */
    static final String SERVICE_HOST = "weft.rpctest.local", ADDRESS = "127.0.0.5";
    static final String SERVICE = "host/" + SERVICE_HOST;
    static RpcServer server;
    static int port;
    static CallerRecorder echo;
    /** Domain Users (MS-DTYP 2.4.2.4 DOMAIN_GROUP_RID_USERS), every user's primary group. */
    static final long DOMAIN_USERS = 513;

    @BeforeAll
    static void start() throws IOException {
        SambaDc.ensureRunning();
        KerberosProvider krb5 = KerberosProvider.server(ServiceKeys.keytab(Path.of(SambaDc.DIR, "weft.keytab"), SERVICE + "@RPCTEST.LOCAL"));
        server = RpcServer.builder()
                .listen("ncacn_ip_tcp:" + ADDRESS + "[0]")
                .service(echo = new CallerRecorder(RpcEcho.service(new RpcEchoExample())), AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)
                .authentication(krb5)
                .authentication(new SpnegoProvider(List.of(new SpnegoProvider.Mechanism(KerberosProvider.MS_OID, krb5),
                        new SpnegoProvider.Mechanism(KerberosProvider.OID, krb5))))
                .build().start();
        port = server.endpoints().get(0).port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"krb5, 5", "krb5, 6", "spnego-krb5, 5", "spnego-krb5, 6"})
    void weftClientCallsWeftServerWithKerberos(String mechanism, int level) {
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(SamrAgainstSambaTest.mechanism(mechanism, PASSWORD), level, SERVICE));
        try (RpcClient c = RpcClient.connect("ncacn_ip_tcp:" + ADDRESS + "[" + port + "]", options)) {
            RpcEcho.Client echo = RpcEcho.client(c.bind(RpcEcho.INTERFACE_ID));
            for (int i = 0; i < 3; i++) assertEquals(42 + i + 1, echo.addOne(42 + i), "sequence numbers keep step");
            byte[] data = new byte[20_000];                             // several fragments each way
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7);
            assertEquals(data.length, echo.echoData(data.length, data).length);
            org.junit.jupiter.api.Assertions.assertArrayEquals(data, echo.echoData(data.length, data));
        }
        assertCallerFromPac(KerberosInteropTest.echo.take());
    }

    /**
     * What the server learned from the PAC of the caller's ticket (MS-PAC 2.5), after it verified the PAC's server
     * signature with its own key: rpcuser's SID, as samr tells it, and the domain's Domain Users group.
     */
    static void assertCallerFromPac(Identity caller) {
        assertNotNull(caller, "the service was called");
        assertEquals(USER, caller.user());
        Sid expected = CallerRecorder.rpcuserSid();
        assertEquals(expected, caller.userSid(), "the user's SID from the PAC");
        assertTrue(caller.userSid().rid() >= 1000, "a user's RID ends the SID: " + caller.userSid());
        Sid domainUsers = expected.domain().resolve(DOMAIN_USERS);
        assertTrue(caller.groupSids().contains(domainUsers), "Domain Users in " + caller.groupSids());
        assertEquals(domainUsers, caller.groupSids().get(0), "the primary group comes first");
        assertTrue(caller.isMemberOf(domainUsers));
    }

    @Test
    void anUnauthenticatedCallIsRefused() {
        try (RpcClient c = RpcClient.connect("ncacn_ip_tcp:" + ADDRESS + "[" + port + "]", ClientOptions.DEFAULT)) {
            RpcEcho.Client echo = RpcEcho.client(c.bind(RpcEcho.INTERFACE_ID));
            assertThrows(RpcException.class, () -> echo.addOne(1), "the interface needs PKT_INTEGRITY");
        }
    }

    /** smbtorture with {@code -k yes} gets a ticket for host/weft.rpctest.local from the DC and binds DCE style. */
    @ParameterizedTest(name = "smbtorture rpc.echo [{0}]")
    @CsvSource({"'krb5,sign'", "'krb5,seal'", "'spnego,seal'"})
    void smbtortureRpcEchoPassesWithKerberos(String options) throws Exception {
        List<String> out = smbtorture(options);
        String all = String.join("\n", out);
        assertTrue(out.stream().noneMatch(l -> l.startsWith("failure:") || l.startsWith("error:")), all);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("success: echo.addone")), all);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("success: echo.echodata")), all);
        assertCallerFromPac(echo.take());
    }

    static List<String> smbtorture(String options) throws IOException, InterruptedException {
        return smbtorture(SERVICE_HOST, port, options);
    }

    /** smbtorture rpc.echo as rpcuser with Kerberos against {@code host} (a name: Samba does no Kerberos to an IP). */
    static List<String> smbtorture(String host, int port, String options) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("smbtorture", "-s", SambaDc.smbConf(), "-k", "yes",
                "-U" + USER + "@RPCTEST.LOCAL%" + PASSWORD,
                "ncacn_ip_tcp:" + host + "[" + port + "," + options + "]", "rpc.echo", "--option=torture:quick=yes")
                .redirectErrorStream(true);
        pb.environment().put("KRB5_CONFIG", SambaDc.DIR + "/krb5.conf");
        pb.environment().put("KRB5CCNAME", "MEMORY:weft-smbtorture");
        Process p = pb.start();
        List<String> lines = new ArrayList<>(p.inputReader(StandardCharsets.UTF_8).lines().toList());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("smbtorture hung");
        }
        lines.add("exit " + p.exitValue());
        return lines;
    }
}
