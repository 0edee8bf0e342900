package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.samr.Samr;
import dev.weft.interfaces.samr.Samr.SamprHandle;
import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.security.SecurityProvider;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weft's client against the Samba AD DC's samr: security context multiplexing (MS-RPCE 3.3.1.5.4) and the
 * verification trailer (MS-RPCE 2.2.2.13) on requests longer than a fragment.
 *
 * <p>What Samba 4.17 does with a second security context: it accepts SecurityContextMultiplexingSupported in the
 * bind-time feature negotiation, builds a further context started by alter_context under a new auth_context_id (at
 * another level and with another mechanism than the bind's too), and runs every call as the user of the context its
 * request names. Here rpcuser (the bind's context) and Administrator (a view) share one connection, their calls
 * interleaved from several threads: Samba ties a samr handle to the identity that opened it, so a handle opened under
 * one context is refused under the other, on the same connection at the same time.
 */
class MultiplexingAgainstSambaTest {
    static final String DOMAIN = "RPCTEST";
    static final int MAXIMUM_ALLOWED = 0x02000000;
    /** The fault Samba answers a call that uses another identity's context handle with. */
    static final int NCA_S_FAULT_CONTEXT_MISMATCH = 0x1C00001A;

    @BeforeAll
    static void samba() {
        SambaDc.ensureRunning();
    }

    static ClientAuth auth(String mechanism, String user, String password, int level) {
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password(DOMAIN, user, password));
        SecurityProvider p = mechanism.equals("spnego") ? SpnegoProvider.ntlm(ntlm) : ntlm;
        return new ClientAuth(p, level, null);
    }

    static ClientAuth rpcuser(int level) {
        return auth("ntlm", "rpcuser", "RpcTest-Passw0rd1", level);
    }

    static ClientAuth administrator(int level) {
        return auth("spnego", "Administrator", "AdminPassw0rd1", level);
    }

    /** SamrConnect2 with a server name of {@code length} characters: Samba ignores the name, so any length works. */
    static SamprHandle connect(Samr.Client samr, int length) {
        Samr.SamrConnect2Result c = samr.samrConnect2("\\\\" + "r".repeat(length), MAXIMUM_ALLOWED);
        assertEquals(0, c.result(), "SamrConnect2");
        assertFalse(c.serverHandle().handle().isNull());
        return c.serverHandle();
    }

    /**
     * Opens a samr handle as {@code owner}; the call under {@code other} that uses it is refused (Samba ties a handle to
     * the identity that opened it: fault nca_s_fault_context_mismatch), the owner's works. Returns the domain's SID as
     * the owner read it.
     */
    static String useAsOwnerOnly(Samr.Client owner, Samr.Client other) {
        SamprHandle server = connect(owner, 5);
        RpcFaultException refused = assertThrows(RpcFaultException.class,
                () -> other.samrLookupDomainInSamServer(server, SamrAgainstSambaTest.unicode(DOMAIN)));
        assertEquals(NCA_S_FAULT_CONTEXT_MISMATCH, refused.status());
        Samr.SamrLookupDomainInSamServerResult d = owner.samrLookupDomainInSamServer(server,
                SamrAgainstSambaTest.unicode(DOMAIN));
        assertEquals(0, d.result());
        SamrAgainstSambaTest.close(owner, server);
        return SamrAgainstSambaTest.sid(d.domainId());
    }

    @Test
    void rpcuserAndAdministratorShareOneConnectionAndTheirCallsInterleave() throws Exception {
        int integrity = AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, privacy = AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST,
                ClientOptions.DEFAULT.withAuth(rpcuser(integrity)));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Samr.Client asUser = Samr.client(client.bind(Samr.INTERFACE_ID));
            assertTrue((client.negotiatedFeatures() & BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING) != 0,
                    "Samba negotiates security context multiplexing");
            RpcClient admin = client.withAuth(administrator(privacy));
            BindingHandle adminHandle = admin.bind(Samr.INTERFACE_ID);
            Samr.Client asAdmin = Samr.client(adminHandle);
            assertFalse(java.util.Arrays.equals(client.sessionKey().orElseThrow(), admin.sessionKey().orElseThrow()),
                    "two security contexts, two keys");
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                boolean byAdmin = i % 2 == 1;
                calls.add(threads.submit(() -> byAdmin ? useAsOwnerOnly(asAdmin, asUser) : useAsOwnerOnly(asUser, asAdmin)));
            }
            for (Future<String> call : calls) assertTrue(call.get().startsWith("S-1-5-21-"), "the domain's SID");
        }
    }

    /**
     * A long first request (SamrConnect2 with a 12,000-character server name: five fragments) carries the trailer's
     * BITMASK_1 and PCONTEXT in its last fragment; Samba checks it on the reassembled stub and runs the call; so does
     * the first request of a further context (Administrator's). tshark finds the trailers (at privacy, given
     * rpcuser's password, in rpcuser's request) and nothing malformed.
     */
    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY})
    void aLongRequestCarriesTheVerificationTrailerAndSambaRunsIt(int level) throws Exception {
        String password = "RpcTest-Passw0rd1";
        // Samba's endpoints only (135 and its dynamic range), not the other tests' servers on the same address.
        try (Tshark capture = Tshark.capture("tcp and host " + SambaDc.HOST + " and (tcp port "
                + SambaDc.EPMAPPER_PORT + " or tcp portrange 49152-49200)", SambaDc.EPMAPPER_PORT)) {
            try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST,
                    ClientOptions.DEFAULT.withAuth(rpcuser(level)))) {
                Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));
                samr.samrCloseHandle(connect(samr, 12_000));
                // and a long first request of a further context, Administrator's
                Samr.Client admin = Samr.client(client.withAuth(administrator(level)).bind(Samr.INTERFACE_ID));
                admin.samrCloseHandle(connect(admin, 9_000));
            }
            List<String> withTrailer = capture.stopAndRead("dcerpc.rpc_sec_vt.signature && samr.opnum == 57",
                    "ntlmssp.nt_password:" + password);
            // Both at integrity; at privacy tshark decrypts rpcuser's context only, whose password it was given.
            int expected = level == AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY ? 1 : 2;
            assertEquals(expected, withTrailer.size(), "long Connect2 requests with their trailer: " + withTrailer);
            assertEquals(List.of(), capture.stopAndRead("dcerpc.pkt_type == 0 && (_ws.malformed || "
                    + "(_ws.expert.severity >= warning && !tcp.analysis.flags))", "ntlmssp.nt_password:" + password),
                    "nothing malformed in the requests");
        }
    }
}
