package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.AlterContext;
import dev.weft.pdu.AlterContextResp;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindAck;
import dev.weft.pdu.BindNak;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.pdu.CoCancel;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.ContextResult;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Fault;
import dev.weft.pdu.FaultStatus;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.Orphaned;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.RejectReason;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import dev.weft.transport.Endpoint;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's answers to hand-built PDUs over a real TCP connection, checked field by field against what
 * Windows does (RPCE-FACTS §2–§8 and the checklist in §15).
 */
class RawProtocolTest {
    static final SyntaxId UNKNOWN = new SyntaxId(Uuid.parse("11111111-2222-3333-4444-555555555555"), 1, 0);

    TestService service;
    RpcServer server;
    Endpoint endpoint;

    @BeforeEach
    void start() throws IOException {
        service = new TestService(2);
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(service).build().start();
        endpoint = server.endpoints().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Bind bind(int callId, int flags, int maxFrag, int group, ContextElement... contexts) {
        return new Bind(flags, Drep.LITTLE_ENDIAN, callId, maxFrag, maxFrag, group, List.of(contexts), null);
    }

    static ContextElement ndr(int id) {
        return ContextElement.of(id, TestService.ID, SyntaxId.NDR20);
    }

    /** Binds context 0 with NDR (and CONC_MPX when asked); returns the bind_ack. */
    BindAck bound(RawClient c, boolean concMpx) throws IOException {
        c.send(bind(1, PfcFlags.FIRST_AND_LAST | (concMpx ? PfcFlags.CONC_MPX : 0), 5840, 0, ndr(0)));
        BindAck ack = c.read(BindAck.class);
        assertTrue(ack.results().get(0).isAccepted());
        return ack;
    }

    static byte[] echoStub(TransferSyntax syntax, byte[] data) {
        return new NdrWriter(syntax).writeConformance(data.length).writeBytes(data).toByteArray();
    }

    static byte[] int32Stub(int v) {
        return new NdrWriter(TransferSyntax.NDR20).writeInt32(v).toByteArray();
    }

    // ------------------------------------------------------------------------------------ bind

    @Test
    void bindAcceptsRejectsAndNegotiatesPerContext() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            c.send(bind(9, PfcFlags.FIRST_AND_LAST | PfcFlags.CONC_MPX | PfcFlags.SUPPORT_HEADER_SIGN, 3199, 0,
                    ndr(0),
                    ContextElement.of(1, TestService.ID, SyntaxId.NDR64),
                    ContextElement.of(2, UNKNOWN, SyntaxId.NDR20),
                    ContextElement.of(3, TestService.ID, UNKNOWN),
                    BindTimeFeatures.contextElement(4, TestService.ID, 0x03)));
            BindAck ack = c.read(BindAck.class);
            assertEquals(9, ack.callId());
            assertEquals(PfcFlags.FIRST_AND_LAST | PfcFlags.CONC_MPX | PfcFlags.SUPPORT_HEADER_SIGN, ack.flags());
            assertEquals(3192, ack.maxXmitFrag(), "3199 rounds down to a multiple of 8 (RPCE-FACTS §8)");
            assertEquals(3192, ack.maxRecvFrag());
            assertNotEquals(0, ack.assocGroupId());
            assertEquals(String.valueOf(endpoint.port()), ack.secondaryAddress());
            // A Windows client's offer: [NDR] [NDR64] [features]. One new context per bind, NDR64 preferred, as a
            // 64-bit Windows server: context 1 (NDR64) is accepted, context 0 (NDR) answered "transfer syntaxes not
            // supported". Both features are supported.
            assertEquals(List.of(
                    ContextResult.rejected(ContextResult.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED),
                    ContextResult.accepted(SyntaxId.NDR64),
                    ContextResult.rejected(ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED),
                    ContextResult.rejected(ContextResult.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED),
                    BindTimeFeatures.negotiateAck(0x03, 0x03)),
                    ack.results());
            assertEquals(BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING | BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN,
                    BindTimeFeatures.accepted(ack.results().get(4)));
        }
    }

    @Test
    void tinyFragmentProposalIsRaisedTo2048() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            c.send(bind(1, PfcFlags.FIRST_AND_LAST, 1, 0, ndr(0)));
            assertEquals(2048, c.read(BindAck.class).maxXmitFrag());
        }
    }

    @Test
    void requestBeforeBindGetsBindNakReason4AndDisconnect() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            c.send(Request.of(5, 0, 0, echoStub(TransferSyntax.NDR20, new byte[3])));
            BindNak nak = c.read(BindNak.class);
            assertEquals(5, nak.callId());
            assertEquals(RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED, nak.reason());
            c.expectClosed();
        }
    }

    @Test
    void secondBindGetsBindNakReason0AndDisconnect() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, false);
            c.send(bind(2, PfcFlags.FIRST_AND_LAST, 5840, 0, ndr(0)));
            assertEquals(RejectReason.REASON_NOT_SPECIFIED, c.read(BindNak.class).reason());
            c.expectClosed();
        }
    }

    @Test
    void bindWithoutContextsOrSyntaxesIsRefused() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            c.send(bind(1, PfcFlags.FIRST_AND_LAST, 5840, 0));
            assertEquals(RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED, c.read(BindNak.class).reason());
            c.expectClosed();
        }
        try (RawClient c = new RawClient(endpoint)) {
            c.send(bind(1, PfcFlags.FIRST_AND_LAST, 5840, 0, new ContextElement(0, TestService.ID, List.of())));
            assertEquals(RejectReason.REASON_NOT_SPECIFIED, c.read(BindNak.class).reason());
            c.expectClosed();
        }
    }

    @Test
    void alterContextAddsAContext() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            BindAck ack = bound(c, false);
            c.send(new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 2, 5840, 5840, 0,
                    List.of(ContextElement.of(7, TestService.ID, SyntaxId.NDR64)), null));
            AlterContextResp resp = c.read(AlterContextResp.class);
            assertEquals(ack.assocGroupId(), resp.assocGroupId());
            assertEquals(ack.maxXmitFrag(), resp.maxXmitFrag());
            assertEquals("", resp.secondaryAddress(), "Windows sends sec_addr length 0 in alter_context_resp");
            assertEquals(List.of(ContextResult.accepted(SyntaxId.NDR64)), resp.results());
            // The new context works, in NDR64.
            byte[] data = {1, 2, 3, 4, 5};
            c.send(Request.of(3, 7, TestService.ECHO, echoStub(TransferSyntax.NDR64, data)));
            NdrReader r = new NdrReader(TransferSyntax.NDR64, c.readResponse(3, ack.maxXmitFrag()));
            assertArrayEquals(data, r.readBytes(r.readConformance()));
        }
    }

    @Test
    void alterContextBeforeBindIsProtocolError() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            c.send(new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 2, 5840, 5840, 0, List.of(ndr(0)),
                    null));
            assertEquals(FaultStatus.NCA_S_PROTO_ERROR.code(), c.read(Fault.class).status());
            c.expectClosed();
        }
    }

    // ------------------------------------------------------------------------------------ faults

    @Test
    void unknownContextFaultsUnkIfAndTheConnectionStays() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, false);
            c.send(Request.of(2, 42, TestService.ECHO, echoStub(TransferSyntax.NDR20, new byte[1])));
            Fault f = c.read(Fault.class);
            assertEquals(2, f.callId());
            assertEquals(FaultStatus.NCA_S_UNK_IF.code(), f.status());
            assertEquals(0, f.contextId());
            assertTrue(PfcFlags.has(f.flags(), PfcFlags.DID_NOT_EXECUTE));
            c.send(Request.of(3, 0, TestService.ECHO, echoStub(TransferSyntax.NDR20, new byte[] {9})));
            NdrReader r = new NdrReader(TransferSyntax.NDR20, c.readResponse(3, 5840));
            assertArrayEquals(new byte[] {9}, r.readBytes(r.readConformance()));
        }
    }

    @Test
    void opnumOutOfRangeFaultsOpRngError() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, false);
            c.send(Request.of(2, 0, 5, new byte[0]));
            Fault f = c.read(Fault.class);
            assertEquals(FaultStatus.NCA_S_OP_RNG_ERROR.code(), f.status());
            assertTrue(PfcFlags.has(f.flags(), PfcFlags.DID_NOT_EXECUTE));
        }
    }

    @Test
    void undecodableStubFaultsBadStubData() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, false);
            // A conformance of 1000 bytes with 2 bytes behind it.
            c.send(Request.of(2, 0, TestService.ECHO, new byte[] {(byte) 0xE8, 3, 0, 0, 1, 2}));
            assertEquals(0x6F7, c.read(Fault.class).status());
        }
    }

    @Test
    void clientOnlyPduIsProtocolErrorAndDisconnect() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, false);
            c.send(Response.of(2, 0, new byte[4]));
            assertEquals(FaultStatus.NCA_S_PROTO_ERROR.code(), c.read(Fault.class).status());
            c.expectClosed();
        }
    }

    @Test
    void oversizeAllocHintFaultsAccessDeniedAndDisconnects() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, false);
            c.send(new Request(PfcFlags.FIRST_FRAG, Drep.LITTLE_ENDIAN, 2, 4 * 1024 * 1024 + 1, 0, TestService.ECHO,
                    null, new byte[16], null));
            assertEquals(FaultStatus.ERROR_ACCESS_DENIED.code(), c.read(Fault.class).status());
            c.expectClosed();
        }
    }

    // ------------------------------------------------------------------------------------ fragments

    @Test
    void fragmentedRequestAndResponseRoundTrip() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            c.send(bind(1, PfcFlags.FIRST_AND_LAST, 2048, 0, ndr(0)));
            int frag = c.read(BindAck.class).maxXmitFrag();
            assertEquals(2048, frag);
            byte[] data = new byte[200_000];
            new Random(7).nextBytes(data);
            List<Request> fragments = new Fragmenter(frag, null)
                    .request(2, 0, TestService.ECHO, null, echoStub(TransferSyntax.NDR20, data));
            assertTrue(fragments.size() > 90);
            for (Request f : fragments) c.send(f);
            NdrReader r = new NdrReader(TransferSyntax.NDR20, c.readResponse(2, frag));
            assertArrayEquals(data, r.readBytes(r.readConformance()));
        }
    }

    @Test
    void interleavedFragmentsOfTwoCallsAreProtocolError() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, true);
            byte[] stub = echoStub(TransferSyntax.NDR20, new byte[10_000]);
            List<Request> a = new Fragmenter(2048, null).request(2, 0, TestService.ECHO, null, stub);
            List<Request> b = new Fragmenter(2048, null).request(3, 0, TestService.ECHO, null, stub);
            c.send(a.get(0));
            c.send(b.get(0));
            assertEquals(FaultStatus.NCA_S_PROTO_ERROR.code(), c.read(Fault.class).status());
            c.expectClosed();
        }
    }

    // ------------------------------------------------------------------------------------ concurrency

    @Test
    void concurrentCallsWithConcMpxAreAnsweredOutOfOrder() throws Exception {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, true);
            c.send(Request.of(10, 0, TestService.PEND, int32Stub(10)));
            c.send(Request.of(11, 0, TestService.PEND, int32Stub(11)));
            assertTrue(service.pendingStarted.await(10, TimeUnit.SECONDS), "both calls pend at once");
            // A third call is served while two pend.
            c.send(Request.of(12, 0, TestService.ECHO, echoStub(TransferSyntax.NDR20, new byte[] {12})));
            assertEquals(12, c.read(Response.class).callId());
            service.release.release(2);
            int first = c.read(Response.class).callId();
            int second = c.read(Response.class).callId();
            assertEquals(java.util.Set.of(10, 11), java.util.Set.of(first, second));
        }
    }

    @Test
    void secondCallWithoutConcMpxIsProtocolError() throws Exception {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, false);
            c.send(Request.of(10, 0, TestService.PEND, int32Stub(10)));
            assertTrue(waitFor(() -> service.pendingStarted.getCount() == 1));
            c.send(Request.of(11, 0, TestService.ECHO, echoStub(TransferSyntax.NDR20, new byte[1])));
            assertEquals(FaultStatus.NCA_S_PROTO_ERROR.code(), c.read(Fault.class).status());
            c.expectClosed();
        }
        assertTrue(waitFor(() -> service.cancelled.contains(10)), "a lost connection cancels its calls");
    }

    @Test
    void coCancelInterruptsThePendingCallAndFaultsCancel() throws Exception {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, true);
            c.send(Request.of(20, 0, TestService.PEND, int32Stub(20)));
            assertTrue(waitFor(() -> service.pendingStarted.getCount() == 1));
            c.send(new CoCancel(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 20, null));
            Fault f = c.read(Fault.class);
            assertEquals(20, f.callId());
            assertEquals(FaultStatus.NCA_S_FAULT_CANCEL.code(), f.status());
            assertEquals(List.of(20), service.cancelled);
            c.send(Request.of(21, 0, TestService.ECHO, echoStub(TransferSyntax.NDR20, new byte[] {1})));
            assertEquals(21, c.read(Response.class).callId(), "the connection stays usable");
        }
    }

    @Test
    void orphanedAbandonsTheCallWithoutAnAnswer() throws Exception {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, true);
            c.send(Request.of(30, 0, TestService.PEND, int32Stub(30)));
            assertTrue(waitFor(() -> service.pendingStarted.getCount() == 1));
            c.send(new Orphaned(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 30, null));
            assertTrue(waitFor(() -> service.cancelled.contains(30)));
            c.send(Request.of(31, 0, TestService.ECHO, echoStub(TransferSyntax.NDR20, new byte[] {1})));
            assertEquals(31, c.read(Response.class).callId(), "nothing was sent for call 30");
        }
    }

    // ------------------------------------------------------------------------------------ association groups

    @Test
    void contextHandlesWorkAcrossConnectionsOfOneGroupAndRunDownWithIt() throws Exception {
        RawClient a = new RawClient(endpoint);
        int group = bound(a, false).assocGroupId();
        a.send(Request.of(2, 0, TestService.OPEN, int32Stub(77)));
        ContextHandle h = new NdrReader(TransferSyntax.NDR20, a.readResponse(2, 5840)).readContextHandle();
        assertTrue(!h.isNull());

        RawClient b = new RawClient(endpoint);
        b.send(bind(1, PfcFlags.FIRST_AND_LAST, 5840, group, ndr(0)));
        assertEquals(group, b.read(BindAck.class).assocGroupId());
        b.send(Request.of(2, 0, TestService.GET, new NdrWriter(TransferSyntax.NDR20).writeContextHandle(h).toByteArray()));
        assertEquals(77, new NdrReader(TransferSyntax.NDR20, b.readResponse(2, 5840)).readInt32());

        // Another group cannot use it.
        try (RawClient other = new RawClient(endpoint)) {
            bound(other, false);
            other.send(Request.of(2, 0, TestService.GET,
                    new NdrWriter(TransferSyntax.NDR20).writeContextHandle(h).toByteArray()));
            assertEquals(FaultStatus.NCA_S_FAULT_CONTEXT_MISMATCH.code(), other.read(Fault.class).status());
        }

        a.close();
        b.send(Request.of(3, 0, TestService.GET, new NdrWriter(TransferSyntax.NDR20).writeContextHandle(h).toByteArray()));
        assertEquals(77, new NdrReader(TransferSyntax.NDR20, b.readResponse(3, 5840)).readInt32(),
                "the group lives while one connection remains");
        assertTrue(service.rundowns.isEmpty());
        b.close();
        assertTrue(waitFor(() -> service.rundowns.equals(List.of(77))), "the last connection runs the handle down");
        assertTrue(waitFor(() -> server.associationGroupCount() == 0));
    }

    @Test
    void unknownAssociationGroupIsRefused() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            c.send(bind(1, PfcFlags.FIRST_AND_LAST, 5840, 0x1234567, ndr(0)));
            assertEquals(RejectReason.REASON_NOT_SPECIFIED, c.read(BindNak.class).reason());
            c.expectClosed();
        }
    }

    @Test
    void closedContextHandleIsStale() throws IOException {
        try (RawClient c = new RawClient(endpoint)) {
            bound(c, false);
            c.send(Request.of(2, 0, TestService.OPEN, int32Stub(5)));
            ContextHandle h = new NdrReader(TransferSyntax.NDR20, c.readResponse(2, 5840)).readContextHandle();
            byte[] handleStub = new NdrWriter(TransferSyntax.NDR20).writeContextHandle(h).toByteArray();
            c.send(Request.of(3, 0, TestService.CLOSE, handleStub));
            assertTrue(new NdrReader(TransferSyntax.NDR20, c.readResponse(3, 5840)).readContextHandle().isNull());
            c.send(Request.of(4, 0, TestService.GET, handleStub));
            assertEquals(FaultStatus.NCA_S_FAULT_CONTEXT_MISMATCH.code(), c.read(Fault.class).status());
        }
        assertTrue(service.rundowns.isEmpty(), "a closed handle is not run down");
    }

    // ------------------------------------------------------------------------------------ lifecycle

    @Test
    void closeCancelsPendingCallsAndReturns() throws Exception {
        RawClient c = new RawClient(endpoint);
        bound(c, true);
        c.send(Request.of(40, 0, TestService.PEND, int32Stub(40)));
        assertTrue(waitFor(() -> service.pendingStarted.getCount() == 1));
        server.close();
        assertEquals(List.of(40), service.cancelled);
        assertEquals(0, server.connectionCount());
        c.expectClosed();
        c.close();
    }

    @Test
    void ncalrpcServesTheSameProtocol() throws Exception {
        String name = "weft-test-" + ProcessHandle.current().pid();
        try (RpcServer local = RpcServer.builder().listen("ncalrpc:[" + name + "]").service(service).build().start();
             RawClient c = new RawClient(local.endpoints().get(0))) {
            BindAck ack = bound(c, false);
            assertEquals(name, ack.secondaryAddress());
            byte[] data = new byte[20_000];
            new Random(3).nextBytes(data);
            for (Request f : new Fragmenter(ack.maxXmitFrag(), null)
                    .request(2, 0, TestService.ECHO, null, echoStub(TransferSyntax.NDR20, data))) {
                c.send(f);
            }
            NdrReader r = new NdrReader(TransferSyntax.NDR20, c.readResponse(2, ack.maxXmitFrag()));
            assertArrayEquals(data, r.readBytes(r.readConformance()));
        }
    }

    /** Polls a condition for at most 10 s: a safety net, not a timing assertion. */
    static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
