package dev.weft.transport.internal;

import dev.weft.transport.Connection;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Protseq;
import dev.weft.transport.RemoteAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Connection} over a blocking {@link SocketChannel} (TCP or Unix domain). The streams are thin adapters of
 * our own rather than {@code Channels.newInputStream}, so that a reader and a writer never contend for one lock and
 * nothing pins a virtual thread.
 */
public final class ChannelConnection implements Connection {

    private final SocketChannel channel;
    private final Protseq protseq;
    private final Endpoint local;
    private final RemoteAddress remote;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InputStream input = new In();
    private final OutputStream output = new Out();

    public ChannelConnection(SocketChannel channel, Protseq protseq, Endpoint local, RemoteAddress remote) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.protseq = Objects.requireNonNull(protseq, "protseq");
        this.local = Objects.requireNonNull(local, "local");
        this.remote = Objects.requireNonNull(remote, "remote");
    }

    /** The channel, for transport-specific tests. */
    SocketChannel channel() {
        return channel;
    }

    @Override
    public Protseq protseq() {
        return protseq;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public RemoteAddress remoteAddress() {
        return remote;
    }

    @Override
    public Endpoint localEndpoint() {
        return local;
    }

    @Override
    public void shutdownOutput() throws IOException {
        try {
            channel.shutdownOutput();
        } catch (ClosedChannelException e) {
            throw closedException(e);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            IoUtil.closeQuietly(channel);
        }
    }

    private IOException closedException(ClosedChannelException e) {
        String what = closed.get() || !channel.isOpen() ? "is closed" : "has shut down its output";
        SocketException se = new SocketException(this + " " + what);
        se.initCause(e);
        return se;
    }

    @Override
    public String toString() {
        return protseq.token() + " connection " + local + " <-> " + remote;
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            try {
                return channel.read(ByteBuffer.wrap(b, off, len)); // blocking: at least one byte, or -1
            } catch (ClosedChannelException e) {
                throw closedException(e);
            }
        }

        @Override
        public void close() {
            ChannelConnection.this.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (ClosedChannelException e) {
                throw closedException(e);
            }
        }

        @Override
        public void close() {
            ChannelConnection.this.close();
        }
    }
}
