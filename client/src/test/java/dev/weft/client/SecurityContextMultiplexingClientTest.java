package dev.weft.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.AlterContext;
import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.AuthType;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindAck;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.pdu.ContextResult;
import dev.weft.pdu.Drep;
import dev.weft.pdu.FaultStatus;
import dev.weft.pdu.Framer;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import dev.weft.pdu.SecTrailer;
import dev.weft.security.SecurityProvider;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import dev.weft.server.RpcServer;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import dev.weft.server.ServerLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client-side security context multiplexing (MS-RPCE 3.3.1.5.4) against Weft's server: views of one client
 * ({@link RpcClient#withAuth}, {@link BindingHandle#withAuth}) with other users, levels and mechanisms on the same
 * connection, their calls interleaved from many threads, the server seeing each call's own identity and level; the
 * typed errors when a further context cannot be built; and, against a scripted server, that nothing is tried when
 * the bind did not negotiate the feature.
 */
class SecurityContextMultiplexingClientTest {
    static final SyntaxId ID = new SyntaxId(Uuid.parse("5eb1a0e7-0000-4e57-8000-0000000000c1"), 1, 0);

    /** Answers the caller's level, identity and connection, then echoes its bytes. */
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
            call.out().writeWideString(call.client().description());
            call.out().writeConformance(data.length).writeBytes(data);
        }
    }

    record Seen(int level, String identity, String connection, byte[] data) {
    }

    static Seen who(BindingHandle h, byte[] data) {
        NdrReader r = h.call(0, h.newRequest().writeConformance(data.length).writeBytes(data));
        return new Seen(r.readInt32(), r.readWideString(), r.readWideString(), r.readBytes(r.readConformance()));
    }

    static final SyntaxId MEET = new SyntaxId(Uuid.parse("5eb1a0e7-0000-4e57-8000-0000000000c2"), 1, 0);

    /** Answers like {@link WhoAmI} once two calls are in at once: a pool of two must use both connections. */
    static final class Meet implements RpcService {
        final java.util.concurrent.CyclicBarrier two = new java.util.concurrent.CyclicBarrier(2);
        final java.util.concurrent.CountDownLatch firstIn = new java.util.concurrent.CountDownLatch(1);

        public SyntaxId interfaceId() {
            return MEET;
        }

        public int operationCount() {
            return 1;
        }

        public void invoke(int opnum, ServerCall call) {
            try {
                firstIn.countDown();
                two.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            new WhoAmI().invoke(opnum, call);
        }
    }

    static final Map<String, String> USERS = Map.of("alice", "Secret-1", "bob", "Secret-2", "carol", "Secret-3");

    RpcServer server;
    String binding;

    @BeforeEach
    void start() throws IOException {
        server = start(ServerLimits.DEFAULT);
        binding = server.endpoints().get(0).toBinding().toString();
    }

    static RpcServer start(ServerLimits limits) throws IOException {
        return start(limits, new Meet());
    }

    static RpcServer start(ServerLimits limits, Meet meet) throws IOException {
        NtlmCredentialSource users = NtlmCredentialSource.ofPasswords(USERS);
        return RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(new WhoAmI()).service(meet).limits(limits)
                .authentication(NtlmProvider.server(users))
                .authentication(SpnegoProvider.ntlm(NtlmProvider.server(users)))
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static ClientAuth auth(String mechanism, String user, String password, int level) {
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password("WEFT", user, password));
        SecurityProvider p = mechanism.equals("spnego") ? SpnegoProvider.ntlm(ntlm) : ntlm;
        return new ClientAuth(p, level, null);
    }

    static ClientAuth auth(String mechanism, String user, int level) {
        return auth(mechanism, user, USERS.get(user), level);
    }

    @Test
    void threeUsersShareOneConnectionAndTheirCallsInterleave() throws Exception {
        ClientAuth alice = auth("ntlm", "alice", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
        ClientAuth bob = auth("spnego", "bob", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
        ClientAuth carol = auth("ntlm", "carol", AuthLevel.RPC_C_AUTHN_LEVEL_PKT);
        try (RpcClient client = RpcClient.connect(binding, ClientOptions.DEFAULT.withMaxFragment(2048).withAuth(alice));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            BindingHandle asAlice = client.bind(ID);
            BindingHandle asBob = client.withAuth(bob).bind(ID);
            BindingHandle asCarol = asAlice.withAuth(carol);
            assertTrue((client.negotiatedFeatures() & BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING) != 0);
            List<BindingHandle> handles = List.of(asAlice, asBob, asCarol);
            List<String> users = List.of("WEFT\\alice", "WEFT\\bob", "WEFT\\carol");
            List<Integer> levels = List.of(6, 5, 4);
            // Many concurrent calls of several fragments each under three contexts: each context's sequence numbers
            // and cipher state must follow its own fragments on the wire, and every answer reach its own caller.
            List<Future<Seen>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                BindingHandle h = handles.get(i % 3);
                byte[] data = new byte[3000 + 97 * i];
                data[i] = (byte) i;
                calls.add(threads.submit(() -> who(h, data)));
            }
            String connection = null;
            for (int i = 0; i < calls.size(); i++) {
                Seen seen = calls.get(i).get();
                assertEquals(users.get(i % 3), seen.identity(), "call " + i);
                assertEquals(levels.get(i % 3), seen.level(), "call " + i);
                byte[] expected = new byte[3000 + 97 * i];
                expected[i] = (byte) i;
                assertArrayEquals(expected, seen.data());
                if (connection == null) connection = seen.connection();
                assertEquals(connection, seen.connection(), "one connection for every user");
            }
            assertEquals(1, server.connectionCount());
        }
    }

    @Test
    void eachViewHasItsOwnSessionKeyAndEqualCredentialsShareAContext() {
        ClientAuth alice = auth("ntlm", "alice", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
        ClientAuth bob = auth("ntlm", "bob", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
        try (RpcClient client = RpcClient.connect(binding, ClientOptions.DEFAULT.withAuth(alice))) {
            RpcClient asBob = client.withAuth(bob);
            assertTrue(asBob.sessionKey().isEmpty(), "no context before the view's first bind");
            BindingHandle b = asBob.bind(ID);
            assertSame(b.interfaceId(), client.bind(ID).interfaceId());
            byte[] bobKey = asBob.sessionKey().orElseThrow();
            assertEquals(16, bobKey.length);
            assertFalse(java.util.Arrays.equals(bobKey, client.sessionKey().orElseThrow()), "a context of its own");
            assertArrayEquals(bobKey, client.withAuth(bob).sessionKey().orElseThrow(), "the same credentials, one context");
            asBob.close(); // a view's close leaves the connection alone
            assertEquals("WEFT\\alice", who(client.bind(ID), new byte[1]).identity());
            assertEquals("WEFT\\bob", who(b, new byte[1]).identity());
        }
    }

    @Test
    void aViewOfAPoolBuildsItsContextOnEachConnection() throws Exception {
        ClientOptions options = ClientOptions.DEFAULT.withMaxConnections(2)
                .withAuth(auth("ntlm", "alice", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY));
        Meet meet = new Meet();
        try (RpcServer server = start(ServerLimits.DEFAULT, meet);
             RpcClient client = RpcClient.connect(server.endpoints().get(0).toBinding().toString(), options);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            BindingHandle asBob = client.withAuth(auth("spnego", "bob", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY)).bind(MEET);
            Future<Seen> one = threads.submit(() -> who(asBob, new byte[100]));
            assertTrue(meet.firstIn.await(30, java.util.concurrent.TimeUnit.SECONDS), "the first call is in");
            Future<Seen> two = threads.submit(() -> who(asBob, new byte[200])); // the first connection is busy
            Seen a = one.get();
            Seen b = two.get();
            assertEquals("WEFT\\bob", a.identity());
            assertEquals("WEFT\\bob", b.identity());
            assertEquals(AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, b.level());
            assertNotEquals(a.connection(), b.connection(), "the two calls met on two connections");
        }
    }

    @Test
    void aConnectLevelViewNamesItsContextOnEveryRequest() {
        // With several contexts a CONNECT-level request MUST carry its auth info (MS-RPCE 3.3.1.5.4): without it
        // the server would run bob's calls under the bind's context, as alice.
        ClientAuth alice = auth("ntlm", "alice", AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT);
        ClientAuth bob = auth("ntlm", "bob", AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT);
        ClientAuth carol = auth("spnego", "carol", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
        try (RpcClient client = RpcClient.connect(binding, ClientOptions.DEFAULT.withAuth(alice))) {
            BindingHandle asAlice = client.bind(ID);
            assertEquals("WEFT\\alice", who(asAlice, new byte[3]).identity());
            BindingHandle asBob = asAlice.withAuth(bob);
            BindingHandle asCarol = asAlice.withAuth(carol);
            for (int i = 0; i < 3; i++) {
                Seen a = who(asAlice, new byte[5000]);
                Seen b = who(asBob, new byte[5000]);
                Seen c = who(asCarol, new byte[5000]);
                assertEquals("WEFT\\alice", a.identity());
                assertEquals(AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT, a.level());
                assertEquals("WEFT\\bob", b.identity());
                assertEquals(AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT, b.level());
                assertEquals("WEFT\\carol", c.identity());
                assertEquals(AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, c.level());
            }
        }
    }

    @Test
    void viewsOfAnUnauthenticatedClientRunAsTheirUsersAndTheClientAsNobody() {
        try (RpcClient client = RpcClient.connect(binding)) {
            BindingHandle anonymous = client.bind(ID);
            BindingHandle asBob = client.withAuth(auth("ntlm", "bob", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)).bind(ID);
            assertEquals("WEFT\\bob", who(asBob, new byte[10]).identity());
            Seen nobody = who(anonymous, new byte[10]);
            assertEquals("", nobody.identity());
            assertEquals(AuthLevel.RPC_C_AUTHN_LEVEL_NONE, nobody.level());
            // A CONNECT-level view would take over the unauthenticated calls: refused before anything is sent.
            assertThrows(IllegalArgumentException.class,
                    () -> client.withAuth(auth("ntlm", "carol", AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT)));
        }
    }

    @Test
    void aContextTheServerRefusesIsATypedError() throws IOException {
        try (RpcServer one = start(ServerLimits.DEFAULT.withMaxSecurityContexts(1));
             RpcClient client = RpcClient.connect(one.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withAuth(auth("ntlm", "alice", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)))) {
            client.bind(ID);
            RpcClient asBob = client.withAuth(auth("ntlm", "bob", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY));
            RpcSecurityContextException e = assertThrows(RpcSecurityContextException.class, () -> asBob.bind(ID));
            assertEquals(RpcSecurityContextException.Reason.REFUSED, e.reason());
            assertEquals(FaultStatus.NCA_S_PROTO_ERROR.code(), e.status(), "Weft's server past its limit of contexts");
        }
    }

    @Test
    void aWrongPasswordOverSpnegoFailsTheViewWithATypedError() {
        try (RpcClient client = RpcClient.connect(binding,
                ClientOptions.DEFAULT.withAuth(auth("ntlm", "alice", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)))) {
            client.bind(ID);
            RpcClient intruder = client.withAuth(auth("spnego", "bob", "wrong", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY));
            RpcSecurityContextException e = assertThrows(RpcSecurityContextException.class, () -> intruder.bind(ID));
            assertEquals(RpcSecurityContextException.Reason.AUTHENTICATION_FAILED, e.reason());
            assertNotEquals(0, e.status(), "the server's fault");
        }
    }

    /**
     * A scripted server whose bind_ack declines every bind-time feature: the view is refused locally (a client MUST
     * NOT multiplex then), and the next PDU the server sees is the client's own call, not an alter_context.
     */
    @Test
    void withoutTheFeatureBitNoFurtherContextIsAttempted() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Pdu> afterBind = threads.submit(() -> {
                try (Socket s = listener.accept()) {
                    Framer in = new Framer(s.getInputStream(), 0xFFFF);
                    Bind bind = (Bind) PduCodec.decode(in.readFragment());
                    List<ContextResult> results = new ArrayList<>();
                    for (var e : bind.contexts()) {
                        boolean ndr = e.transferSyntaxes().get(0).equals(SyntaxId.NDR20);
                        results.add(ndr ? ContextResult.accepted(SyntaxId.NDR20)
                                : ContextResult.rejected(ContextResult.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED));
                    }
                    s.getOutputStream().write(PduCodec.encode(new BindAck(PfcFlags.FIRST_AND_LAST | PfcFlags.CONC_MPX,
                            Drep.LITTLE_ENDIAN, bind.callId(), 5840, 5840, 77, "1", results, null)));
                    Pdu next = PduCodec.decode(in.readFragment());
                    if (next instanceof Request r) {
                        s.getOutputStream().write(PduCodec.encode(new Response(PfcFlags.FIRST_AND_LAST,
                                Drep.LITTLE_ENDIAN, r.callId(), 4, r.contextId(), 0, new byte[] {7, 0, 0, 0}, null)));
                    }
                    return next;
                }
            });
            try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:127.0.0.1[" + listener.getLocalPort() + "]")) {
                BindingHandle h = client.bind(ID);
                assertEquals(0, client.negotiatedFeatures());
                RpcSecurityContextException e = assertThrows(RpcSecurityContextException.class,
                        () -> client.withAuth(auth("ntlm", "bob", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)).bind(ID));
                assertEquals(RpcSecurityContextException.Reason.NOT_NEGOTIATED, e.reason());
                assertEquals(7, h.call(0, h.newRequest()).readInt32(), "the connection still works");
            }
            Request next = assertInstanceOf(Request.class, afterBind.get(), "no alter_context after the refusal");
            assertEquals(0, next.opnum());
        }
    }

    /** Checks the alter_context that starts bob's context: a new auth_context_id, and header signing asked for. */
    @Test
    void aFurtherContextStartsWithAnAlterContextUnderANewAuthContextId() throws Exception {
        try (Relay relay = new Relay(server.endpoints().get(0).port());
             RpcClient client = RpcClient.connect(relay.binding(),
                     ClientOptions.DEFAULT.withAuth(auth("ntlm", "alice", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)))) {
            BindingHandle asAlice = client.bind(ID);
            BindingHandle asBob = asAlice.withAuth(auth("ntlm", "bob", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY));
            who(asBob, new byte[1]);
            who(asAlice, new byte[1]);
            List<Pdu> pdus = new ArrayList<>();
            Framer f = new Framer(new ByteArrayInputStream(relay.sent()), 0xFFFF);
            for (byte[] fragment; (fragment = f.readFragment()) != null; ) pdus.add(PduCodec.decode(fragment));
            Bind bind = assertInstanceOf(Bind.class, pdus.get(0));
            assertEquals(ClientAuth.AUTH_CONTEXT_ID, bind.auth().authContextId());
            AlterContext alter = pdus.stream().filter(p -> p instanceof AlterContext).map(AlterContext.class::cast)
                    .findFirst().orElseThrow();
            SecTrailer first = alter.auth();
            assertEquals(AuthType.RPC_C_AUTHN_WINNT, first.authType());
            assertEquals(AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, first.authLevel());
            assertNotEquals(ClientAuth.AUTH_CONTEXT_ID, first.authContextId());
            assertTrue(PfcFlags.has(alter.flags(), PfcFlags.SUPPORT_HEADER_SIGN));
            assertEquals(1, alter.contexts().size(), "the bound presentation context, presented again");
            List<Integer> named = pdus.stream().filter(p -> p instanceof Request).map(p -> ((Request) p).auth().authContextId()).toList();
            assertEquals(List.of(first.authContextId(), ClientAuth.AUTH_CONTEXT_ID), named);
        }
    }
}
