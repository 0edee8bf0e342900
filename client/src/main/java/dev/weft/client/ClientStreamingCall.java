package dev.weft.client;

import dev.weft.ndr.NdrLimits;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Request;
import dev.weft.pdu.SecTrailer;
import dev.weft.pdu.StreamFragmenter;
import java.util.Arrays;
import java.util.concurrent.Semaphore;

/** {@link StreamingCall} on a {@link ClientConnection}. */
final class ClientStreamingCall implements StreamingCall {
    private final ClientConnection connection;
    private final TransferSyntax syntax;
    private final NdrLimits limits;
    private final int callId;
    private final int contextId;
    private final int opnum;
    private final Uuid object;
    private final SecTrailer authTemplate;
    private final SecurityContextHandle security;
    private final ResponseQueue stream;
    private final Semaphore gate;
    private final StreamFragmenter fragmenter;
    private NdrWriter writer;
    private NdrReader reader;
    /** Whether this call holds the connection's request lock (from its first fragment to its last). */
    private boolean holdsRequestLock;
    private boolean requestDone;
    private boolean closed;

    ClientStreamingCall(ClientConnection connection, TransferSyntax syntax, NdrLimits limits, int callId,
                        int contextId, int opnum, Uuid object, int stubSpace, SecTrailer authTemplate,
                        SecurityContextHandle security, ResponseQueue stream, Semaphore gate) {
        this.connection = connection;
        this.syntax = syntax;
        this.limits = limits;
        this.callId = callId;
        this.contextId = contextId;
        this.opnum = opnum;
        this.object = object;
        this.authTemplate = authTemplate;
        this.security = security;
        this.stream = stream;
        this.gate = gate;
        this.fragmenter = new StreamFragmenter(stubSpace, this::fragment);
    }

    @Override
    public NdrWriter request() {
        if (writer == null) writer = new NdrWriter(syntax, 16384).streamTo(fragmenter, 8192);
        return writer;
    }

    @Override
    public NdrReader response() {
        if (reader != null) return reader;
        request().flush();
        fragmenter.finish();
        requestDone = true;
        unlockRequests();
        reader = new NdrReader(syntax, stream, false, limits);
        return reader;
    }

    private void fragment(byte[] stub, int length, int flags, int allocHint) {
        if (!holdsRequestLock) {
            connection.requestLock.lock();
            holdsRequestLock = true;
        }
        connection.sendStreamed(new Request(flags, Drep.LITTLE_ENDIAN, callId, allocHint, contextId, opnum, object,
                Arrays.copyOf(stub, length), authTemplate), security);
    }

    private void unlockRequests() {
        if (holdsRequestLock) {
            holdsRequestLock = false;
            connection.requestLock.unlock();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (!stream.complete()) {
                // Given up half way (an exception, a timeout, an interrupt): the server must stop too. Sent before the
                // request lock goes, so no other request's fragment can follow our unfinished request.
                connection.abandon(callId);
            }
        } finally {
            unlockRequests();
            stream.close();
            connection.forget(callId);
            if (gate != null) gate.release();
        }
    }

    boolean requestDone() {
        return requestDone;
    }
}
