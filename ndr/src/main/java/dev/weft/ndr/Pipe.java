package dev.weft.ndr;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * A bounded channel of chunks between two threads: one pushes, the other pulls. It turns the stubs' push and pull
 * ends into a producer/consumer pair, for example a client that wants its {@code [out]} pipe as a stream on its
 * own thread while the call runs on another, or a server that produces its {@code [out]} pipe elsewhere.
 *
 * <p>The queue is bounded, so a slow consumer slows the producer and at most {@code capacity} chunks are ever
 * held. {@link #close()} ends the pipe (the consumer drains and then gets {@code null}); {@link #fail} ends it with
 * an error the consumer sees instead. A thread interrupted while it waits gets an {@link InterruptedIOException}
 * with its interrupt status kept, so a cancelled call ends.
 */
public final class Pipe<T> implements PipeSource<T>, PipeSink<T>, AutoCloseable {
    /** Marks the end in the queue; never a chunk. */
    private static final Object END = new Object();

    /** Unbounded itself: the credits bound the chunks, so the end marker always fits behind them. */
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Semaphore credits;
    private volatile boolean closed;
    private volatile IOException failure;

    /** A channel holding at most {@code capacity} chunks. */
    public Pipe(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        this.credits = new Semaphore(capacity);
    }

    @Override
    public void push(T chunk) throws IOException {
        if (chunk == null) throw new NullPointerException("chunk");
        if (closed) throw new IOException("pipe closed");
        try {
            credits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while pushing a pipe chunk");
        }
        queue.add(chunk);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T pull() throws IOException {
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while pulling a pipe chunk");
        }
        if (o == END) {
            queue.add(END); // every later pull sees the end too
            IOException f = failure;
            if (f != null) throw new IOException(f.getMessage(), f);
            return null;
        }
        credits.release();
        return (T) o;
    }

    /** Ends the pipe: the consumer gets what was pushed, then {@code null}. Idempotent. */
    @Override
    public void close() {
        end();
    }

    /** Ends the pipe with an error: the consumer gets what was pushed, then {@code failure}. */
    public void fail(IOException failure) {
        this.failure = failure;
        end();
    }

    private void end() {
        if (closed) return;
        closed = true;
        queue.add(END);
    }
}
