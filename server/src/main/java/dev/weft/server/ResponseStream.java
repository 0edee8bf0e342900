package dev.weft.server;

import dev.weft.ndr.ByteSink;
import dev.weft.ndr.NdrWriter;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Fault;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PduProtector;
import dev.weft.pdu.Response;
import dev.weft.pdu.StreamFragmenter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The response of a call whose stub streams (an operation with an {@code [out]} pipe): the call's streaming writer
 * hands its bytes here, and each full fragment goes out on the call's own thread as soon as it is known not to be
 * the last, signed or sealed when the connection is protected.
 *
 * <p>The connection's write lock is taken at the first fragment and held until the last (or the fault that ends
 * a failed stream): the fragments of two responses never interleave on the wire, which every client can
 * reassemble, and the security context signs fragments in wire order. While a pipe streams, other answers on
 * the connection wait; the protocol's fragment order leaves no better choice for peers that expect whole
 * responses. Each socket write is an I/O section of the {@link ActiveCall}, so a cancel never interrupts it.
 */
final class ResponseStream implements ByteSink {
    private final ActiveCall call;
    private final ReentrantLock writeLock;
    private final OutputStream out;
    private final PduProtector protector;
    private final int contextId;
    private final LongAdder packets;
    private final StreamFragmenter fragmenter;
    private boolean locked;
    private boolean broken;
    /** Set once the service returned and {@link ActiveCall#finish} ran: nothing can interrupt the thread now. */
    private boolean serviceDone;

    ResponseStream(ActiveCall call, ReentrantLock writeLock, OutputStream out, PduProtector protector, int maxFragment,
                   int contextId, LongAdder packets) {
        this.call = call;
        this.writeLock = writeLock;
        this.out = out;
        this.protector = protector;
        this.contextId = contextId;
        this.packets = packets;
        // No verifier without a protector, nor at CONNECT level (template() is null there).
        int space = new Fragmenter(maxFragment, protector == null ? null : protector.template()).stubSpace(false);
        this.fragmenter = new StreamFragmenter(space, this::write);
    }

    @Override
    public void accept(byte[] buffer, int offset, int length) {
        fragmenter.accept(buffer, offset, length);
    }

    /** Whether fragments went out: then a failure can only end the response with a fault. */
    boolean started() {
        return fragmenter.started();
    }

    /** Whether the connection failed under a write: nothing more can be sent. */
    boolean broken() {
        return broken;
    }

    long bytes() {
        return fragmenter.total();
    }

    /** The service returned and the call can no longer be interrupted. */
    void serviceReturned() {
        serviceDone = true;
    }

    private boolean beginIo() {
        return serviceDone || call.beginIo();
    }

    private void endIo() {
        if (!serviceDone) call.endIo();
    }

    /** After the service returned: the buffered rest of the stub, then the last fragment. */
    void finish(NdrWriter w) {
        w.flush();
        fragmenter.finish();
    }

    /** Ends a started response with a fault (the client drops the partial stub). */
    void fault(int status) {
        if (broken) return;
        byte[] pdu = PduCodec.encode(Fault.of(call.callId, contextId, status, false));
        if (!beginIo()) return;
        try {
            lock();
            out.write(pdu);
            out.flush();
            packets.increment();
        } catch (IOException e) {
            broken = true;
        } finally {
            endIo();
        }
    }

    /** Lets other answers out again; always called once the call is over. */
    void release() {
        if (locked) {
            locked = false;
            writeLock.unlock();
        }
    }

    private void lock() {
        if (!locked) {
            writeLock.lock();
            locked = true;
        }
    }

    private void write(byte[] stub, int length, int flags, int allocHint) {
        if (broken) throw new UncheckedIOException(new IOException("the connection failed"));
        if (!beginIo()) throw new CancellationException("call " + call.callId + " cancelled");
        try {
            lock();
            byte[] wire = protector == null
                    ? PduCodec.encodeResponse(flags, call.callId, allocHint, contextId, stub, 0, length)
                    : protector.protect(new Response(flags, Drep.LITTLE_ENDIAN, call.callId, allocHint, contextId, 0,
                    Arrays.copyOf(stub, length), protector.template()));
            out.write(wire);
            out.flush();
            packets.increment();
        } catch (IOException e) {
            broken = true;
            throw new UncheckedIOException(e);
        } finally {
            endIo();
        }
    }
}
