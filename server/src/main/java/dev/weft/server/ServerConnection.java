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
import dev.weft.pdu.PType;
import dev.weft.pdu.PduProtector;
import dev.weft.pdu.SecTrailer;
import dev.weft.pdu.VerificationTrailer;
import dev.weft.security.Protection;
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
import java.util.Arrays;
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

    /** The bind-time features Weft accepts (MS-RPCE 3.3.1.5.3): security context multiplexing (up to
     * {@link ServerLimits#maxSecurityContexts()} contexts) and KeepConnectionOnOrphan. */
    static final int SUPPORTED_FEATURES = BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING
            | BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN;

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
    /** The connection's security contexts (several with multiplexing), by auth_context_id. */
    private final AuthStates auths;
    /** Whether a bind or alter_context asked for header signing (PFC_SUPPORT_HEADER_SIGN): Weft always agrees. */
    private boolean headerSigning;
    /** The context, p_cont_id and drep of the request whose fragments are still arriving (the reassembler's or
     * the streamed one): later fragments are checked against these, not against their own trailers. */
    private AuthState fragmentAuth;
    private int fragmentContextId;
    private int fragmentDrep;
    /** Set by {@link #admit} when the fault it sent ends the connection. */
    private boolean closeAfterFault;

    record PresentationContext(int id, RpcService service, TransferSyntax syntax) {
    }

    ServerConnection(RpcServer.Runtime server, Connection connection) {
        this.server = server;
        this.connection = connection;
        this.out = new ActivityOutputStream(connection.output());
        this.input = new ActivityInputStream(connection.input());
        ServerLimits limits = server.limits();
        this.reassembler = new Reassembler(limits.maxRequestSize(), limits.maxFragmentsPerRequest());
        this.auths = new AuthStates(limits.maxSecurityContexts());
    }

    @Override
    public void run() {
        ConnectionEvent event = recording() ? new ConnectionEvent() : null;
        if (event != null) event.begin();
        try {
            // The framer reads fragments up to the protocol's 65535 so that one over the server's limit can be read
            // whole and answered with a fault naming its call (closing with its bytes unread would reset the
            // connection and lose the fault, Samba's raw_protocol test_neg_xmit_*).
            Framer framer = new Framer(input, PduCodec.MAX_FRAGMENT);
            while (true) {
                Pdu pdu;
                byte[] fragment;
                try {
                    fragment = framer.readFragment();
                    if (fragment == null) return; // the client closed the connection
                    input.fragmentDone();
                    if (fragment.length > server.limits().maxFragment()) {
                        throw ProtocolException.protoError("frag_length " + fragment.length + " > limit "
                                + server.limits().maxFragment());
                    }
                    server.statistics().packetsIn.increment();
                    // Decoded as it came: which security context verifies a request is decided in request().
                    pdu = PduCodec.decode(fragment);
                } catch (ProtocolException e) {
                    // A header we cannot trust: answer the call it named, then hang up.
                    answer(e, framer.lastCallId(), 0);
                    return;
                }
                if (!dispatch(pdu, fragment)) return;
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
    private boolean dispatch(Pdu pdu, byte[] wire) throws IOException {
        try {
            return switch (pdu) {
                case Bind b -> bind(b, wire.length);
                case AlterContext a -> alterContext(a, wire.length);
                case Request r -> request(r, wire);
                case CoCancel c -> cancel(c.callId(), false);
                case Orphaned o -> cancel(o.callId(), true);
                case Auth3 a -> auth3(a, wire.length);
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
            return answer(e, pdu.callId(), 0);
        } catch (AuthStates.LimitReached e) {
            // One security context too many (MS-RPCE 3.3.1.5.4): Windows' answer.
            return faultAndClose(pdu.callId(), 0, FaultStatus.NCA_S_PROTO_ERROR, true);
        }
    }

    /** Sends a fault and reports that the connection must close; {@code didNotExecute} sets PFC_DID_NOT_EXECUTE. */
    private boolean faultAndClose(int callId, int contextId, FaultStatus status, boolean didNotExecute) throws IOException {
        send(Fault.of(callId, contextId, status.code(), didNotExecute));
        return false;
    }

    // ------------------------------------------------------------------------------------------ bind

    /**
     * Whether an auth leg's auth_pad_length is believable: Windows refuses one claiming more than the fragment holds
     * past a 24-byte request header (Samba's raw_protocol auth_pad tests; Samba applies the same bound to bind,
     * alter_context and auth3). Within that bound the field is ignored: these PDUs carry no stub to pad.
     */
    private static boolean authPadFits(SecTrailer auth, int fragLength) {
        int max = fragLength - Request.HEADER_SIZE - SecTrailer.SIZE - auth.authValue().length;
        return auth.authPadLength() <= Math.max(0, max);
    }

    private boolean bind(Bind b, int fragLength) throws IOException, AuthStates.LimitReached {
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
        headerSigning = PfcFlags.has(b.flags(), PfcFlags.SUPPORT_HEADER_SIGN);
        if (b.auth() != null) {
            if (!authPadFits(b.auth(), fragLength)) {
                send(BindNak.of(b.callId(), RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED));
                return false;
            }
            if (!validLevel(b.auth().authLevel())) {
                // Windows looks at the level before the type: outside CONNECT..PRIVACY is reason 0.
                send(BindNak.of(b.callId(), RejectReason.REASON_NOT_SPECIFIED));
                return false;
            }
            SecurityProvider provider = server.securityProvider(b.auth().authType());
            if (provider == null) {
                send(BindNak.of(b.callId(), RejectReason.AUTHENTICATION_TYPE_NOT_RECOGNIZED));
                return false;
            }
            if (b.auth().authLevel() == AuthLevel.RPC_C_AUTHN_LEVEL_CALL) {
                // A connection-oriented client asks for PKT instead (MS-RPCE 3.3.1.5.2.2); Windows starts no
                // context at CALL and answers as for a failed token (raw_protocol test_spnego_call_bind).
                send(BindNak.of(b.callId(), RejectReason.INVALID_CHECKSUM));
                return false;
            }
            AuthState auth = auths.find(PType.BIND, true, b.auth()).state();
            try {
                auth.started = true;
                auth.security = provider.newServerContext();
                answer = authLeg(auth, b.auth().authValue());
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
        List<ContextResult> results = negotiate(b.contexts(), true);
        if (results == null) {
            send(BindNak.of(b.callId(), RejectReason.REASON_NOT_SPECIFIED));
            return false;
        }
        // Echo CONC_MPX and SUPPORT_HEADER_SIGN when asked (RPCE-FACTS §1.1); ignore every other bind flag.
        int flags = PfcFlags.FIRST_AND_LAST | b.flags() & (PfcFlags.CONC_MPX | PfcFlags.SUPPORT_HEADER_SIGN);
        send(new BindAck(flags, Drep.LITTLE_ENDIAN, b.callId(), frag, frag, g.id, secondaryAddress(), results, answer));
        return true;
    }

    private static boolean validLevel(int level) {
        return level >= AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT && level <= AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
    }

    /**
     * One leg of a security context: the client's token in, the server's token (or null) out. When the context
     * completes, requests naming it are verified and their responses protected from the next PDU on.
     */
    private SecTrailer authLeg(AuthState auth, byte[] token) {
        Step step = auth.security.step(token);
        if (auth.security.isComplete()) {
            if (Protection.forAuthLevel(auth.authLevel) == Protection.CONFIDENTIALITY
                    && auth.security.negotiatedProtection() != Protection.CONFIDENTIALITY) {
                // PKT_PRIVACY over a mechanism that agreed not to seal (NTLMSSP without SEAL): Windows refuses the
                // context (raw_protocol test_spnego_privacy_bind_sign). Integrity without SIGN it accepts, and
                // then refuses the requests whose signatures do not verify (test_spnego_integrity_bind_none).
                throw new SecurityContextException(SecurityContextException.Reason.UNSUPPORTED, "negotiated "
                        + auth.security.negotiatedProtection() + " at " + AuthLevel.name(auth.authLevel));
            }
            auth.complete = true;
            auth.protector = new PduProtector(auth.security, auth.authLevel, auth.contextId, headerSigning);
            auths.completed(auth);
        }
        // Windows answers every leg with a sec_trailer, with an empty token when the mechanism has nothing to say.
        return SecTrailer.of(auth.authType, auth.authLevel, auth.contextId, step.hasToken() ? step.token() : new byte[0]);
    }

    /**
     * rpc_auth_3 carries the client's last token (NTLMSSP's AUTHENTICATE); it has no answer (MS-RPCE 2.2.2.10). One
     * that names no context in progress is a protocol error; one whose trailer does not fit its context, or whose
     * token fails, leaves the context invalid without a word, and the next request under it is refused.
     */
    private boolean auth3(Auth3 a, int fragLength) throws IOException, AuthStates.LimitReached {
        if (a.auth() == null) return faultAndClose(a.callId(), 0, FaultStatus.NCA_S_PROTO_ERROR, true);
        if (!authPadFits(a.auth(), fragLength)) {
            // Windows' answer, odd as it is (raw_protocol test_ntlmssp_auth_pad_fail_auth3).
            return faultAndClose(a.callId(), 0, FaultStatus.NCA_S_FAULT_REMOTE_NO_MEMORY, true);
        }
        AuthStates.Found found = auths.find(PType.RPC_AUTH_3, true, a.auth());
        AuthState auth = found.state();
        if (!auth.started || auth.complete) return faultAndClose(a.callId(), 0, FaultStatus.NCA_S_PROTO_ERROR, true);
        if (auth.invalid || found.mismatched()) {
            auth.invalid = true;
            return true;
        }
        try {
            SecTrailer unsaid = authLeg(auth, a.auth().authValue());
            // auth3 has no answer: a mechanism that wants another leg, or that has a token to send (SPNEGO's
            // accept-completed), cannot finish here; Windows then refuses the context (raw_protocol test_spnego_auth3).
            if (!auth.complete || unsaid.authValue().length > 0) auth.invalid = true;
        } catch (SecurityContextException e) {
            LOG.log(Level.DEBUG, () -> "authentication from " + connection.remoteAddress() + " failed: " + e.getMessage());
            auth.invalid = true;
        }
        return true;
    }

    /**
     * alter_context: new presentation contexts, and with an auth trailer a leg of a security context (the next leg
     * of one in progress, or the first of a new one: several per connection, MS-RPCE 3.3.1.5.4). The faults and
     * their order are Windows' as Samba's raw_protocol tests record them.
     */
    private boolean alterContext(AlterContext a, int fragLength) throws IOException, AuthStates.LimitReached {
        if (group == null) throw ProtocolException.protoError("alter_context before bind");
        if (a.auth() != null && !authPadFits(a.auth(), fragLength)) {
            return faultAndClose(a.callId(), 0, FaultStatus.NCA_S_PROTO_ERROR, true);
        }
        AuthState auth = null;
        boolean authFits = true;
        if (a.auth() != null) {
            AuthStates.Found found = auths.find(PType.ALTER_CONTEXT, true, a.auth());
            auth = found.state();
            if (auth.complete) return faultAndClose(a.callId(), 0, FaultStatus.ERROR_ACCESS_DENIED, true);
            if (!auth.started) {
                SecurityProvider provider = validLevel(auth.authLevel) ? server.securityProvider(auth.authType) : null;
                if (provider == null) return faultAndClose(a.callId(), 0, FaultStatus.ERROR_ACCESS_DENIED, true);
                auth.started = true;
                try {
                    auth.security = provider.newServerContext();
                } catch (SecurityContextException e) {
                    auth.invalid = true;
                    return faultAndClose(a.callId(), 0, FaultStatus.ERROR_ACCESS_DENIED, true);
                }
            } else if (a.auth().authType() == 0) {
                return faultAndClose(a.callId(), 0, FaultStatus.ERROR_ACCESS_DENIED, true);
            } else if (auth.invalid || found.mismatched()) {
                authFits = false;
            }
        }
        if (a.contexts().isEmpty()) return faultAndClose(a.callId(), 0, FaultStatus.NCA_S_PROTO_ERROR, true);
        for (ContextElement e : a.contexts()) {
            if (e.transferSyntaxes().isEmpty()) return faultAndClose(a.callId(), 0, FaultStatus.NCA_S_PROTO_ERROR, true);
        }
        List<ContextResult> results = negotiate(a.contexts(), false);
        if (results == null) return faultAndClose(a.callId(), 0, FaultStatus.NCA_S_PROTO_ERROR, true);
        if (!authFits) {
            FaultStatus status = a.auth().authType() != auth.authType ? FaultStatus.RPC_S_SEC_PKG_ERROR : FaultStatus.ERROR_ACCESS_DENIED;
            return faultAndClose(a.callId(), 0, status, true);
        }
        if (PfcFlags.has(a.flags(), PfcFlags.SUPPORT_HEADER_SIGN) && !headerSigning) {
            // Header signing asked for after the bind: from now on for every context of the connection.
            headerSigning = true;
            for (AuthState s : auths.all()) if (s.protector != null) s.protector = s.protector.withHeaderSigning();
        }
        SecTrailer answer = null;
        if (auth != null) {
            try {
                answer = authLeg(auth, a.auth().authValue());   // SPNEGO's further legs (MS-RPCE 3.3.1.5.2.1)
            } catch (SecurityContextException e) {
                LOG.log(Level.DEBUG, () -> "authentication from " + connection.remoteAddress() + " failed: " + e.getMessage());
                auth.invalid = true;
                return faultAndClose(a.callId(), 0, FaultStatus.RPC_S_SEC_PKG_ERROR, true);
            }
        }
        int flags = PfcFlags.FIRST_AND_LAST | a.flags() & PfcFlags.SUPPORT_HEADER_SIGN;
        send(new AlterContextResp(flags, Drep.LITTLE_ENDIAN, a.callId(), maxXmitFrag, maxXmitFrag, group.id, "",
                results, answer));
        return true;
    }

    /**
     * The results for a bind's or alter_context's presentation contexts (RPCE-FACTS §2.6), or null for a protocol
     * error: a p_cont_id already in use for another interface or transfer syntax. As Windows does, one PDU adds at
     * most one new context: once one is accepted, the later elements are only checked, and a known interface among
     * them is answered "transfer syntaxes not supported" (Samba's raw_protocol test_no_auth_presentation_ctx_*).
     * Like a 64-bit Windows server, Weft prefers NDR64: a first pass looks for it in every element, and only when
     * none was accepted a second pass takes NDR. So a Windows client's [NDR] [NDR64] elements get NDR64, and an
     * existing NDR context presented again with [NDR, NDR64] is a protocol error, as the raw_protocol suite
     * records Windows (test_spnego_change_transfer). A bind's feature element (RPCE-FACTS §3) gets its
     * negotiate_ack; in an alter_context it matches neither pass.
     */
    private List<ContextResult> negotiate(List<ContextElement> elements, boolean bind) {
        ContextResult[] results = new ContextResult[elements.size()];
        Arrays.fill(results, ContextResult.rejected(ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED));
        boolean[] feature = new boolean[results.length];
        for (int i = 0; bind && i < results.length; i++) {
            OptionalInt requested = BindTimeFeatures.requested(elements.get(i));
            if (requested.isPresent()) {
                features = requested.getAsInt() & SUPPORTED_FEATURES;
                results[i] = BindTimeFeatures.negotiateAck(requested.getAsInt(), SUPPORTED_FEATURES);
                feature[i] = true;
            }
        }
        boolean oneAccepted = false;
        for (TransferSyntax preferred : PREFERENCE) {
            for (int i = 0; i < results.length; i++) {
                if (feature[i] || results[i].result() == ContextResult.ACCEPTANCE) continue;
                ContextResult r = present(elements.get(i), oneAccepted, preferred);
                if (r == null) return null;
                oneAccepted |= r.result() == ContextResult.ACCEPTANCE;
                results[i] = r;
            }
        }
        return List.of(results);
    }

    private static final List<TransferSyntax> PREFERENCE = List.of(TransferSyntax.NDR64, TransferSyntax.NDR20);

    /** One element in one pass: its result, or null for a protocol error. */
    private ContextResult present(ContextElement e, boolean validateOnly, TransferSyntax preferred) {
        RpcService service = server.service(e.abstractSyntax());
        if (service == null) return ContextResult.rejected(ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED);
        if (validateOnly) return ContextResult.rejected(ContextResult.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED);
        SyntaxId chosenId = null;
        if (preferred == TransferSyntax.NDR20 || service.supportsNdr64()) {
            for (SyntaxId s : e.transferSyntaxes()) {
                if (TransferSyntax.of(s) == preferred) {
                    chosenId = s;
                    break;
                }
            }
        }
        PresentationContext existing = contexts.get(e.contextId());
        if (existing != null) {
            // A context id names one interface and one transfer syntax for the life of the connection.
            if (existing.service() != service || chosenId != null && preferred != existing.syntax()) return null;
            return chosenId != null ? ContextResult.accepted(chosenId)
                    : ContextResult.rejected(ContextResult.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED);
        }
        if (chosenId == null) return ContextResult.rejected(ContextResult.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED);
        contexts.put(e.contextId(), new PresentationContext(e.contextId(), service, preferred));
        return ContextResult.accepted(chosenId);
    }

    private String secondaryAddress() {
        var endpoint = connection.localEndpoint();
        return endpoint.protseq() == Protseq.NCACN_IP_TCP ? String.valueOf(endpoint.port()) : endpoint.name();
    }

    // ------------------------------------------------------------------------------------------ requests

    private boolean request(Request unverified, byte[] wire) throws IOException, AuthStates.LimitReached {
        if (group == null) {
            // The first PDU must be a bind: Samba and Windows answer bind_nak reason 4 and hang up.
            send(BindNak.of(unverified.callId(), RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED));
            return false;
        }
        boolean first = PfcFlags.has(unverified.flags(), PfcFlags.FIRST_FRAG);
        int callId = unverified.callId();
        AuthStates.Found found = auths.find(PType.REQUEST, first, unverified.auth());
        AuthState auth = found.state();
        RequestStream streaming = streamingIn;
        boolean arriving = streaming != null || reassembler.inProgress();
        int arrivingCallId = streaming != null ? streaming.callId : arriving ? reassembler.inProgressCallId() : 0;
        if (first) {
            if (arriving) {
                // Checked before the new fragment's own context (raw_protocol ntlmssp_multi_auth_first1_firstSame111).
                // A new call while another's fragments are arriving. Without PFC_CONC_MPX Windows faults the call
                // in progress; a second FIRST of that same call under another context is a security failure.
                boolean sameCall = arrivingCallId == callId;
                FaultStatus status = sameCall && auth != fragmentAuth && unverified.auth() != null
                        && unverified.contextId() == fragmentContextId
                        ? FaultStatus.RPC_S_SEC_PKG_ERROR : FaultStatus.NCA_S_PROTO_ERROR;
                boolean onArriving = !concurrentMultiplexing || sameCall;
                return faultAndClose(onArriving ? arrivingCallId : callId,
                        onArriving ? fragmentContextId : 0, status, false);
            }
            if (auth.invalid) {
                // A context that failed, or that this request named wrongly: Windows answers access denied.
                return faultAndClose(callId, unverified.contextId(), FaultStatus.ERROR_ACCESS_DENIED, false);
            }
            if (auth.started && !auth.complete) {
                return faultAndClose(callId, 0, FaultStatus.NCA_S_PROTO_ERROR, true); // its legs are still running
            }
            if (!concurrentMultiplexing && !calls.isEmpty() && !calls.containsKey(callId)) {
                // Without PFC_CONC_MPX one call at a time (RPCE-FACTS §8).
                return faultAndClose(callId, 0, FaultStatus.NCA_S_PROTO_ERROR, false);
            }
            if (PfcFlags.has(unverified.flags(), PfcFlags.PENDING_CANCEL)) {
                return faultAndClose(callId, 0, FaultStatus.RPC_S_NO_CALL_ACTIVE, true);
            }
            if (contexts.get(unverified.contextId()) == null) {
                send(Fault.of(callId, 0, FaultStatus.NCA_S_UNK_IF.code(), true));
                return true;
            }
        } else {
            if (!arriving || arrivingCallId != callId) {
                // A fragment of no call in progress.
                if (!concurrentMultiplexing) {
                    return arriving ? faultAndClose(arrivingCallId, fragmentContextId, FaultStatus.NCA_S_PROTO_ERROR, false)
                            : faultAndClose(callId, 0, FaultStatus.NCA_S_PROTO_ERROR, false);
                }
                if (!arriving && contexts.get(unverified.contextId()) == null) {
                    send(Fault.of(callId, 0, FaultStatus.NCA_S_UNK_IF.code(), true));
                    return true;
                }
                // With PFC_CONC_MPX Windows names the fragment's own context, and answers access denied when its
                // trailer does not fit an established security context (raw_protocol ntlmssp_auth_MPX_middle_*).
                FaultStatus status = !arriving && (auth.invalid || found.mismatched())
                        ? FaultStatus.ERROR_ACCESS_DENIED : FaultStatus.NCA_S_PROTO_ERROR;
                return faultAndClose(callId, arriving ? 0 : unverified.contextId(), status, false);
            }
            if (unverified.drep() != fragmentDrep) {
                return faultAndClose(callId, fragmentContextId, FaultStatus.NCA_S_PROTO_ERROR, true);
            }
            auth = fragmentAuth; // later fragments belong to their call's context, whatever their trailer says
        }
        // The context must be established and fit, and the fragment must verify under it.
        if (!auth.started) return faultAndClose(callId, unverified.contextId(), FaultStatus.ERROR_ACCESS_DENIED, false);
        if (!auth.complete) return faultAndClose(callId, unverified.contextId(), FaultStatus.NCA_S_PROTO_ERROR, false);
        if (auth.invalid) return faultAndClose(callId, unverified.contextId(), FaultStatus.ERROR_ACCESS_DENIED, false);
        Request fragment = unverified;
        if (!first && unverified.auth() == null && auth.protector != null && auth.protector.protectsPdus()) {
            // A later fragment without the verifier its call's context requires (raw_protocol *_lastSameNone).
            return faultAndClose(callId, fragmentContextId, FaultStatus.NCA_S_PROTO_ERROR, false);
        }
        if (auth.protector != null && auth.protector.protectsPdus()) {
            try {
                fragment = (Request) auth.protector.unprotect(wire, first);
            } catch (ProtocolException e) {
                return answer(e, callId, unverified.contextId());
            }
        }
        if (first) {
            fragmentAuth = auth;
            fragmentContextId = fragment.contextId();
            fragmentDrep = fragment.drep();
        }
        if (streaming != null) {
            // A streamed request is arriving: only its own fragments may come until its last (RPCE-FACTS §8);
            // their p_cont_id and opnum are ignored, as the Reassembler ignores them.
            streaming.offer(fragment.stub());
            if (PfcFlags.has(fragment.flags(), PfcFlags.LAST_FRAG)) {
                streaming.end();
                streamingIn = null;
            }
            return true;
        }
        if (first && !reassembler.inProgress() && !PfcFlags.has(fragment.flags(), PfcFlags.PENDING_CANCEL)) {
            PresentationContext pc = contexts.get(fragment.contextId());
            if (pc != null && fragment.opnum() < pc.service().operationCount() && pc.service().streams(fragment.opnum())) {
                return startStreamed(pc, fragment, auth);
            }
        }
        Request whole = reassembler.add(fragment);
        if (whole == null) return true;
        if (fragmentAuth.invalid) {
            // Another request named this context with another type or level while this one arrived.
            return faultAndClose(whole.callId(), whole.contextId(), FaultStatus.NCA_S_PROTO_ERROR, true);
        }
        AuthState.Established security = fragmentAuth.established();
        PresentationContext pc = admit(whole.callId(), whole.contextId(), whole.opnum(), whole.drep(), security);
        if (pc == null) return !closeAfterFault;
        int stubEnd = whole.stub().length;
        PduProtector p = security.protector();
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
        launch(pc, whole, in, null, security);
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
    private boolean startStreamed(PresentationContext pc, Request first, AuthState auth) throws IOException {
        boolean last = PfcFlags.has(first.flags(), PfcFlags.LAST_FRAG);
        RequestStream stream = new RequestStream(first.callId());
        AuthState.Established security = auth.established();
        if (admit(first.callId(), first.contextId(), first.opnum(), first.drep(), security) == null) {
            stream.close(); // answered with a fault: drop the rest of this request as it arrives
            if (closeAfterFault) return false;
        } else {
            stream.offer(first.stub());
            NdrReader in = new NdrReader(pc.syntax(), stream, Drep.isBigEndian(first.drep()), server.limits().ndr());
            launch(pc, first, in, stream, security);
        }
        if (last) stream.end();
        else streamingIn = stream;
        return true;
    }

    /** The checks before a call runs, answered with the faults Windows gives; the call's context, or null. */
    private PresentationContext admit(int callId, int contextId, int opnum, int drep, AuthState.Established security)
            throws IOException {
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
            if (security.authLevel() < server.minimumAuthLevel(pc.service())) {
                // Below the level the interface was registered with: access denied; Windows also hangs up unless a
                // request on this connection has named a context above CONNECT (Samba's raw_protocol tests).
                send(Fault.of(callId, pc.id(), FaultStatus.ERROR_ACCESS_DENIED.code(), false));
                closeAfterFault = !auths.sawExplicitAboveConnect();
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

    private void launch(PresentationContext pc, Request request, NdrReader in, RequestStream stream,
                        AuthState.Established security) {
        server.statistics().callsIn.increment();
        callCount++;
        ActiveCall call = new ActiveCall(request.callId());
        calls.put(request.callId(), call);
        unanswered.incrementAndGet();
        callThreads.execute(() -> {
            try {
                runCall(call, pc, request, in, stream, security);
            } finally {
                unanswered.decrementAndGet();
            }
        });
    }

    /** The call's own thread: decode, invoke, answer, under the security context its request arrived with. */
    private void runCall(ActiveCall call, PresentationContext pc, Request request, NdrReader in, RequestStream stream,
                         AuthState.Established security) {
        CallEvent event = recording() ? new CallEvent() : null;
        if (event != null) event.begin();
        call.thread = Thread.currentThread();
        PduProtector p = security.protector();
        boolean streamed = pc.service().streams(request.opnum());
        ResponseStream rs = streamed ? new ResponseStream(call, writeLock, out, p, maxXmitFrag, responseContextId(pc),
                server.statistics().packetsOut) : null;
        NdrWriter outStub = streamed
                ? new NdrWriter(pc.syntax(), 16384).streamTo(rs, 8192)
                : new NdrWriter(pc.syntax());
        ServerCall sc = new ServerCall(pc.service(), group, connection.remoteAddress(), request.opnum(),
                request.object(), in, outStub, security.authLevel(), security.identity());
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
            PduProtector protection = p;
            if (protection == null) {
                // Straight from the writer's buffer into the fragments: one copy of the stub.
                sendQuietly(new Fragmenter(maxXmitFrag, null)
                        .encodedResponse(request.callId(), responseContextId(pc), outStub.buffer(), outStub.size()));
            } else {
                sendProtected(protection, new Fragmenter(maxXmitFrag, protection.template())
                        .response(request.callId(), responseContextId(pc), outStub.toByteArray()));
            }
        }
    }

    /**
     * The p_cont_id a response carries. Windows writes only the low byte of the request's (a context 0x1001 is
     * answered as 0x01; Samba's raw_protocol tests record it), and so does Weft, so that no peer can tell them apart.
     */
    private static int responseContextId(PresentationContext pc) {
        return pc.id() & 0xFF;
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
        // A call still arriving has not run: Windows notes the cancel and goes on assembling it, so the call runs
        // and is answered (Samba's raw_protocol test_co_cancel_request_after_first, test_orphaned_request_*).
        if (reassembler.inProgress() && reassembler.inProgressCallId() == callId) return true;
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
    private boolean answer(ProtocolException e, int callId, int contextId) {
        LOG.log(Level.DEBUG, () -> "protocol error from " + connection.remoteAddress() + ": " + e.getMessage());
        try {
            switch (e.answer()) {
                case ProtocolException.Answer.SendFault f -> {
                    send(Fault.of(callId, contextId, f.status(), f.didNotExecute()));
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
