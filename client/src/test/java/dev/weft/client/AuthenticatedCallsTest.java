package dev.weft.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.SecurityProvider;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import dev.weft.server.RpcServer;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Weft's client and server with NTLMSSP and SPNEGO at every auth level: the auth legs (bind, auth3, alter_context),
 * signed and sealed fragments both ways, the authenticated identity reaching the service, and refusals.
 */
class AuthenticatedCallsTest {
    static final SyntaxId ID = new SyntaxId(Uuid.parse("5eb1a0e7-0000-4e57-8000-0000000000ad"), 1, 0);

    /** Echoes its bytes after the caller's auth level and user name. */
    static final class WhoAmI implements RpcService {
        public SyntaxId interfaceId() {
            return ID;
        }

        public int operationCount() {
            return 1;
        }

        public void invoke(int opnum, ServerCall call) {
            byte[] data = call.in().readBytes(call.in().readConformance());
            call.out().writeInt32(call.authLevel());
            call.out().writeWideString(call.identity() == null ? "" : call.identity().toString());
            call.out().writeConformance(data.length).writeBytes(data);
        }
    }

    static final SyntaxId VAULT = new SyntaxId(Uuid.parse("5eb1a0e7-0000-4e57-8000-0000000000af"), 1, 0);

    /** Served only at PKT_INTEGRITY or above: 0 opens a context handle on a value, 1 reads it back. */
    static final class Vault implements RpcService {
        public SyntaxId interfaceId() {
            return VAULT;
        }

        public int operationCount() {
            return 2;
        }

        public void invoke(int opnum, ServerCall call) {
            if (opnum == 0) call.out().writeContextHandle(call.openContextHandle(call.in().readInt32()));
            else call.out().writeInt32(call.contextHandle(call.in().readContextHandle(), Integer.class));
        }
    }

    RpcServer server;
    String binding;

    @BeforeEach
    void start() throws IOException {
        NtlmCredentialSource users = NtlmCredentialSource.ofPasswords(Map.of("alice", "Secret-1", "bob", "Secret-2"));
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(new WhoAmI())
                .service(new Vault(), AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)
                .authentication(NtlmProvider.server(users))
                .authentication(SpnegoProvider.ntlm(NtlmProvider.server(users)))
                .build().start();
        binding = server.endpoints().get(0).toBinding().toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static SecurityProvider client(String mechanism, String password) {
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", password));
        return mechanism.equals("spnego") ? SpnegoProvider.ntlm(ntlm) : ntlm;
    }

    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"ntlm, 2", "ntlm, 4", "ntlm, 5", "ntlm, 6", "spnego, 5", "spnego, 6"})
    void callsRunAtTheChosenLevelAsTheAuthenticatedUser(String mechanism, int level) throws Exception {
        ClientOptions options = ClientOptions.DEFAULT.withMaxFragment(2048)
                .withAuth(new ClientAuth(client(mechanism, "Secret-1"), level, null));
        try (RpcClient c = RpcClient.connect(binding, options);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            BindingHandle h = c.bind(ID);
            // Many concurrent calls, several fragments each: sequence numbers and RC4 state must follow the wire.
            List<Future<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] data = new byte[5000 + i];
                data[i] = (byte) i;
                calls.add(threads.submit(() -> {
                    NdrReader r = h.call(0, h.newRequest().writeConformance(data.length).writeBytes(data));
                    assertEquals(level, r.readInt32());
                    assertEquals("WEFT\\alice", r.readWideString());
                    return r.readBytes(r.readConformance());
                }));
            }
            for (int i = 0; i < calls.size(); i++) {
                byte[] expected = new byte[5000 + i];
                expected[i] = (byte) i;
                assertArrayEquals(expected, calls.get(i).get());
            }
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(client("ntlm", "wrong"), 6, null));
        try (RpcClient c = RpcClient.connect(binding, options)) {
            // NTLMSSP learns the verdict after auth3, which has no answer: the first call is denied.
            RpcException e = assertThrows(RpcException.class, () -> {
                BindingHandle h = c.bind(ID);
                h.call(0, h.newRequest().writeConformance(0));
            });
            if (e instanceof RpcFaultException f) assertEquals(5, f.status(), "access denied");
        }
    }

    @Test
    void aWrongPasswordOverSpnegoFailsTheBind() {
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(client("spnego", "wrong"), 6, null));
        try (RpcClient c = RpcClient.connect(binding, options)) {
            assertThrows(RpcException.class, () -> c.bind(ID));
        }
    }

    @Test
    void anUnauthenticatedClientIsServedAtLevelNone() {
        try (RpcClient c = RpcClient.connect(binding)) {
            BindingHandle h = c.bind(ID);
            NdrReader r = h.call(0, h.newRequest().writeConformance(1).writeBytes(new byte[] {9}));
            assertEquals(AuthLevel.RPC_C_AUTHN_LEVEL_NONE, r.readInt32());
            assertEquals("", r.readWideString());
        }
    }

    static ClientOptions as(String user, String password, int level) {
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password("WEFT", user, password));
        return ClientOptions.DEFAULT.withAuth(new ClientAuth(ntlm, level, null));
    }

    @Test
    void anInterfaceRegisteredWithALevelRefusesCallsBelowIt() {
        try (RpcClient none = RpcClient.connect(binding);
             RpcClient packet = RpcClient.connect(binding, as("alice", "Secret-1", AuthLevel.RPC_C_AUTHN_LEVEL_PKT));
             RpcClient integrity = RpcClient.connect(binding, as("alice", "Secret-1", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY))) {
            for (RpcClient refused : List.of(none, packet)) {
                BindingHandle h = refused.bind(VAULT);
                RpcFaultException e = assertThrows(RpcFaultException.class, () -> h.call(0, h.newRequest().writeInt32(1)));
                assertEquals(5, e.status(), "access denied below PKT_INTEGRITY");
            }
            BindingHandle h = integrity.bind(VAULT);
            assertEquals(false, h.call(0, h.newRequest().writeInt32(1)).readContextHandle().isNull());
        }
    }

    @Test
    void aContextHandleServesOnlyTheIdentityThatOpenedIt() {
        int level = AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
        try (RpcClient alice = RpcClient.connect(binding, as("alice", "Secret-1", level))) {
            BindingHandle a = alice.bind(VAULT);
            var handle = a.call(0, a.newRequest().writeInt32(77)).readContextHandle();
            int group = alice.associationGroupId();
            try (RpcClient alice2 = RpcClient.connect(binding, as("alice", "Secret-1", level).withAssociationGroup(group));
                 RpcClient bob = RpcClient.connect(binding, as("bob", "Secret-2", level).withAssociationGroup(group))) {
                BindingHandle a2 = alice2.bind(VAULT);
                assertEquals(77, a2.call(1, a2.newRequest().writeContextHandle(handle)).readInt32(), "alice, another connection");
                BindingHandle b = bob.bind(VAULT);
                RpcFaultException e = assertThrows(RpcFaultException.class,
                        () -> b.call(1, b.newRequest().writeContextHandle(handle)));
                assertEquals(0x1C00001A, e.status(), "nca_s_fault_context_mismatch for bob, in the same association group");
            }
        }
    }

    /**
     * RpcClient.sessionKey: the security context's key once the bind's legs are done (NTLMSSP's 16-byte
     * ExportedSessionKey, random per connection with KEY_EXCH), nothing before the bind or without authentication,
     * and a refusal for a pool, whose connections each have their own.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ntlm", "spnego"})
    void theSessionKeyIsTheSecurityContexts(String mechanism) {
        ClientOptions options = ClientOptions.DEFAULT.withAuth(
                new ClientAuth(client(mechanism, "Secret-1"), AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, null));
        try (RpcClient one = RpcClient.connect(binding, options); RpcClient two = RpcClient.connect(binding, options);
             RpcClient anonymous = RpcClient.connect(binding)) {
            assertTrue(one.sessionKey().isEmpty(), "no key before the bind");
            one.bind(ID);
            two.bind(ID);
            anonymous.bind(ID);
            byte[] key = one.sessionKey().orElseThrow();
            assertEquals(16, key.length);
            assertArrayEquals(key, one.sessionKey().orElseThrow(), "the same key on every ask");
            key[0] ^= 1;
            assertFalse(Arrays.equals(key, one.sessionKey().orElseThrow()), "a copy");
            assertFalse(Arrays.equals(one.sessionKey().orElseThrow(), two.sessionKey().orElseThrow()),
                    "each connection exchanges its own key");
            assertTrue(anonymous.sessionKey().isEmpty(), "no key without authentication");
        }
        try (RpcClient pooled = RpcClient.connect(binding, options.withMaxConnections(2))) {
            pooled.bind(ID);
            assertThrows(IllegalStateException.class, pooled::sessionKey);
        }
    }
}
