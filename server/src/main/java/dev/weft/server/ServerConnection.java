package dev.weft.server;

import dev.weft.ndr.NdrException;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import jdk.jfr.FlightRecorder;
import dev.weft.pdu.AlterContext;
import dev.weft.pdu.AlterContextResp;
import dev.weft.pdu.Auth3;
import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.PduProtector;
import dev.weft.pdu.SecTrailer;
import dev.weft.pdu.VerificationTrailer;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityProvider;
import dev.weft.security.Step;
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
import dev.weft.pdu.FragmentSize;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.Framer;
import dev.weft.pdu.Orphaned;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.ProtocolException;
import dev.weft.pdu.Reassembler;
import dev.weft.pdu.RejectReason;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import dev.weft.transport.Connection;
import dev.weft.transport.Protseq;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection: its reader loop on the connection's virtual thread, and one virtual thread per call.
 *
 * <p>The reader decodes every PDU and answers bind, alter_context, co_cancel and orphaned itself, so a call that
 * blocks (a pending call) never stops the connection from serving others. A complete request forks a call
 * thread, which decodes, invokes the service and writes its own response under the connection's write lock, so
 * the fragments of one response are never interleaved with another's and no hand-off sits on the hot path.
 *
 * <p>Where a peer breaks the protocol, the answer is Windows': the fault, bind_nak or disconnect of RPCE-FACTS
 * §3, §8 and §15, carried by {@link ProtocolException}.
 */
final class ServerConnection implements Runnable {
    private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());

    /** The bind-time features Weft accepts (MS-RPCE 3.3.1.5.3): KeepConnectionOnOrphan. Security context
     * multiplexing arrives with the security layer. */
    static final int SUPPORTED_FEATURES = BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN;

    private final RpcServer.Runtime server;
    private final Connection connection;
    private final ActivityOutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Reassembler reassembler;
    /** Presentation contexts by p_cont_id; touched by the reader thread only, read by call threads through
     * the immutable {@link PresentationContext} they were handed. */
    private final Map<Integer, PresentationContext> contexts = new HashMap<>();
    private final ConcurrentHashMap<Integer, ActiveCall> calls = new ConcurrentHashMap<>();
    /**
     * Calls admitted and not answered yet: running, or done and waiting for the write lock or the socket. A client
     * that sends requests and never reads leaves answers waiting here; {@link ServerLimits#maxCallsPerConnection()}
     * bounds them, so what the server holds for one connection stays bounded.
     */
    private final AtomicInteger unanswered = new AtomicInteger();
    private final ActivityInputStream input;
    private final ExecutorService callThreads = Executors.newVirtualThreadPerTaskExecutor();
    /** The streamed request whose fragments are still arriving (one at a time, RPCE-FACTS §8), or null. */
    private volatile RequestStream streamingIn;

    private AssociationGroup group;
    private boolean concurrentMultiplexing;
    private int features;
    private int maxXmitFrag;
    private long callCount;
    /** The connection's security context while its auth legs run and after; null when the client bound without. */
    private SecurityContext security;
    private SecTrailer bindVerifier;
    private boolean headerSigning;
    /** Set once the legs are done: requests are verified and responses protected with it. */
    private volatile PduProtector protector;
    private boolean authFailed;

    record PresentationContext(int id, RpcService service, TransferSyntax syntax) {
    }

    ServerConnection(RpcServer.Runtime server, Connection connection) {
        this.server = server;
        this.connection = connection;
        this.out = new ActivityOutputStream(connection.output());
        this.input = new ActivityInputStream(connection.input());
        ServerLimits limits = server.limits();
        this.reassembler = new Reassembler(limits.maxRequestSize(), limits.maxFragmentsPerRequest());
    }

    @Override
    public void run() {
        ConnectionEvent event = recording() ? new ConnectionEvent() : null;
        if (event != null) event.begin();
        try {
            Framer framer = new Framer(input, server.limits().maxFragment());
            while (true) {
                Pdu pdu;
                try {
                    byte[] fragment = framer.readFragment();
                    if (fragment == null) return; // the client closed the connection
                    input.fragmentDone();
                    server.statistics().packetsIn.increment();
                    PduProtector p = protector;
                    pdu = p == null ? PduCodec.decode(fragment) : p.unprotect(fragment);
                } catch (ProtocolException e) {
                    // A header we cannot trust: answer if it named a call, then hang up.
                    answer(e, 0);
                    return;
                }
                if (!dispatch(pdu)) return;
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "connection from " + connection.remoteAddress() + " ended: " + e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection from " + connection.remoteAddress() + " failed", e);
        } finally {
            end();
            if (event != null && event.shouldCommit()) {
                event.client = connection.remoteAddress().toString();
                event.endpoint = connection.localEndpoint().toString();
                event.calls = callCount;
                event.associationGroup = group == null ? 0 : group.id;
                event.commit();
            }
        }
    }

    /** Handles one PDU; returns false when the connection must close. */
    private boolean dispatch(Pdu pdu) throws IOException {
        try {
            return switch (pdu) {
                case Bind b -> bind(b);
                case AlterContext a -> alterContext(a);
                case Request r -> request(r);
                case CoCancel c -> cancel(c.callId(), false);
                case Orphaned o -> cancel(o.callId(), true);
                case Auth3 a -> auth3(a);
                // PDUs only a server sends, and rts outside RPC over HTTP: proto_error and disconnect (§15).
                case BindAck b -> throw ProtocolException.protoError("bind_ack from a client");
                case BindNak b -> throw ProtocolException.protoError("bind_nak from a client");
                case AlterContextResp a -> throw ProtocolException.protoError("alter_context_resp from a client");
                case Response r -> throw ProtocolException.protoError("response from a client");
                case Fault f -> throw ProtocolException.protoError("fault from a client");
                case dev.weft.pdu.Shutdown s -> throw ProtocolException.protoError("shutdown from a client");
                case dev.weft.pdu.Rts r -> throw ProtocolException.protoError("rts outside ncacn_http");
            };
        } catch (ProtocolException e) {
            return answer(e, pdu.callId());
        }
    }

    // ------------------------------------------------------------------------------------------ bind

    private boolean bind(Bind b) throws IOException {
        if (group != null) {
            // A second bind on a bound connection: bind_nak reason 0 and disconnect (RPCE-FACTS §2.7).
            send(BindNak.of(b.callId(), RejectReason.REASON_NOT_SPECIFIED));
            return false;
        }
        if (b.contexts().isEmpty()) {
            // Windows 2022 answers reason 4; Windows 2012R2 reason 0 (RPCE-FACTS §2.7).
            send(BindNak.of(b.callId(), RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED));
            return false;
        }
        int featureElements = 0;
        for (ContextElement e : b.contexts()) {
            if (e.transferSyntaxes().isEmpty()) {
                send(BindNak.of(b.callId(), RejectReason.REASON_NOT_SPECIFIED));
                return false;
            }
            if (BindTimeFeatures.requested(e).isPresent()) featureElements++;
        }
        if (featureElements > 1) {
            send(BindNak.of(b.callId(), RejectReason.REASON_NOT_SPECIFIED));
            return false;
        }
        SecTrailer answer = null;
        if (b.auth() != null) {
            SecurityProvider provider = server.securityProvider(b.auth().authType());
            int level = b.auth().authLevel();
            if (provider == null || level < AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT || level > AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY) {
                send(BindNak.of(b.callId(), RejectReason.AUTHENTICATION_TYPE_NOT_RECOGNIZED));
                return false;
            }
            try {
                security = provider.newServerContext();
                bindVerifier = b.auth();
                headerSigning = PfcFlags.has(b.flags(), PfcFlags.SUPPORT_HEADER_SIGN);
                answer = authLeg(b.auth().authValue());
            } catch (SecurityContextException e) {
                LOG.log(Level.DEBUG, () -> "authentication from " + connection.remoteAddress() + " failed: " + e.getMessage());
                send(BindNak.of(b.callId(), RejectReason.INVALID_CHECKSUM));
                return false;
            }
        }
        AssociationGroup g = b.assocGroupId() == 0
                ? server.groups().create(connection.remoteAddress())
                : server.groups().join(b.assocGroupId(), connection.remoteAddress());
        if (g == null) {
            // An unknown group, or one of another client or transport: reason 0 (RPCE-FACTS §7.1).
            send(BindNak.of(b.callId(), RejectReason.REASON_NOT_SPECIFIED));
            return false;
        }
        group = g;
        int frag = FragmentSize.negotiate(b.maxXmitFrag(), b.maxRecvFrag(), server.limits().maxFragment());
        maxXmitFrag = frag;
        concurrentMultiplexing = PfcFlags.has(b.flags(), PfcFlags.CONC_MPX);
        List<ContextResult> results = new ArrayList<>(b.contexts().size());
        for (ContextElement e : b.contexts()) {
            OptionalInt requested = BindTimeFeatures.requested(e);
            if (requested.isPresent()) {
                features = requested.getAsInt() & SUPPORTED_FEATURES;
                results.add(BindTimeFeatures.negotiateAck(requested.getAsInt(), SUPPORTED_FEATURES));
            } else {
                results.add(present(e));
            }
        }
        // Echo CONC_MPX and SUPPORT_HEADER_SIGN when asked (RPCE-FACTS §1.1); ignore every other bind flag.
        int flags = PfcFlags.FIRST_AND_LAST | b.flags() & (PfcFlags.CONC_MPX | PfcFlags.SUPPORT_HEADER_SIGN);
        send(new BindAck(flags, Drep.LITTLE_ENDIAN, b.callId(), frag, frag, g.id, secondaryAddress(), results, answer));
        return true;
    }

    /**
     * One leg of the connection's authentication: the client's token in, the server's token (or null) out. When the
     * context completes, requests are verified and responses protected from the next PDU on.
     */
    private SecTrailer authLeg(byte[] token) {
        Step step = security.step(token);
        if (security.isComplete()) {
            protector = new PduProtector(security, bindVerifier.authLevel(), bindVerifier.authContextId(), headerSigning);
        }
        return step.hasToken() || !security.isComplete()
                ? SecTrailer.of(bindVerifier.authType(), bindVerifier.authLevel(), bindVerifier.authContextId(), step.token())
                : null;
    }

    /** rpc_auth_3 carries the client's last token (NTLMSSP's AUTHENTICATE); it has no answer (MS-RPCE 2.2.2.10). */
    private boolean auth3(Auth3 a) {
        if (security == null || security.isComplete() || a.auth() == null) {
            throw ProtocolException.protoError("rpc_auth_3 without an authentication in progress");
        }
        try {
            authLeg(a.auth().authValue());
        } catch (SecurityContextException e) {
            // Nothing answers an auth3; Windows faults the next request with access denied and hangs up.
            LOG.log(Level.DEBUG, () -> "authentication from " + connection.remoteAddress() + " failed: " + e.getMessage());
            authFailed = true;
        }
        return true;
    }

    private boolean alterContext(AlterContext a) throws IOException {
        if (group == null) throw ProtocolException.protoError("alter_context before bind");
        if (a.contexts().isEmpty()) throw ProtocolException.protoError("alter_context without contexts");
        List<ContextResult> results = new ArrayList<>(a.contexts().size());
        for (ContextElement e : a.contexts()) {
            if (e.transferSyntaxes().isEmpty()) throw ProtocolException.protoError("context without transfer syntaxes");
            // A feature-negotiation element outside the bind is an ordinary context with an unknown syntax.
            results.add(present(e));
        }
        SecTrailer answer = null;
        if (a.auth() != null && security != null && !security.isComplete()) {
            try {
                answer = authLeg(a.auth().authValue());   // SPNEGO's further legs (MS-RPCE 3.3.1.5.2.1)
            } catch (SecurityContextException e) {
                LOG.log(Level.DEBUG, () -> "authentication from " + connection.remoteAddress() + " failed: " + e.getMessage());
                send(Fault.of(a.callId(), 0, e.reason().rpcFaultStatus(), true));
                return false;
            }
        }
        int flags = PfcFlags.FIRST_AND_LAST | a.flags() & PfcFlags.SUPPORT_HEADER_SIGN;
        send(new AlterContextResp(flags, Drep.LITTLE_ENDIAN, a.callId(), maxXmitFrag, maxXmitFrag, group.id, "",
                results, answer));
        return true;
    }

    /** Accepts or rejects one presentation context (RPCE-FACTS §2.6). */
    private ContextResult present(ContextElement e) {
        RpcService service = server.service(e.abstractSyntax());
        if (service == null) return ContextResult.rejected(ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED);
        PresentationContext existing = contexts.get(e.contextId());
        if (existing != null && existing.service() != service) {
            return ContextResult.rejected(ContextResult.REASON_NOT_SPECIFIED);
        }
        for (SyntaxId s : e.transferSyntaxes()) {
            TransferSyntax syntax = TransferSyntax.of(s);
            if (syntax == TransferSyntax.NDR20 || syntax == TransferSyntax.NDR64 && service.supportsNdr64()) {
                contexts.put(e.contextId(), new PresentationContext(e.contextId(), service, syntax));
                return ContextResult.accepted(s);
            }
        }
        return ContextResult.rejected(ContextResult.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED);
    }

    private String secondaryAddress() {
        var endpoint = connection.localEndpoint();
        return endpoint.protseq() == Protseq.NCACN_IP_TCP ? String.valueOf(endpoint.port()) : endpoint.name();
    }

    // ------------------------------------------------------------------------------------------ requests

    private boolean request(Request fragment) throws IOException {
        if (group == null) {
            // The first PDU must be a bind: Samba and Windows answer bind_nak reason 4 and hang up.
            send(BindNak.of(fragment.callId(), RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED));
            return false;
        }
        if (security != null && (authFailed || !security.isComplete())) {
            // A request on a connection whose authentication failed or never finished: access denied, hang up.
            send(Fault.of(fragment.callId(), 0, SecurityContextException.FAULT_ACCESS_DENIED, true));
            return false;
        }
        RequestStream streaming = streamingIn;
        if (streaming != null) {
            // A streamed request is arriving: only its own fragments may come until its last (RPCE-FACTS §8).
            if (fragment.callId() != streaming.callId || PfcFlags.has(fragment.flags(), PfcFlags.FIRST_FRAG)) {
                throw ProtocolException.protoError("fragment of call " + fragment.callId() + " while streamed call "
                        + streaming.callId + " is still arriving");
            }
            if (fragment.contextId() != streaming.contextId || fragment.opnum() != streaming.opnum) {
                throw ProtocolException.protoError("p_cont_id/opnum changed within call " + fragment.callId());
            }
            streaming.offer(fragment.stub());
            if (PfcFlags.has(fragment.flags(), PfcFlags.LAST_FRAG)) {
                streaming.end();
                streamingIn = null;
            }
            return true;
        }
        if (PfcFlags.has(fragment.flags(), PfcFlags.FIRST_FRAG) && !concurrentMultiplexing && !calls.isEmpty()
                && !calls.containsKey(fragment.callId())) {
            // Without PFC_CONC_MPX one call at a time (RPCE-FACTS §8).
            throw ProtocolException.protoError("a second call without PFC_CONC_MPX");
        }
        if (PfcFlags.has(fragment.flags(), PfcFlags.FIRST_FRAG) && !reassembler.inProgress()
                && !PfcFlags.has(fragment.flags(), PfcFlags.PENDING_CANCEL)) {
            PresentationContext pc = contexts.get(fragment.contextId());
            if (pc != null && fragment.opnum() < pc.service().operationCount() && pc.service().streams(fragment.opnum())) {
                return startStreamed(pc, fragment);
            }
        }
        Request whole = reassembler.add(fragment);
        if (whole == null) return true;
        PresentationContext pc = admit(whole.callId(), whole.contextId(), whole.opnum(), whole.drep());
        if (pc == null) return true;
        int stubEnd = whole.stub().length;
        PduProtector p = protector;
        if (p != null && p.protectsPdus()) {
            // MS-RPCE 2.2.2.13: the verification trailer vouches for what the signature does not cover.
            VerificationTrailer.Found vt = VerificationTrailer.find(whole.stub(), VerificationTrailer.DEFAULT_SEARCH_WINDOW,
                    Drep.isBigEndian(whole.drep()));
            if (vt != null) {
                String mismatch = mismatch(vt.trailer(), whole, pc);
                if (mismatch != null) {
                    LOG.log(Level.DEBUG, () -> "verification trailer from " + connection.remoteAddress() + ": " + mismatch);
                    send(Fault.of(whole.callId(), pc.id(), FaultStatus.ERROR_ACCESS_DENIED.code(), true));
                    return true;
                }
                stubEnd = vt.offset();   // the operation decodes its parameters, not the trailer
            }
        }
        NdrReader in = new NdrReader(pc.syntax(), whole.stub(), 0, stubEnd,
                Drep.isBigEndian(whole.drep()), server.limits().ndr());
        launch(pc, whole, in, null);
        return true;
    }

    /** What in a verification trailer disagrees with the request and its connection, or null (RPCE-FACTS §5). */
    private String mismatch(VerificationTrailer vt, Request request, PresentationContext pc) {
        if (vt.hasUnknownMustProcess()) return "a command it must process but does not know";
        VerificationTrailer.Bitmask1 bits = vt.command(VerificationTrailer.Bitmask1.class);
        if (bits != null && ((bits.bits() & VerificationTrailer.CLIENT_SUPPORT_HEADER_SIGNING) != 0) != headerSigning) {
            return "header signing " + (headerSigning ? "was" : "was not") + " asked for in the bind";
        }
        VerificationTrailer.PContext context = vt.command(VerificationTrailer.PContext.class);
        if (context != null && (!context.interfaceId().equals(pc.service().interfaceId())
                || TransferSyntax.of(context.transferSyntax()) != pc.syntax())) {
            return "presentation context " + context + " is not context " + pc.id();
        }
        VerificationTrailer.Header2 header = vt.command(VerificationTrailer.Header2.class);
        if (header != null && !header.matches(request)) return "header2 " + header + " does not match the request";
        return null;
    }

    /**
     * An operation with pipes: dispatched at its first fragment with a reader over the fragments still to come, so
     * an [in] pipe is read as it arrives. Neither the request-size nor the fragment-count limit applies to a
     * streamed request; each pipe chunk is still checked against the NDR limits.
     */
    private boolean startStreamed(PresentationContext pc, Request first) throws IOException {
        boolean last = PfcFlags.has(first.flags(), PfcFlags.LAST_FRAG);
        RequestStream stream = new RequestStream(first.callId(), first.contextId(), first.opnum());
        if (admit(first.callId(), first.contextId(), first.opnum(), first.drep()) == null) {
            stream.close(); // answered with a fault: drop the rest of this request as it arrives
        } else {
            stream.offer(first.stub());
            NdrReader in = new NdrReader(pc.syntax(), stream, Drep.isBigEndian(first.drep()), server.limits().ndr());
            launch(pc, first, in, stream);
        }
        if (last) stream.end();
        else streamingIn = stream;
        return true;
    }

    /** The checks before a call runs, answered with the faults Windows gives; the call's context, or null. */
    private PresentationContext admit(int callId, int contextId, int opnum, int drep) throws IOException {
        PresentationContext pc = contexts.get(contextId);
        {
            if (pc == null) {
                send(Fault.of(callId, 0, FaultStatus.NCA_S_UNK_IF.code(), true));
                return null;
            }
            if (opnum >= pc.service().operationCount()) {
                send(Fault.of(callId, pc.id(), FaultStatus.NCA_S_OP_RNG_ERROR.code(), true));
                return null;
            }
            PduProtector p = protector;
            int level = p == null ? AuthLevel.RPC_C_AUTHN_LEVEL_NONE : p.authLevel();
            if (level < server.minimumAuthLevel(pc.service())) {
                // Below the level the interface was registered with: access denied, did not execute.
                send(Fault.of(callId, pc.id(), FaultStatus.ERROR_ACCESS_DENIED.code(), true));
                return null;
            }
            if (pc.syntax() == TransferSyntax.NDR64 && Drep.isBigEndian(drep)) {
                // NDR64 is little-endian only (MS-RPCE 2.2.5): the stub cannot be read (fuzz finding, kept).
                send(Fault.of(callId, pc.id(), FaultStatus.RPC_X_BAD_STUB_DATA.code(), true));
                return null;
            }
            if (calls.containsKey(callId)) throw ProtocolException.protoError("call id " + callId + " in use");
            if (unanswered.get() >= server.limits().maxCallsPerConnection()) {
                send(Fault.of(callId, pc.id(), FaultStatus.NCA_S_SERVER_TOO_BUSY.code(), true));
                return null;
            }
        }
        return pc;
    }

    private void launch(PresentationContext pc, Request request, NdrReader in, RequestStream stream) {
        server.statistics().callsIn.increment();
        callCount++;
        ActiveCall call = new ActiveCall(request.callId());
        calls.put(request.callId(), call);
        unanswered.incrementAndGet();
        callThreads.execute(() -> {
            try {
                runCall(call, pc, request, in, stream);
            } finally {
                unanswered.decrementAndGet();
            }
        });
    }

    /** The call's own thread: decode, invoke, answer. */
    private void runCall(ActiveCall call, PresentationContext pc, Request request, NdrReader in, RequestStream stream) {
        CallEvent event = recording() ? new CallEvent() : null;
        if (event != null) event.begin();
        call.thread = Thread.currentThread();
        PduProtector p = protector;
        boolean streamed = pc.service().streams(request.opnum());
        ResponseStream rs = streamed ? new ResponseStream(call, writeLock, out, p, maxXmitFrag, pc.id(),
                server.statistics().packetsOut) : null;
        NdrWriter outStub = streamed
                ? new NdrWriter(pc.syntax(), 16384).streamTo(rs, 8192)
                : new NdrWriter(pc.syntax());
        ServerCall sc = new ServerCall(pc.service(), group, connection.remoteAddress(), request.opnum(),
                request.object(), in, outStub, p == null ? AuthLevel.RPC_C_AUTHN_LEVEL_NONE : p.authLevel(),
                p == null ? null : security.identity());
        call.serverCall = sc;
        int status = 0;
        try {
            if (call.startRunning()) pc.service().invoke(request.opnum(), sc);
        } catch (FaultException e) {
            status = wireStatus(e.status());
        } catch (NdrException e) {
            status = e.faultStatus();
        } catch (InterruptedException | java.util.concurrent.CancellationException | java.io.InterruptedIOException e) {
            status = FaultStatus.NCA_S_FAULT_CANCEL.code();
        } catch (Exception e) {
            if (rs == null || !rs.broken()) {
                LOG.log(Level.WARNING, "operation " + request.opnum() + " of " + pc.service().interfaceId() + " failed"
                        + " (a call from " + connection.remoteAddress() + ")", e);
            }
            status = FaultStatus.NCA_S_FAULT_UNSPEC.code();
        } finally {
            calls.remove(call.callId);
            if (stream != null) stream.close(); // whatever of the request still arrives is dropped
        }
        // From here on nothing interrupts this thread, so it can write to the socket (ARCHITECTURE rule 2).
        ActiveCall.State ended = call.finish();
        if (ended == ActiveCall.State.CANCELLED) status = FaultStatus.NCA_S_FAULT_CANCEL.code();
        if (rs != null) {
            rs.serviceReturned();
            try {
                if (ended != ActiveCall.State.ORPHANED) {
                    if (status == 0) {
                        try {
                            rs.finish(outStub);
                            server.statistics().callsOut.increment();
                        } catch (java.io.UncheckedIOException e) {
                            LOG.log(Level.DEBUG, () -> "could not answer on " + connection.remoteAddress() + ": " + e);
                        }
                    } else if (rs.started()) {
                        rs.fault(status);
                    }
                }
            } finally {
                rs.release();
            }
            commit(event, pc, request, ended, status, rs.bytes());
            if (ended == ActiveCall.State.ORPHANED || status == 0 || rs.started()) return;
            sendQuietly(List.of(PduCodec.encode(Fault.of(request.callId(), pc.id(), status, false))));
            return;
        }
        commit(event, pc, request, ended, status, status == 0 ? outStub.size() : 0);
        if (ended == ActiveCall.State.ORPHANED) return;
        if (status != 0) {
            sendQuietly(List.of(PduCodec.encode(Fault.of(request.callId(), pc.id(), status, false))));
        } else {
            PduProtector protection = protector;
            if (protection == null) {
                // Straight from the writer's buffer into the fragments: one copy of the stub.
                sendQuietly(new Fragmenter(maxXmitFrag, null)
                        .encodedResponse(request.callId(), pc.id(), outStub.buffer(), outStub.size()));
            } else {
                sendProtected(protection, new Fragmenter(maxXmitFrag, protection.template())
                        .response(request.callId(), pc.id(), outStub.toByteArray()));
            }
        }
    }

    /**
     * Whether JFR runs in this process. The first JFR event class costs a server 100-200 ms of class loading and
     * instrumentation, which a server that nobody records should not pay at its first connection (cold start,
     * docs/benchmarks.md); once a recording starts (also later, with jcmd), events flow.
     */
    private static boolean recording() {
        return FlightRecorder.isInitialized();
    }

    private static void commit(CallEvent event, PresentationContext pc, Request request, ActiveCall.State ended,
                               int status, long responseBytes) {
        if (event != null && event.shouldCommit()) {
            event.iface = pc.service().interfaceId().toString();
            event.opnum = request.opnum();
            event.syntax = pc.syntax().name();
            event.requestBytes = request.stub().length;
            event.responseBytes = (int) Math.min(Integer.MAX_VALUE, responseBytes);
            event.faultStatus = status;
            event.cancelled = ended == ActiveCall.State.CANCELLED || ended == ActiveCall.State.ORPHANED;
            event.commit();
        }
    }

    /** MS-RPCE 3.3.3.5.1: some statuses never go on the wire. */
    private static int wireStatus(int status) {
        return switch (status) {
            case 0, 0x80000001, 0x80000002, 0x80000003, 0xC0000005, 0xC0000006, 0xC000001D, 0xC0000096, 0xC00000AA,
                 0xC00000FD, 0xC0000194, 0xC0000235, 0xC0000409, 0xC0000420 -> FaultStatus.NCA_S_FAULT_UNSPEC.code();
            default -> status;
        };
    }

    /** co_cancel interrupts the call; orphaned abandons it with no answer (RPCE-FACTS §2.9, §6). */
    private boolean cancel(int callId, boolean orphaned) {
        if (reassembler.discard(callId)) return true; // still arriving: nothing ran yet
        RequestStream streaming = streamingIn;
        if (streaming != null && streaming.callId == callId) {
            // The client gives up on a streamed request: no more of its fragments are coming.
            streaming.close();
            streamingIn = null;
        }
        ActiveCall call = calls.get(callId);
        if (call != null) call.cancel(orphaned);
        return true;
    }

    // ------------------------------------------------------------------------------------------ answers

    /** Answers a protocol violation as Windows does; returns whether the connection stays open. */
    private boolean answer(ProtocolException e, int callId) {
        LOG.log(Level.DEBUG, () -> "protocol error from " + connection.remoteAddress() + ": " + e.getMessage());
        try {
            switch (e.answer()) {
                case ProtocolException.Answer.SendFault f -> {
                    send(Fault.of(callId, 0, f.status(), f.didNotExecute()));
                    return !f.disconnect();
                }
                case ProtocolException.Answer.SendBindNak n -> {
                    send(BindNak.of(callId, n.reason()));
                    return false;
                }
                case ProtocolException.Answer.Disconnect d -> {
                    return false;
                }
            }
        } catch (IOException io) {
            return false;
        }
    }

    private void send(Pdu pdu) throws IOException {
        byte[] bytes = PduCodec.encode(pdu);
        writeLock.lock();
        try {
            out.write(bytes);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes a call's answer; a connection that is gone by then is the reader's business, not the call's. */
    private void sendQuietly(List<byte[]> pdus) {
        writeLock.lock();
        try {
            for (byte[] p : pdus) out.write(p);
            out.flush();
            server.statistics().callsOut.increment();
            server.statistics().packetsOut.add(pdus.size());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "could not answer on " + connection.remoteAddress() + ": " + e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes a call's answer fragment by fragment, each signed or sealed under the write lock: the security
     * context's sequence numbers and cipher state must follow the order on the wire.
     */
    private void sendProtected(PduProtector protection, List<Response> fragments) {
        writeLock.lock();
        try {
            for (Response f : fragments) out.write(protection.protect(f));
            out.flush();
            server.statistics().callsOut.increment();
            server.statistics().packetsOut.add(fragments.size());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "could not answer on " + connection.remoteAddress() + ": " + e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Closes the connection if it broke a timeout: stuck in the middle of a fragment for longer than the
     * partial-PDU timeout, silent with no call running or unanswered for longer than the idle timeout, or with a
     * write that has taken no byte for longer than the write timeout (the client stopped reading). Returns whether
     * it did.
     */
    boolean closeIfExpired(long now, long partialNanos, long idleNanos, long writeNanos) {
        long partial = input.partialFor(now);
        long writing = out.writingFor(now);
        String why = partialNanos > 0 && partial > partialNanos ? "partial PDU"
                : writeNanos > 0 && writing > writeNanos ? "the client does not read"
                : idleNanos > 0 && partial < 0 && writing < 0 && unanswered.get() == 0 && calls.isEmpty()
                        && input.idleFor(now) > idleNanos ? "idle"
                : null;
        if (why != null) {
            LOG.log(Level.DEBUG, () -> "closing " + connection.remoteAddress() + ": " + why);
            connection.close();
        }
        return why != null;
    }

    /** Closes the connection from outside (server shutdown); the reader then ends and cleans up. */
    void close() {
        connection.close();
        RequestStream streaming = streamingIn;
        if (streaming != null) streaming.close(); // a reader blocked on a slow [in] pipe sees the closed socket next
    }

    /** The connection is gone: cancel its calls, wait for them, leave the association group. */
    private void end() {
        connection.close();
        RequestStream streaming = streamingIn;
        if (streaming != null) streaming.close();
        for (ActiveCall c : calls.values()) c.cancel(true);
        callThreads.close(); // waits for every call thread
        if (group != null) server.groups().leave(group);
        server.connectionEnded(this);
    }

    int activeCalls() {
        return calls.size();
    }
}
