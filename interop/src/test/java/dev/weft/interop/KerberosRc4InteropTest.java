package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.samr.Samr;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.SecurityProvider;
import dev.weft.security.kerberos.KerberosCredentials;
import dev.weft.security.kerberos.KerberosProvider;
import dev.weft.security.kerberos.ServiceKeys;
import dev.weft.security.spnego.SpnegoProvider;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.security.auth.kerberos.KerberosTicket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kerberos with RC4-HMAC (encryption type 23, RFC 4757) session keys, both ways (issue 8):
 *
 * <ul>
 * <li>Weft's client against Samba: the JDK is told to ask for rc4-hmac only (a krb5.conf with
 *     {@code default_tkt_enctypes}, {@code default_tgs_enctypes} and {@code permitted_enctypes = rc4-hmac}, and
 *     {@code allow_weak_crypto = true}, without which JDK 17+ refuses RC4: "no supported etypes found for
 *     default_tkt_enctypes"), then walks samr at integrity and privacy, auth type 16 and inside SPNEGO; the tickets
 *     in the subject prove the session keys were RC4-HMAC.
 * <li>smbtorture against Weft's server: the harness's second service account {@code host/weftrc4.rpctest.local}
 *     (127.0.0.8) has RC4-HMAC keys only, so the DC issues RC4 tickets; rpc.echo passes signed and sealed, and
 *     tshark decodes RFC 4757 tokens (sealing algorithm RC4, signing algorithm HMAC-MD5) in every request and
 *     response.
 * </ul>
 */
class KerberosRc4InteropTest {
    static final String USER = "rpcuser", PASSWORD = "RpcTest-Passw0rd1";
    static final String SERVICE_HOST = "weftrc4.rpctest.local", ADDRESS = "127.0.0.8";
    static final String SERVICE = "host/" + SERVICE_HOST;
    static final int RC4_HMAC = 23;
    static RpcServer server;
    static int port;
    static CallerRecorder echo;
    static Path rc4Conf;
    static String previousConf;

    @BeforeAll
    static void start() throws IOException {
        SambaDc.ensureRunning();
        rc4Conf = Files.createTempFile("weft-krb5-rc4-", ".conf");
        Files.writeString(rc4Conf, """
                [libdefaults]
                \tdefault_realm = RPCTEST.LOCAL
                \tdns_lookup_realm = false
                \tdns_lookup_kdc = false
                \trdns = false
                \tallow_weak_crypto = true
                \tdefault_tkt_enctypes = rc4-hmac
                \tdefault_tgs_enctypes = rc4-hmac
                \tpermitted_enctypes = rc4-hmac
                [realms]
                \tRPCTEST.LOCAL = {
                \t\tkdc = 127.0.0.1
                \t}
                """);
        previousConf = System.getProperty("java.security.krb5.conf");
        KerberosProvider krb5 = KerberosProvider.server(ServiceKeys.keytab(Path.of(SambaDc.DIR, "weftrc4.keytab"),
                SERVICE + "@RPCTEST.LOCAL"));
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
    static void stop() throws IOException {
        if (server != null) server.close();
        // The other tests' logins (refreshKrb5Config) read the DC's ordinary krb5.conf again.
        if (previousConf != null) System.setProperty("java.security.krb5.conf", previousConf);
        if (rc4Conf != null) Files.deleteIfExists(rc4Conf);
    }

    /** A password login under the RC4-only configuration (the login re-reads the configuration). */
    static KerberosCredentials rc4Credentials() {
        System.setProperty("java.security.krb5.conf", rc4Conf.toString());
        KerberosCredentials credentials = KerberosCredentials.password(USER + "@RPCTEST.LOCAL", PASSWORD.toCharArray());
        credentials.subject();
        return credentials;
    }

    static SecurityProvider provider(String mechanism, KerberosCredentials credentials) {
        KerberosProvider krb5 = KerberosProvider.client(credentials);
        return mechanism.equals("krb5") ? krb5 : new SpnegoProvider(List.of(new SpnegoProvider.Mechanism(KerberosProvider.OID, krb5)));
    }

    /** The session key types of the subject's tickets, by server principal. */
    static Map<String, Integer> sessionKeyTypes(KerberosCredentials credentials) {
        Map<String, Integer> types = new TreeMap<>();
        for (KerberosTicket t : credentials.subject().getPrivateCredentials(KerberosTicket.class)) {
            types.put(t.getServer().getName(), t.getSessionKeyType());
        }
        return types;
    }

    /** Connect5, LookupDomain, OpenDomain, LookupNames (one name, then 300 in a request of several fragments), Close. */
    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"krb5, 5", "krb5, 6", "spnego-krb5, 5", "spnego-krb5, 6"})
    void weftClientWalksSamrWithAnRc4SessionKey(String mechanism, int level) {
        KerberosCredentials credentials = rc4Credentials();
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(provider(mechanism, credentials), level,
                SamrAgainstSambaTest.KERBEROS_TARGET));
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, options)) {
            Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));
            Samr.SamrConnect5Result connected = samr.samrConnect5("\\\\rpcdc", SamrAgainstSambaTest.MAXIMUM_ALLOWED, 1,
                    new Samr.SamprRevisionInfo.V1(new Samr.SamprRevisionInfoV1(3, 0)));
            assertEquals(0, connected.result());
            Samr.SamprHandle sam = connected.serverHandle();
            Samr.SamrLookupDomainInSamServerResult domain = samr.samrLookupDomainInSamServer(sam,
                    SamrAgainstSambaTest.unicode(SamrAgainstSambaTest.DOMAIN));
            assertEquals(0, domain.result());
            String domainSid = SamrAgainstSambaTest.sid(domain.domainId());
            assertTrue(domainSid.startsWith("S-1-5-21-"), domainSid);
            Samr.SamrOpenDomainResult opened = samr.samrOpenDomain(sam, SamrAgainstSambaTest.MAXIMUM_ALLOWED, domain.domainId());
            assertEquals(0, opened.result());
            Samr.SamrLookupNamesInDomainResult names = samr.samrLookupNamesInDomain(opened.domainHandle(), 1,
                    List.of(SamrAgainstSambaTest.unicode(USER)));
            assertEquals(0, names.result());
            int rid = names.relativeIds().element()[0];
            assertTrue(rid >= 1000, "a user's RID: " + rid);
            // 300 names: a request of several fragments, each signed or sealed on its own.
            Samr.SamrLookupNamesInDomainResult many = samr.samrLookupNamesInDomain(opened.domainHandle(), 300,
                    java.util.Collections.nCopies(300, SamrAgainstSambaTest.unicode(USER)));
            assertEquals(0, many.result());
            int[] rids = new int[300];
            java.util.Arrays.fill(rids, rid);
            assertArrayEquals(rids, many.relativeIds().element());
            SamrAgainstSambaTest.close(samr, opened.domainHandle());
            SamrAgainstSambaTest.close(samr, sam);
        }
        Map<String, Integer> types = sessionKeyTypes(credentials);
        assertEquals(RC4_HMAC, types.get("krbtgt/RPCTEST.LOCAL@RPCTEST.LOCAL"), "the TGT's session key: " + types);
        assertEquals(RC4_HMAC, types.get("host/rpcdc.rpctest.local@RPCTEST.LOCAL"), "the service ticket's session key: " + types);
    }

    /** Weft's client and server, both RC4-HMAC: the server's keytab has only the RC4 key of host/weftrc4. */
    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"krb5, 5", "krb5, 6", "spnego-krb5, 6"})
    void weftClientCallsWeftServerWithRc4(String mechanism, int level) {
        KerberosCredentials credentials = rc4Credentials();
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(provider(mechanism, credentials), level, SERVICE));
        try (RpcClient c = RpcClient.connect("ncacn_ip_tcp:" + ADDRESS + "[" + port + "]", options)) {
            RpcEcho.Client echo = RpcEcho.client(c.bind(RpcEcho.INTERFACE_ID));
            for (int i = 0; i < 3; i++) assertEquals(42 + i + 1, echo.addOne(42 + i), "sequence numbers keep step");
            byte[] data = new byte[20_000];                             // several fragments each way
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7);
            assertArrayEquals(data, echo.echoData(data.length, data));
        }
        assertEquals(RC4_HMAC, sessionKeyTypes(credentials).get(SERVICE + "@RPCTEST.LOCAL"));
        KerberosInteropTest.assertCallerFromPac(KerberosRc4InteropTest.echo.take());   // a PAC signed with HMAC-MD5
    }

    /**
     * smbtorture (Heimdal's GSS-API) gets an RC4 ticket for host/weftrc4.rpctest.local and binds DCE style; tshark
     * sees RFC 4757 tokens only: every request and response carries one with SGN_ALG HMAC-MD5 (0x0011), and the
     * sealed ones SEAL_ALG RC4 (0x0010).
     */
    @ParameterizedTest(name = "smbtorture rpc.echo [{0}]")
    @CsvSource({"'krb5,sign', false", "'krb5,seal', true", "'spnego,seal', true"})
    void smbtortureRpcEchoPassesWithRc4(String bindingOptions, boolean sealed) throws Exception {
        List<String> out;
        List<String> all, rc4;
        try (Tshark capture = Tshark.capture(port)) {
            out = KerberosInteropTest.smbtorture(SERVICE_HOST, port, bindingOptions);
            all = capture.stopAndRead("(dcerpc.pkt_type == 0 || dcerpc.pkt_type == 2) && dcerpc.cn_auth_len > 0");
            rc4 = capture.stopAndRead("(dcerpc.pkt_type == 0 || dcerpc.pkt_type == 2) && spnego.krb5.sgn_alg == 0x0011"
                    + (sealed ? " && spnego.krb5.seal_alg == 0x0010" : " && dcerpc.cn_auth_len == 37"));
        }
        String text = String.join("\n", out);
        assertTrue(out.stream().noneMatch(l -> l.startsWith("failure:") || l.startsWith("error:")), text);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("success: echo.addone")), text);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("success: echo.echodata")), text);
        assertFalse(all.isEmpty(), "requests and responses with a verifier were captured");
        KerberosInteropTest.assertCallerFromPac(echo.take());
        assertEquals(all.size(), rc4.size(), "every verifier is an RFC 4757 token:\n" + String.join("\n", all));
    }
}
