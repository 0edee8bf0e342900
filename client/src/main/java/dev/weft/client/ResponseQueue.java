package dev.weft.client;

import dev.weft.ndr.ByteSource;
import dev.weft.pdu.Fault;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The response of a streaming call as it arrives: the connection's reader hands each fragment's stub here and the
 * caller's streaming reader takes them. At most {@link #CAPACITY} fragments wait; when the caller decodes more
 * slowly, the reader blocks and stops reading the socket, and TCP slows the server (back-pressure), so a 1 GiB
 * [out] pipe costs a few fragments of memory. A fault or the connection's failure ends the stream for the caller.
 */
final class ResponseQueue implements ByteSource {
    static final int CAPACITY = 32;
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Semaphore credits = new Semaphore(CAPACITY);
    private final int callId;
    private final Duration timeout;
    private volatile boolean closed;
    /** Whether the last fragment arrived (reader thread) — then the call needs no cancel. */
    private volatile boolean complete;
    /** Reader thread: whether the first fragment arrived. */
    boolean started;
    private byte[] current;
    private int pos;
    private boolean ended;

    ResponseQueue(int callId, Duration timeout) {
        this.callId = callId;
        this.timeout = timeout;
    }

    /** Reader thread: one fragment's stub; blocks while {@link #CAPACITY} wait. */
    void offer(byte[] stub, boolean last) {
        if (closed) return;
        credits.acquireUninterruptibly();
        if (closed) return;
        queue.add(stub);
        if (last) {
            complete = true;
            queue.add(END);
        }
    }

    /** A fault or a failure (an {@link RpcException}) ends the stream. */
    void fail(Object failure) {
        complete = true;
        queue.add(failure);
    }

    boolean complete() {
        return complete;
    }

    /** The caller is done: drop what is queued and what comes, and unblock the reader. */
    void close() {
        closed = true;
        queue.clear();
        credits.release(CAPACITY);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        while (current == null || pos == current.length) {
            if (ended) return -1;
            Object o = take();
            if (o == END) {
                ended = true;
                return -1;
            }
            switch (o) {
                case byte[] stub -> {
                    credits.release();
                    current = stub;
                    pos = 0;
                }
                case Fault f -> throw new RpcFaultException(f.status());
                case RpcException e -> throw e;
                default -> throw new RpcTransportException("unexpected answer to call " + callId + ": " + o, null);
            }
        }
        int n = Math.min(length, current.length - pos);
        System.arraycopy(current, pos, buffer, offset, n);
        pos += n;
        return n;
    }

    private Object take() {
        try {
            Object o = timeout.isZero() ? queue.take() : queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (o == null) throw new RpcTimeoutException(callId, timeout);
            return o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcTransportException("call " + callId + " interrupted", e);
        }
    }
}
