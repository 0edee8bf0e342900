package dev.weft.client;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.AlterContext;
import dev.weft.pdu.AlterContextResp;
import dev.weft.pdu.Auth3;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindAck;
import dev.weft.pdu.BindNak;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.pdu.CoCancel;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.ContextResult;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Fault;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.Framer;
import dev.weft.pdu.Orphaned;
import dev.weft.pdu.SecTrailer;
import dev.weft.pdu.VerificationTrailer;
import dev.weft.pdu.PType;
import dev.weft.security.Protection;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.Step;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.ProtocolException;
import dev.weft.pdu.RejectReason;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import dev.weft.pdu.Rts;
import dev.weft.pdu.Shutdown;
import dev.weft.transport.Connection;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection: callers on any number of threads hand their encoded requests to one writer virtual
 * thread, and one reader virtual thread routes every answer to its caller by call_id (RPCE-FACTS §8: with
 * PFC_CONC_MPX the server may answer out of order). Without PFC_CONC_MPX a semaphore lets one call at a time
 * through, as the protocol requires.
 *
 * <p>Callers never touch the socket: a caller may be interrupted at any moment (that is how a call is
 * cancelled), and a virtual thread interrupted inside socket I/O closes the socket under every other call.
 * The writer takes each request's fragments as one batch, so fragments of concurrent calls never interleave.
 */
final class ClientConnection implements AutoCloseable {
    private final Connection connection;
    private final OutputStream out;
    private final ClientOptions options;
    /** Batches of encoded PDUs for the writer thread; an empty batch wakes it to stop. */
    private final LinkedBlockingQueue<Batch> outbox = new LinkedBlockingQueue<>();
    /**
     * Fragments of streamed requests queued for the writer: a caller streaming an [in] pipe waits for a credit,
     * so a pipe faster than the socket never piles up in the outbox.
     */
    private final Semaphore streamCredits = new Semaphore(STREAM_CREDITS);
    static final int STREAM_CREDITS = 32;
    /**
     * Held while a request's fragments are queued: the fragments of two requests must not interleave
     * (RPCE-FACTS §8), and a streamed request holds it from its first fragment to its last.
     */
    final ReentrantLock requestLock = new ReentrantLock();
    private final Thread writer;
    /** Binds and alter_contexts one at a time: presentation context ids are handed out in order. */
    private final ReentrantLock bindLock = new ReentrantLock();
    private final AtomicInteger callIds = new AtomicInteger();
    private final Map<Integer, Exchange> pending = new ConcurrentHashMap<>();
    /** Bound interfaces; guarded by bindLock. */
    private final Map<SyntaxId, BoundInterface> bound = new HashMap<>();
    private final Thread reader;
    private volatile RpcException failure;
    private Semaphore callGate; // null with PFC_CONC_MPX
    private int nextContextId;
    private int maxXmitFrag;
    private int assocGroupId;
    private int features;
    private boolean boundOnce;
    /** The security context the bind built (auth_context_id {@link ClientAuth#AUTH_CONTEXT_ID}); null without. */
    private volatile SecurityContextHandle primary;
    /**
     * Whether the connection holds a security context besides the bind's (MS-RPCE 3.3.1.5.4): then CONNECT-level
     * requests name their context, and a response is verified by the context its sec_trailer names. Never unset.
     */
    private volatile boolean multiplexed;
    /** Every security context of the connection by auth_context_id; the bind's among them. */
    private final Map<Integer, SecurityContextHandle> securityById = new ConcurrentHashMap<>();
    /** The further contexts by the credentials they were built with; guarded by bindLock. */
    private final Map<ClientAuth, SecurityContextHandle> securityByAuth = new HashMap<>();
    /** The auth_context_id the next further context gets; guarded by bindLock. */
    private int nextAuthContextId = ClientAuth.AUTH_CONTEXT_ID + 1;
    /** Protection and queueing happen together, so fragments reach the wire in the order they were signed. */
    private final ReentrantLock sendLock = new ReentrantLock();
    /**
     * Whether PFC_SUPPORT_HEADER_SIGN was agreed on the connection, by the bind or an alter_context; guarded by
     * bindLock. As Windows and Weft's server do, it then holds for every security context of the connection.
     */
    private volatile boolean headerSigning;
    /** Whether this client asked for header signing in a bind or alter_context: BITMASK_1's one bit says so. */
    private volatile boolean askedHeaderSigning;

    /** PDUs the writer sends together; {@code credited} ones return a stream credit once written. */
    private record Batch(List<byte[]> pdus, boolean credited) {
    }

    /** What one call (or bind) waits for: its answer, or the connection's failure. */
    private static final class Exchange {
        final BlockingQueue<Object> result = new ArrayBlockingQueue<>(1);
        /** The security context the call runs under (null: none); its response must come under the same. */
        SecurityContextHandle security;
        /** The response of a streaming call, fragment by fragment; null for a whole-stub call. */
        ResponseQueue stream;
        /** Response fragments so far, joined when the last one arrives (reader thread only). */
        final List<byte[]> parts = new ArrayList<>();
        int size;

        void complete(Object o) {
            if (stream != null) stream.fail(o);
            else result.offer(o);
        }
    }

    ClientConnection(Connection connection, ClientOptions options) {
        this.connection = connection;
        this.out = connection.output();
        this.options = options;
        this.reader = Thread.ofVirtual().name("weft-client-reader").start(this::readLoop);
        this.writer = Thread.ofVirtual().name("weft-client-writer").start(this::writeLoop);
    }

    int associationGroupId() {
        return assocGroupId;
    }

    boolean concurrentMultiplexing() {
        return callGate == null;
    }

    int features() {
        return features;
    }

    /** Calls waiting for their answers on this connection. */
    int inFlight() {
        return pending.size();
    }

    int negotiatedFragment() {
        return maxXmitFrag;
    }

    /**
     * Binds {@code iface} (the first time with a bind, later with alter_context), offering NDR64 first when
     * preferred, then NDR, and on the bind the feature-negotiation element. The bind carries the first leg of the
     * connection's security context when {@link ClientOptions#auth()} is set.
     */
    BoundInterface bind(SyntaxId iface) {
        bindLock.lock();
        try {
            BoundInterface existing = bound.get(iface);
            if (existing != null) return existing;
            List<ContextElement> contexts = new ArrayList<>();
            int ndr64Id = -1;
            if (options.preferNdr64()) {
                ndr64Id = nextContextId++;
                contexts.add(ContextElement.of(ndr64Id, iface, SyntaxId.NDR64));
            }
            int ndrId = nextContextId++;
            contexts.add(ContextElement.of(ndrId, iface, SyntaxId.NDR20));
            boolean first = !boundOnce;
            if (first) {
                contexts.add(BindTimeFeatures.contextElement(nextContextId++, iface,
                        BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING | BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN));
            }
            int callId = nextCallId();
            Exchange ex = register(callId);
            int frag = options.maxFragment();
            ClientAuth auth = options.auth();
            SecurityContext security = null;
            SecTrailer verifier = null;
            if (first && auth != null) {
                try {
                    security = auth.provider().newClientContext(Protection.forAuthLevel(auth.level()), auth.targetName());
                    verifier = verifier(auth, ClientAuth.AUTH_CONTEXT_ID, security.step(new byte[0]).token());
                } catch (SecurityContextException e) {
                    // e.g. the KDC refused the password: nothing was sent, but the connection has no use
                    throw bindFailed(e);
                }
            }
            int headerSign = verifier != null ? PfcFlags.SUPPORT_HEADER_SIGN : 0;
            if (verifier != null) askedHeaderSigning = true;
            Pdu request = first
                    ? new Bind(PfcFlags.FIRST_AND_LAST | PfcFlags.CONC_MPX | headerSign, Drep.LITTLE_ENDIAN, callId,
                    frag, frag, options.associationGroupId(), contexts, verifier)
                    : new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, frag, frag, assocGroupId,
                    contexts, null);
            send(List.of(request));
            Object answer = awaitBindAnswer(ex, callId);
            if (security != null && answer instanceof BindAck ack) {
                assocGroupId = ack.assocGroupId();
                if (PfcFlags.has(ack.flags(), PfcFlags.SUPPORT_HEADER_SIGN)) headerSigning = true;
                try {
                    legs(auth, security, ack.auth(), callId, contexts.get(0), ClientAuth.AUTH_CONTEXT_ID);
                } catch (SecurityContextException e) {
                    throw bindFailed(e);
                } catch (RpcFaultException e) {
                    fail(e);
                    throw e;
                }
                SecurityContextHandle handle = new SecurityContextHandle(auth, ClientAuth.AUTH_CONTEXT_ID, security,
                        headerSigning);
                securityById.put(handle.authContextId, handle);
                primary = handle;
            }
            List<ContextResult> results;
            switch (answer) {
                case BindAck ack -> {
                    results = ack.results();
                    maxXmitFrag = ack.maxXmitFrag();
                    assocGroupId = ack.assocGroupId();
                    callGate = PfcFlags.has(ack.flags(), PfcFlags.CONC_MPX) ? null : new Semaphore(1);
                    boundOnce = true;
                }
                case AlterContextResp resp -> results = resp.results();
                case BindNak nak -> {
                    fail(new RpcTransportException("the server refused the bind and closed the connection", null));
                    throw new RpcBindException("bind_nak: " + RejectReason.name(nak.reason()), nak.reason());
                }
                case Fault f -> throw new RpcFaultException(f.status());
                default -> throw new RpcTransportException("unexpected answer to a bind: " + answer, null);
            }
            if (results.size() != contexts.size()) {
                throw new RpcTransportException("the server answered " + results.size() + " of " + contexts.size()
                        + " presentation contexts", null);
            }
            if (first) features = BindTimeFeatures.accepted(results.get(results.size() - 1));
            BoundInterface b = null;
            SecurityContextHandle under = primary;
            if (ndr64Id >= 0 && results.get(0).isAccepted()) {
                b = new BoundInterface(this, iface, ndr64Id, TransferSyntax.NDR64, options.callTimeout(), under);
            } else {
                ContextResult r = results.get(ndr64Id >= 0 ? 1 : 0);
                if (r.isAccepted()) {
                    b = new BoundInterface(this, iface, ndrId, TransferSyntax.NDR20, options.callTimeout(), under);
                } else {
                    throw new RpcBindException("the server rejected " + iface + " (provider reason " + r.reason() + ")",
                            r.reason());
                }
            }
            bound.put(iface, b);
            return b;
        } finally {
            bindLock.unlock();
        }
    }

    /** The bind's authentication failed: the connection has no use. */
    private RpcBindException bindFailed(SecurityContextException e) {
        RpcBindException refused = new RpcBindException("authentication failed: " + e.getMessage(), 0);
        fail(refused);
        return refused;
    }

    /**
     * {@code iface} bound under the security context of {@code auth}: the bind's when {@code auth} is the client's
     * own (or null), otherwise a further context on this connection (MS-RPCE 3.3.1.5.4), built by alter_context the
     * first time these credentials are used here and kept for the life of the connection.
     *
     * @throws RpcSecurityContextException when the further context cannot be built
     */
    BoundInterface bind(SyntaxId iface, ClientAuth auth) {
        BoundInterface b = bind(iface);
        if (auth == null || auth.equals(options.auth())) return b;
        bindLock.lock();
        try {
            return b.under(securityFor(auth, b));
        } finally {
            bindLock.unlock();
        }
    }

    /**
     * The further security context of {@code auth}, built on first use (MS-RPCE 3.3.1.5.2.1, 3.3.1.5.4): an
     * alter_context that presents {@code b}'s presentation context again and carries the first token under a new
     * auth_context_id, then the mechanism's further legs (alter_context, or rpc_auth_3 for NTLMSSP's last).
     * Caller holds bindLock.
     */
    private SecurityContextHandle securityFor(ClientAuth auth, BoundInterface b) {
        SecurityContextHandle existing = securityByAuth.get(auth);
        if (existing != null) return existing;
        if ((features & BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING) == 0) {
            throw new RpcSecurityContextException(RpcSecurityContextException.Reason.NOT_NEGOTIATED, 0,
                    "the server did not negotiate security context multiplexing (MS-RPCE 3.3.1.5.4) on "
                            + connection.remoteAddress() + "; use another connection for these credentials");
        }
        if (nextAuthContextId > MAX_SECURITY_CONTEXTS) {
            throw new RpcSecurityContextException(RpcSecurityContextException.Reason.LIMIT_REACHED, 0,
                    "a client builds at most " + MAX_SECURITY_CONTEXTS + " security contexts per connection (MS-RPCE 3.3.1.5.4)");
        }
        int id = nextAuthContextId++;
        SecurityContext mechanism;
        SecTrailer first;
        try {
            mechanism = auth.provider().newClientContext(Protection.forAuthLevel(auth.level()), auth.targetName());
            first = verifier(auth, id, mechanism.step(new byte[0]).token());
        } catch (SecurityContextException e) {
            throw new RpcSecurityContextException(RpcSecurityContextException.Reason.AUTHENTICATION_FAILED, 0,
                    "authentication failed: " + e.getMessage());
        }
        int callId = nextCallId();
        Exchange ex = register(callId);
        int frag = options.maxFragment();
        askedHeaderSigning = true;
        send(List.of(new AlterContext(PfcFlags.FIRST_AND_LAST | PfcFlags.SUPPORT_HEADER_SIGN, Drep.LITTLE_ENDIAN,
                callId, frag, frag, assocGroupId, List.of(b.element()), first)));
        try {
            switch (awaitBindAnswer(ex, callId)) {
                case AlterContextResp resp -> {
                    if (resp.results().size() != 1 || !resp.results().get(0).isAccepted()) {
                        throw new RpcSecurityContextException(RpcSecurityContextException.Reason.REFUSED, 0,
                                "the server rejected presentation context " + b.contextId + " in the alter_context");
                    }
                    if (PfcFlags.has(resp.flags(), PfcFlags.SUPPORT_HEADER_SIGN) && !headerSigning) {
                        // From now on for every context of the connection, as the server sees it.
                        headerSigning = true;
                        for (SecurityContextHandle s : securityById.values()) s.headerSigningOn();
                    }
                    legs(auth, mechanism, resp.auth(), callId, b.element(), id);
                }
                case Fault f -> throw new RpcSecurityContextException(RpcSecurityContextException.Reason.REFUSED,
                        f.status(), "the server refused security context " + id);
                case Object other -> throw new RpcTransportException("unexpected answer to an alter_context: " + other, null);
            }
        } catch (RpcFaultException e) {
            // The server took the first token and refused a later one: the credentials did not convince it.
            throw new RpcSecurityContextException(RpcSecurityContextException.Reason.AUTHENTICATION_FAILED, e.status(),
                    "the server refused a further leg of security context " + id);
        } catch (SecurityContextException e) {
            throw new RpcSecurityContextException(RpcSecurityContextException.Reason.AUTHENTICATION_FAILED, 0,
                    "authentication failed: " + e.getMessage());
        }
        SecurityContextHandle handle = new SecurityContextHandle(auth, id, mechanism, headerSigning);
        multiplexed = true; // before the context's first request: from then on responses are told apart by trailer
        securityById.put(id, handle);
        securityByAuth.put(auth, handle);
        return handle;
    }

    /** MS-RPCE's limit for a client (3.3.1.5.4): "MUST NOT build more than 2,000 security contexts per connection". */
    static final int MAX_SECURITY_CONTEXTS = 2000;

    /**
     * The verification trailer (MS-RPCE 2.2.2.13) of a request under {@code s} at PKT and above, as Samba's client
     * sends it: BITMASK_1 on the context's first request, PCONTEXT on the first request of each presentation
     * context, HEADER2 on every request when header signing was not negotiated; null when none is due.
     */
    private VerificationTrailer verificationTrailer(BoundInterface b, SecurityContextHandle s, int callId, int opnum) {
        List<VerificationTrailer.Command> commands = new ArrayList<>(3);
        if (!s.bitmaskSent) {
            s.bitmaskSent = true;
            commands.add(new VerificationTrailer.Bitmask1(
                    askedHeaderSigning ? VerificationTrailer.CLIENT_SUPPORT_HEADER_SIGNING : 0, false));
        }
        if (!b.contextVouched) {
            b.contextVouched = true;
            commands.add(new VerificationTrailer.PContext(b.iface, b.syntax.id(), false));
        }
        if (!headerSigning) {
            commands.add(new VerificationTrailer.Header2(PType.REQUEST, Drep.LITTLE_ENDIAN, callId, b.contextId, opnum, false));
        }
        return commands.isEmpty() ? null : new VerificationTrailer(commands);
    }

    private static SecTrailer verifier(ClientAuth auth, int authContextId, byte[] token) {
        return SecTrailer.of(auth.provider().authType(), auth.level(), authContextId, token);
    }

    /**
     * The legs after the first answer (MS-RPCE 3.3.1.5.2.1): the mechanism's last token goes in rpc_auth_3, which
     * has no answer (NTLMSSP); a mechanism that needs more legs continues in alter_context (SPNEGO), presenting
     * {@code context} again. Returns when the mechanism's context is complete.
     *
     * @throws SecurityContextException when the mechanism refuses a token
     * @throws RpcFaultException        when the server answers a leg with a fault
     */
    private void legs(ClientAuth auth, SecurityContext security, SecTrailer answer, int firstCallId,
                      ContextElement context, int authContextId) {
        while (!security.isComplete()) {
            if (answer == null) throw SecurityContextException.invalidToken("the server's answer carries no auth token");
            Step step = security.step(answer.authValue());
            if (step instanceof Step.Complete) {
                if (step.hasToken()) {
                    send(List.of(new Auth3(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, firstCallId,
                            verifier(auth, authContextId, step.token()))));
                }
                return;
            }
            int callId = nextCallId();
            Exchange ex = register(callId);
            int frag = options.maxFragment();
            send(List.of(new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, frag, frag,
                    assocGroupId, List.of(context), verifier(auth, authContextId, step.token()))));
            switch (awaitBindAnswer(ex, callId)) {
                case AlterContextResp resp -> answer = resp.auth();
                case Fault f -> throw new RpcFaultException(f.status());
                case Object other -> throw new RpcTransportException("unexpected answer to an auth leg: " + other, null);
            }
        }
    }

    /** The bind's security context's session key; null before the bind or without authentication. */
    byte[] sessionKey() {
        SecurityContextHandle s = primary;
        return s == null ? null : s.mechanism.sessionKey();
    }

    /** The session key of the security context built for {@code auth} here; null when there is none (yet). */
    byte[] sessionKey(ClientAuth auth) {
        if (auth == null || auth.equals(options.auth())) return sessionKey();
        bindLock.lock();
        try {
            SecurityContextHandle s = securityByAuth.get(auth);
            return s == null ? null : s.mechanism.sessionKey();
        } finally {
            bindLock.unlock();
        }
    }

    private int nextCallId() {
        int id = callIds.incrementAndGet();
        if (id == 0) id = callIds.incrementAndGet(); // call ids wrap; 0 is never used
        return id;
    }

    /** Sends one call and waits for its whole response stub. */
    NdrReader call(BoundInterface b, int opnum, Uuid object, NdrWriter request) {
        RpcException f = failure;
        if (f != null) throw f;
        Semaphore gate = callGate;
        if (gate != null) gate.acquireUninterruptibly();
        int callId = nextCallId();
        try {
            SecurityContextHandle security = b.security;
            Exchange ex = register(callId, null, security);
            byte[] stub = request.toByteArray();
            int tailFrom = stub.length;
            Fragmenter fragmenter = new Fragmenter(maxXmitFrag, security == null ? null : security.template(multiplexed));
            if (security != null && security.protectsPdus()) {
                VerificationTrailer vt = verificationTrailer(b, security, callId, opnum);
                if (vt != null) {
                    // MS-RPCE 2.2.2.13: after the stub, 4-aligned, and whole in the last fragment however long the stub.
                    tailFrom = (stub.length + 3) & ~3;
                    stub = vt.appendTo(stub);
                }
            }
            List<Request> fragments = fragmenter.request(callId, b.contextId, opnum, object, stub, tailFrom);
            requestLock.lock();
            try {
                send(fragments, security);
            } finally {
                requestLock.unlock();
            }
            Object answer = await(ex, callId, b.timeout);
            return switch (answer) {
                case byte[] responseStub -> new NdrReader(b.syntax, responseStub, 0, responseStub.length, false,
                        options.ndr());
                case Fault fault -> throw new RpcFaultException(fault.status());
                default -> throw new RpcTransportException("unexpected answer to a call: " + answer, null);
            };
        } finally {
            pending.remove(callId);
            if (gate != null) gate.release();
        }
    }

    /**
     * Registers a call's exchange. The failure is checked after the registration: {@link #fail} sets it before it
     * fails the registered exchanges, so a call is either failed by it or sees it here, never left waiting.
     */
    private Exchange register(int callId) {
        return register(callId, null, null);
    }

    private Exchange register(int callId, ResponseQueue stream, SecurityContextHandle security) {
        Exchange ex = new Exchange();
        ex.stream = stream;
        ex.security = security;
        pending.put(callId, ex);
        RpcException f = failure;
        if (f != null) {
            pending.remove(callId);
            throw f;
        }
        return ex;
    }

    /**
     * A bind or alter_context answer, within the connect timeout: a server that never answers one leaves nothing
     * to cancel, so the connection is given up.
     */
    private Object awaitBindAnswer(Exchange ex, int callId) {
        Duration timeout = options.connectTimeout();
        try {
            Object answer = ex.result.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (answer == null) {
                RpcTransportException e = new RpcTransportException("no answer to the bind within " + timeout, null);
                fail(e);
                throw e;
            }
            if (answer instanceof RpcException e) throw e;
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcTransportException("bind interrupted", e);
        } finally {
            pending.remove(callId); // answered: no longer in flight (a pool counts what is)
        }
    }

    private Object await(Exchange ex, int callId, Duration timeout) {
        try {
            Object answer = timeout.isZero() ? ex.result.take() : ex.result.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (answer == null) {
                abandon(callId);
                throw new RpcTimeoutException(callId, timeout);
            }
            if (answer instanceof RpcException e) throw e;
            return answer;
        } catch (InterruptedException e) {
            abandon(callId);
            Thread.currentThread().interrupt();
            throw new RpcTransportException("call " + callId + " interrupted", e);
        }
    }

    /**
     * The caller gave up (interrupted, or out of time): tell the server (co_cancel; orphaned when
     * KeepConnectionOnOrphan was agreed), forget the call, and keep the connection for the others. A late answer
     * finds no exchange and is dropped by the reader.
     */
    void abandon(int callId) {
        pending.remove(callId);
        boolean keep = (features & BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN) != 0;
        try {
            send(List.of(keep ? new Orphaned(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, null)
                    : new CoCancel(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, null)));
        } catch (RpcException ignored) {
            // the connection is gone anyway
        }
    }

    /**
     * Encodes on the caller's thread and queues for the writer; never blocks and ignores interrupts. For PDUs that
     * carry no per-PDU protection: bind, alter_context, auth3, co_cancel, orphaned.
     */
    private void send(List<? extends Pdu> pdus) {
        List<byte[]> batch = new ArrayList<>(pdus.size());
        for (Pdu pdu : pdus) batch.add(PduCodec.encode(pdu));
        RpcException f = failure;
        if (f != null) throw f;
        outbox.offer(new Batch(batch, false));
    }

    /** As {@link #send}, for a request's fragments, each signed or sealed under {@code security} (null: none). */
    private void send(List<Request> fragments, SecurityContextHandle security) {
        if (security == null) {
            send(fragments);
            return;
        }
        // A context's sequence numbers and cipher state run across its fragments: sign in the order the writer sends.
        sendLock.lock();
        try {
            List<byte[]> batch = new ArrayList<>(fragments.size());
            for (Request fragment : fragments) batch.add(security.protect(fragment));
            RpcException f = failure;
            if (f != null) throw f;
            outbox.offer(new Batch(batch, false));
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Queues one fragment of a streamed request (the caller holds {@link #requestLock}); waits for a stream credit
     * first, interruptibly: the caller is never in socket I/O here.
     */
    void sendStreamed(Request fragment, SecurityContextHandle security) {
        try {
            streamCredits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcTransportException("call " + fragment.callId() + " interrupted", e);
        }
        sendLock.lock();
        try {
            byte[] wire = security == null ? PduCodec.encode(fragment) : security.protect(fragment);
            RpcException f = failure;
            if (f != null) {
                streamCredits.release();
                throw f;
            }
            outbox.offer(new Batch(List.of(wire), true));
        } finally {
            sendLock.unlock();
        }
    }

    /** Opens a streaming call (an operation with pipes). */
    StreamingCall open(BoundInterface b, int opnum, Uuid object) {
        RpcException f = failure;
        if (f != null) throw f;
        Semaphore gate = callGate;
        if (gate != null) gate.acquireUninterruptibly();
        int callId = nextCallId();
        try {
            ResponseQueue stream = new ResponseQueue(callId, b.timeout);
            SecurityContextHandle security = b.security;
            register(callId, stream, security);
            // null without authentication, and at CONNECT while the connection holds one context: no verifier
            SecTrailer template = security == null ? null : security.template(multiplexed);
            int space = new Fragmenter(maxXmitFrag, template).stubSpace(object != null);
            return new ClientStreamingCall(this, b.syntax, options.ndr(), callId, b.contextId, opnum, object, space,
                    template, security, stream, gate);
        } catch (RuntimeException e) {
            pending.remove(callId);
            if (gate != null) gate.release();
            throw e;
        }
    }

    /** The streaming call is over: forget it. */
    void forget(int callId) {
        pending.remove(callId);
    }

    /** The writer thread: writes batches in order, flushing when the queue runs dry. */
    private void writeLoop() {
        try {
            while (true) {
                Batch batch = outbox.take();
                while (batch != null) {
                    if (batch.pdus().isEmpty()) return;
                    for (byte[] b : batch.pdus()) out.write(b);
                    if (batch.credited()) streamCredits.release();
                    batch = outbox.poll();
                }
                out.flush();
            }
        } catch (IOException e) {
            fail(new RpcTransportException("sending to " + connection.remoteAddress() + " failed: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            // only close() stops the writer, with an empty batch; nothing interrupts it
        }
    }

    /** The reader thread: routes answers by call_id and joins response fragments. */
    private void readLoop() {
        Framer framer = new Framer(connection.input(), 0xFFFF);
        try {
            while (true) {
                byte[] fragment = framer.readFragment();
                if (fragment == null) {
                    fail(new RpcTransportException("the server closed the connection", null));
                    return;
                }
                SecurityContextHandle under = multiplexed ? underNamed(fragment) : primary;
                Pdu pdu = under == null ? PduCodec.decode(fragment) : under.protector().unprotect(fragment);
                switch (pdu) {
                    case Response r -> response(r, under);
                    case Fault f -> answer(f.callId(), f);
                    case BindAck a -> answer(a.callId(), a);
                    case BindNak n -> answer(n.callId(), n);
                    case AlterContextResp a -> answer(a.callId(), a);
                    case Shutdown s -> {
                        // The server asks us to go (C706 12.6.4.11): let running calls fail, take no new ones.
                        fail(new RpcTransportException("the server shut the connection down", null));
                        return;
                    }
                    case Request r -> throw ProtocolException.protoError("request from a server (callbacks unsupported)");
                    case Bind b -> throw ProtocolException.protoError("bind from a server");
                    case AlterContext a -> throw ProtocolException.protoError("alter_context from a server");
                    case Auth3 a -> throw ProtocolException.protoError("auth3 from a server");
                    case CoCancel c -> throw ProtocolException.protoError("co_cancel from a server");
                    case Orphaned o -> throw ProtocolException.protoError("orphaned from a server");
                    case Rts r -> throw ProtocolException.protoError("rts outside ncacn_http");
                }
            }
        } catch (IOException | ProtocolException e) {
            fail(new RpcTransportException("connection to " + connection.remoteAddress() + " failed: " + e.getMessage(), e));
        }
    }

    /**
     * With several security contexts, the one a fragment's sec_trailer names (null when it carries none): every
     * response is verified, even an abandoned call's, so that its context's sequence and cipher state stay in step.
     */
    private SecurityContextHandle underNamed(byte[] fragment) {
        if (fragment[2] != PType.RESPONSE) return null; // faults go unsigned; auth legs name contexts still building
        OptionalInt id = SecTrailer.contextIdOf(fragment);
        if (id.isEmpty()) return null;
        SecurityContextHandle s = securityById.get(id.getAsInt());
        if (s == null) throw ProtocolException.protoError("a PDU names security context " + id.getAsInt() + ", unknown here");
        return s;
    }

    /** A response fragment, verified under {@code under} (or carrying no verifier when null). */
    private void response(Response r, SecurityContextHandle under) {
        Exchange ex = pending.get(r.callId());
        if (ex == null) return; // an abandoned call's answer
        if (ex.security != under && ex.security != null && ex.security.protectsPdus()) {
            // An answer under another context than its request's is not the answer of the request's principal.
            throw ProtocolException.protoError("the response of call " + r.callId() + " comes under security context "
                    + (under == null ? "none" : under.authContextId) + ", its request under " + ex.security.authContextId);
        }
        if (ex.stream != null) {
            // Streamed: no size limit (that is the point), one fragment at a time to the caller.
            if (ex.stream.started == PfcFlags.has(r.flags(), PfcFlags.FIRST_FRAG)) {
                throw ProtocolException.protoError("response fragments of call " + r.callId() + " out of order");
            }
            ex.stream.started = true;
            ex.stream.offer(r.stub(), PfcFlags.has(r.flags(), PfcFlags.LAST_FRAG));
            return;
        }
        if (ex.parts.isEmpty() != PfcFlags.has(r.flags(), PfcFlags.FIRST_FRAG)) {
            throw ProtocolException.protoError("response fragments of call " + r.callId() + " out of order");
        }
        if (r.stub().length > options.maxResponseSize() - ex.size) {
            pending.remove(r.callId());
            ex.complete(new RpcTransportException("response over " + options.maxResponseSize() + " bytes", null));
            return;
        }
        ex.parts.add(r.stub());
        ex.size += r.stub().length;
        if (!PfcFlags.has(r.flags(), PfcFlags.LAST_FRAG)) return;
        byte[] stub;
        if (ex.parts.size() == 1) {
            stub = ex.parts.get(0);
        } else {
            stub = new byte[ex.size];
            int off = 0;
            for (byte[] p : ex.parts) {
                System.arraycopy(p, 0, stub, off, p.length);
                off += p.length;
            }
        }
        ex.parts.clear();
        ex.complete(stub);
    }

    private void answer(int callId, Pdu pdu) {
        Exchange ex = pending.get(callId);
        if (ex != null) ex.complete(pdu);
    }

    /** Fails every waiting caller and every later call with {@code e}. */
    private void fail(RpcException e) {
        if (failure == null) failure = e;
        outbox.offer(new Batch(List.of(), false));
        streamCredits.release(STREAM_CREDITS); // a caller waiting to stream sees the failure next
        connection.close();
        for (Exchange ex : pending.values()) ex.complete(e);
    }

    @Override
    public void close() {
        fail(new RpcTransportException("the client was closed", null));
        try {
            reader.join();
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An interface bound on this connection. */
    static final class BoundInterface implements BindingHandle {
        private final ClientConnection connection;
        private final SyntaxId iface;
        final int contextId;
        final TransferSyntax syntax;
        final Duration timeout;
        /** The security context its calls run under; null for none. */
        final SecurityContextHandle security;
        /** Whether a verification trailer already carried this context's PCONTEXT (a withTimeout view sends it once more: harmless). */
        volatile boolean contextVouched;

        BoundInterface(ClientConnection connection, SyntaxId iface, int contextId, TransferSyntax syntax,
                       Duration timeout, SecurityContextHandle security) {
            this.connection = connection;
            this.iface = iface;
            this.contextId = contextId;
            this.syntax = syntax;
            this.timeout = timeout;
            this.security = security;
        }

        /** The same presentation context with its calls under {@code other}. */
        BoundInterface under(SecurityContextHandle other) {
            return other == security ? this : new BoundInterface(connection, iface, contextId, syntax, timeout, other);
        }

        /** The presentation context as it was accepted: presented again by the alter_context of a further context. */
        ContextElement element() {
            return ContextElement.of(contextId, iface, syntax.id());
        }

        @Override
        public BindingHandle withTimeout(Duration timeout) {
            if (timeout.isNegative()) throw new IllegalArgumentException("a negative timeout");
            return new BoundInterface(connection, iface, contextId, syntax, timeout, security);
        }

        @Override
        public BindingHandle withAuth(ClientAuth auth) {
            return connection.bind(iface, java.util.Objects.requireNonNull(auth, "auth")).withTimeoutOf(this);
        }

        private BoundInterface withTimeoutOf(BoundInterface other) {
            return timeout.equals(other.timeout) ? this
                    : new BoundInterface(connection, iface, contextId, syntax, other.timeout, security);
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        @Override
        public SyntaxId interfaceId() {
            return iface;
        }

        @Override
        public TransferSyntax syntax() {
            return syntax;
        }

        @Override
        public NdrReader call(int opnum, NdrWriter request) {
            return connection.call(this, opnum, null, request);
        }

        @Override
        public NdrReader call(int opnum, Uuid object, NdrWriter request) {
            return connection.call(this, opnum, object, request);
        }

        @Override
        public StreamingCall open(int opnum, Uuid object) {
            return connection.open(this, opnum, object);
        }
    }
}
