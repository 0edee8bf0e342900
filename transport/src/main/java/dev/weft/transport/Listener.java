package dev.weft.transport;

import java.io.Closeable;
import java.io.IOException;

/**
 * A bound, listening endpoint. Accept on one thread (a virtual thread per listener is the intended shape) and hand
 * each connection to a thread of its own; close from any thread to stop.
 */
public interface Listener extends Closeable {

    /**
     * The endpoint actually bound: the real port when port 0 was asked for, the generated name when an
     * {@code ncalrpc} listener was asked for without one. Give it to clients or register it with the endpoint
     * mapper.
     */
    Endpoint endpoint();

    /**
     * Blocks until a client connects.
     *
     * @throws ListenerClosedException if the listener is closed, before or while this call blocks
     * @throws IOException if accepting failed for another reason (the listener may still be usable)
     */
    Connection accept() throws IOException;

    /** Whether {@link #close()} has not been called yet. */
    boolean isOpen();

    /**
     * Stops listening: frees the endpoint (for {@code ncalrpc}, deletes the socket file) and makes a blocked or
     * later {@link #accept()} throw {@link ListenerClosedException}. Connections already accepted stay open.
     * Idempotent; never throws.
     */
    @Override
    void close();
}
