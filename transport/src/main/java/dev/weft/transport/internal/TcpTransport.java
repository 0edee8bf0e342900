package dev.weft.transport.internal;

import dev.weft.transport.Connection;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Listener;
import dev.weft.transport.Protseq;
import dev.weft.transport.RemoteAddress;
import dev.weft.transport.Transport;
import dev.weft.transport.UnresolvedEndpointException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code ncacn_ip_tcp} (MS-RPCE 2.1.1.1): IPv4 and IPv6, TCP_NODELAY (RPC is request/response: Nagle would hold
 * back every last fragment) and SO_KEEPALIVE (so a vanished peer eventually ends its association and runs down its
 * context handles).
 */
public final class TcpTransport implements Transport {

    /** The listen backlog; the kernel may cap it (somaxconn). */
    static final int BACKLOG = 512;

    @Override
    public Protseq protseq() {
        return Protseq.NCACN_IP_TCP;
    }

    @Override
    public Connection connect(Endpoint endpoint, Duration timeout) throws IOException {
        IoUtil.checkProtseq(Protseq.NCACN_IP_TCP, endpoint);
        if (endpoint.name() == null) {
            throw new UnresolvedEndpointException(endpoint);
        }
        int port = endpoint.port();
        if (port == 0) {
            throw new IllegalArgumentException("cannot connect to port 0: " + endpoint);
        }
        long deadline = System.nanoTime() + IoUtil.positiveNanos(timeout);
        String host = endpoint.networkAddress();
        InetAddress[] addresses = host.isEmpty()
                ? new InetAddress[] {InetAddress.getLoopbackAddress()}
                : InetAddress.getAllByName(host);
        IOException failure = null;
        for (InetAddress address : addresses) { // every address of a name, until one answers or time is up
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                break;
            }
            SocketChannel channel = SocketChannel.open();
            try {
                channel.socket().connect(new InetSocketAddress(address, port),
                        (int) Math.min(Integer.MAX_VALUE, remainingMillis));
                return setUp(channel);
            } catch (SocketTimeoutException e) {
                IoUtil.closeQuietly(channel);
                failure = withCause(new SocketTimeoutException(
                        "timed out after " + timeout + " connecting to " + endpoint + " (" + IoUtil.literal(address) + ")"), e);
            } catch (ConnectException e) {
                IoUtil.closeQuietly(channel);
                failure = withCause(new ConnectException(
                        "cannot connect to " + endpoint + " (" + IoUtil.literal(address) + "): " + e.getMessage()), e);
            } catch (IOException | RuntimeException | Error e) {
                IoUtil.closeQuietly(channel);
                throw e;
            }
        }
        throw failure != null ? failure : new SocketTimeoutException("timed out after " + timeout + " connecting to " + endpoint);
    }

    @Override
    public Listener listen(Endpoint endpoint) throws IOException {
        IoUtil.checkProtseq(Protseq.NCACN_IP_TCP, endpoint);
        int port = endpoint.name() == null ? 0 : endpoint.port();
        String host = endpoint.networkAddress();
        InetSocketAddress bindAddress = host.isEmpty()
                ? new InetSocketAddress(port) // every interface
                : new InetSocketAddress(InetAddress.getByName(host), port);
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(bindAddress, BACKLOG);
        } catch (BindException e) {
            IoUtil.closeQuietly(server);
            throw withCause(new BindException("cannot listen on " + endpoint + ": " + e.getMessage()), e);
        } catch (IOException | RuntimeException | Error e) {
            IoUtil.closeQuietly(server);
            throw e;
        }
        int boundPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
        Endpoint bound = new Endpoint(Protseq.NCACN_IP_TCP, host, Integer.toString(boundPort));
        return new ChannelListener(server, bound, TcpTransport::setUp, () -> { });
    }

    private static Connection setUp(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        if (remote == null) {
            throw new IOException("connection closed before setup");
        }
        String peer = IoUtil.literal(remote.getAddress());
        return new ChannelConnection(channel, Protseq.NCACN_IP_TCP,
                Endpoint.tcp(IoUtil.literal(local.getAddress()), local.getPort()),
                new RemoteAddress(Protseq.NCACN_IP_TCP, peer, IoUtil.hostPort(peer, remote.getPort())));
    }

    private static <T extends IOException> T withCause(T e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    @Override
    public String toString() {
        return "ncacn_ip_tcp transport";
    }
}
