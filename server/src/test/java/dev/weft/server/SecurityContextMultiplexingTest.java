package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.AlterContext;
import dev.weft.pdu.AlterContextResp;
import dev.weft.pdu.Auth3;
import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindAck;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Fault;
import dev.weft.pdu.FaultStatus;
import dev.weft.pdu.PduProtector;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import dev.weft.pdu.SecTrailer;
import dev.weft.security.Protection;
import dev.weft.security.SecurityContext;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several security contexts on one connection (MS-RPCE 3.3.1.5.4), raw: an unauthenticated bind, then NTLMSSP
 * contexts for two users started by alter_context and finished by auth3, calls under each (the service sees the
 * caller and level of the context the request names), the limit, and a request that names a context wrongly.
 */
class SecurityContextMultiplexingTest {
    static final SyntaxId WHO_ID = new SyntaxId(Uuid.parse("5eb1a0e7-0000-4e57-8000-0000000000bb"), 1, 0);

    /** One operation: answers "user@level" of the call, or "-@level" without identity. */
    static final class WhoAmI implements RpcService {
        @Override
        public SyntaxId interfaceId() {
            return WHO_ID;
        }

        @Override
        public int operationCount() {
            return 1;
        }

        @Override
        public void invoke(int opnum, ServerCall call) {
            String who = (call.identity() == null ? "-" : call.identity().user()) + "@" + call.authLevel();
            byte[] b = who.getBytes(StandardCharsets.US_ASCII);
            call.out().writeConformance(b.length).writeBytes(b);
        }
    }

    RpcServer server;
    RawClient c;

    @BeforeEach
    void start() throws Exception {
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(new WhoAmI())
                .authentication(NtlmProvider.server(NtlmCredentialSource.ofPasswords(
                        Map.of("alice", "Secret-1", "bob", "Secret-2"))))
                .limits(ServerLimits.DEFAULT.withMaxSecurityContexts(2))
                .build().start();
        c = new RawClient(server.endpoints().get(0));
        c.send(new Bind(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 1, 5840, 5840, 0,
                List.of(ContextElement.of(0, WHO_ID, SyntaxId.NDR20)), null));
        assertNull(c.read(BindAck.class).auth(), "an unauthenticated bind");
    }

    @AfterEach
    void stop() {
        c.close();
        server.close();
    }

    /** Builds an NTLMSSP context {@code id} for {@code user} with alter_context + auth3; its protector. */
    PduProtector context(int callId, int id, String user, String password, int level) throws Exception {
        SecurityContext ctx = NtlmProvider.client(NtlmCredentials.password("WEFT", user, password))
                .newClientContext(Protection.forAuthLevel(level), null);
        c.send(new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, 5840, 5840, 0,
                List.of(ContextElement.of(0, WHO_ID, SyntaxId.NDR20)), SecTrailer.of(10, level, id, ctx.step(new byte[0]).token())));
        AlterContextResp resp = c.read(AlterContextResp.class);
        assertEquals(id, resp.auth().authContextId(), "the answer names the context");
        c.send(new Auth3(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, SecTrailer.of(10, level, id,
                ctx.step(resp.auth().authValue()).token())));
        return new PduProtector(ctx, level, id, false);
    }

    String whoAmI(int callId, PduProtector p) throws Exception {
        Request r = new Request(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, 0, 0, 0, null, new byte[0],
                p == null ? null : p.template());
        c.sendRaw(p == null ? dev.weft.pdu.PduCodec.encode(r) : p.protect(r));
        Response response = assertInstanceOf(Response.class,
                p == null ? c.read() : p.unprotect(c.framer.readFragment()));
        NdrReader in = new NdrReader(TransferSyntax.NDR20, response.stub());
        return new String(in.readBytes(in.readConformance()), StandardCharsets.US_ASCII);
    }

    @Test
    void eachCallRunsUnderTheContextItsRequestNames() throws Exception {
        PduProtector alice = context(2, 1, "alice", "Secret-1", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
        PduProtector bob = context(3, 7, "bob", "Secret-2", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
        assertEquals("alice@6", whoAmI(4, alice));
        assertEquals("bob@5", whoAmI(5, bob));
        assertEquals("-@1", whoAmI(6, null), "no trailer: the bind's (absent) context, unauthenticated");
        assertEquals("alice@6", whoAmI(7, alice), "sequence numbers run per context");
        assertEquals("bob@5", whoAmI(8, bob));
    }

    @Test
    void oneContextPastTheLimitIsAProtocolErrorAndCloses() throws Exception {
        context(2, 1, "alice", "Secret-1", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
        context(3, 2, "bob", "Secret-2", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
        SecurityContext third = NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", "Secret-1"))
                .newClientContext(Protection.INTEGRITY, null);
        c.send(new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 4, 5840, 5840, 0,
                List.of(ContextElement.of(0, WHO_ID, SyntaxId.NDR20)),
                SecTrailer.of(10, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 3, third.step(new byte[0]).token())));
        Fault f = c.read(Fault.class);
        assertEquals(FaultStatus.NCA_S_PROTO_ERROR.code(), f.status());
        assertNull(c.framer.readFragment(), "and the connection closes");
    }

    @Test
    void aRequestNamingAContextWithAnotherLevelIsRefusedAndSpoilsIt() throws Exception {
        PduProtector bob = context(2, 7, "bob", "Secret-2", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
        // The trailer names context 7 at privacy, which it is not.
        byte[] wire = bob.protect(new Request(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 3, 0, 0, 0, null,
                new byte[0], bob.template()));
        int trailer = wire.length - bob.template().authValue().length - SecTrailer.SIZE;
        wire[trailer + 1] = AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
        c.sendRaw(wire);
        Fault f = c.read(Fault.class);
        assertEquals(FaultStatus.ERROR_ACCESS_DENIED.code(), f.status());
        assertNull(c.framer.readFragment(), "and the connection closes");
    }

    @Test
    void aRequestCannotStartAContext() throws Exception {
        c.send(new Request(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 2, 0, 0, 0, null, new byte[0],
                SecTrailer.of(10, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 5, new byte[16])));
        assertEquals(FaultStatus.ERROR_ACCESS_DENIED.code(), c.read(Fault.class).status());
        assertNull(c.framer.readFragment(), "and the connection closes");
    }

    @Test
    void anAuth3ForNoContextInProgressIsAProtocolError() throws Exception {
        c.send(new Auth3(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 2,
                SecTrailer.of(10, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 1, new byte[40])));
        assertEquals(FaultStatus.NCA_S_PROTO_ERROR.code(), c.read(Fault.class).status());
        assertNull(c.framer.readFragment(), "and the connection closes");
    }
}
