package dev.weft.transport.internal;

import dev.weft.transport.Connection;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Listener;
import dev.weft.transport.ListenerClosedException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link Listener} over a blocking {@link ServerSocketChannel}. */
final class ChannelListener implements Listener {

    private static final System.Logger LOG = System.getLogger(ChannelListener.class.getName());

    /** Turns an accepted channel into a connection (options, addresses). */
    @FunctionalInterface
    interface Setup {
        Connection create(SocketChannel channel) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Endpoint endpoint;
    private final Setup setup;
    private final Runnable afterClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    ChannelListener(ServerSocketChannel server, Endpoint endpoint, Setup setup, Runnable afterClose) {
        this.server = Objects.requireNonNull(server, "server");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.setup = Objects.requireNonNull(setup, "setup");
        this.afterClose = Objects.requireNonNull(afterClose, "afterClose");
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Connection accept() throws IOException {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept(); // AsynchronousCloseException (a ClosedChannelException) when closed
            } catch (ClosedChannelException e) {
                throw new ListenerClosedException(endpoint, e);
            }
            try {
                return setup.create(channel);
            } catch (IOException e) {
                // The peer went away between accept and setup: not the listener's problem, wait for the next one.
                IoUtil.closeQuietly(channel);
                LOG.log(System.Logger.Level.DEBUG, () -> "dropped a connection to " + endpoint + " during setup", e);
            } catch (RuntimeException | Error e) {
                IoUtil.closeQuietly(channel);
                throw e;
            }
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            IoUtil.closeQuietly(server);
            afterClose.run();
        }
    }

    @Override
    public String toString() {
        return "listener " + endpoint + (closed.get() ? " (closed)" : "");
    }
}
