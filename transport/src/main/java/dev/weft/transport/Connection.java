package dev.weft.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connected, blocking byte stream between an RPC client and server.
 *
 * <p>One thread may read while another writes. Writes are not buffered: each {@code write} hands its bytes to the
 * socket before returning, so {@code flush()} is a no-op. Concurrent writers must take turns themselves (the RPC
 * layers hold one lock per connection so that a PDU's fragments are never interleaved).
 *
 * <p>To stop a thread blocked in {@code read}, {@link #close()} the connection: the read then throws an
 * {@link IOException}. Interrupting the thread is not how it is done.
 */
public interface Connection extends Closeable {

    /** The protocol sequence this connection runs over. */
    Protseq protseq();

    /**
     * The bytes from the peer. {@code read} blocks; it returns -1 once the peer has shut down its output or closed
     * and everything before was read, and throws {@link IOException} if the connection was reset or closed here.
     * Closing the stream closes the connection.
     */
    InputStream input();

    /** The bytes to the peer. Closing the stream closes the connection. */
    OutputStream output();

    /** Who is at the other end; its {@link RemoteAddress#identity() identity} is the same-client key. */
    RemoteAddress remoteAddress();

    /**
     * This end: for a connection a listener accepted, the listener's endpoint (with the local address actually
     * used, for TCP); for an outgoing one, the local address and port (TCP) or a nameless endpoint (ncalrpc).
     */
    Endpoint localEndpoint();

    /**
     * Half-closes: tells the peer there is nothing more to read (it reads EOF) while this end can still read.
     *
     * @throws IOException if the connection is closed or the transport cannot half-close
     */
    void shutdownOutput() throws IOException;

    /** Whether {@link #close()} has not been called yet (it says nothing about the peer). */
    boolean isOpen();

    /** Closes the connection, unblocking any thread reading or writing it. Idempotent; never throws. */
    @Override
    void close();
}
