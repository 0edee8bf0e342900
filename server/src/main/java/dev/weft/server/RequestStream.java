package dev.weft.server;

import dev.weft.ndr.ByteSource;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The request stub of a call that was dispatched at its first fragment (an operation with an {@code [in]} pipe):
 * the connection's reader hands each later fragment's stub here and the call's streaming reader takes them.
 *
 * <p>At most {@link #CAPACITY} fragments wait: when the service reads more slowly than the client sends, the
 * reader blocks, stops reading the socket, and TCP slows the client (back-pressure), so memory stays at a few
 * fragments whatever the pipe's length. Once the call ends, what still arrives is dropped.
 */
final class RequestStream implements ByteSource {
    /** Fragments waiting for the call: 32 of at most 5840 bytes by default. */
    static final int CAPACITY = 32;
    /** The end of the stub; identity matters, an empty fragment is not the end. */
    private static final byte[] END = new byte[0];

    final int callId;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final Semaphore credits = new Semaphore(CAPACITY);
    private volatile boolean closed;
    private byte[] current;
    private int pos;

    RequestStream(int callId) {
        this.callId = callId;
    }

    /** Reader thread: one fragment's stub; blocks while {@link #CAPACITY} wait. */
    void offer(byte[] stub) {
        if (closed) return;
        credits.acquireUninterruptibly();
        if (closed) return;
        queue.add(stub);
    }

    /** Reader thread: the last fragment arrived. */
    void end() {
        queue.add(END);
    }

    /** The call ended (or the connection did): drop what is queued and what comes, and unblock the reader. */
    void close() {
        closed = true;
        queue.clear();
        credits.release(CAPACITY);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        while (current == null || pos == current.length) {
            if (current == END) return -1;
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("call " + callId + " cancelled while reading its request");
            }
            pos = 0;
            if (current != END) credits.release();
        }
        int n = Math.min(length, current.length - pos);
        System.arraycopy(current, pos, buffer, offset, n);
        pos += n;
        return n;
    }
}
