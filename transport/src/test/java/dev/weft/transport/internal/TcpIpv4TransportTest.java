package dev.weft.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.transport.AbstractTransportContractTest;
import dev.weft.transport.Connection;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Listener;
import dev.weft.transport.Protseq;
import dev.weft.transport.Transport;
import dev.weft.transport.Transports;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The contract over ncacn_ip_tcp on 127.0.0.1, plus what is TCP's own. */
class TcpIpv4TransportTest extends AbstractTransportContractTest {

    @Override
    protected Transport newTransport() {
        return Transports.tcp();
    }

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.tcp("127.0.0.1", 0);
    }

    @Override
    protected void assertAddresses(Listener listener, Connection serverSide, Connection clientSide) {
        Endpoint clientLocal = clientSide.localEndpoint();
        assertEquals("127.0.0.1", clientLocal.networkAddress());
        assertEquals("127.0.0.1", serverSide.remoteAddress().identity(), "the identity is the IP, without the port");
        assertEquals("127.0.0.1:" + clientLocal.port(), serverSide.remoteAddress().description());
        assertEquals("127.0.0.1", clientSide.remoteAddress().identity());
        assertEquals("127.0.0.1:" + listener.endpoint().port(), clientSide.remoteAddress().toString());
        assertEquals(Endpoint.tcp("127.0.0.1", listener.endpoint().port()), serverSide.localEndpoint());
    }

    @Test
    void portZeroListensOnAnEphemeralPortAndReportsIt() throws Exception {
        try (Listener listener = transport.listen(Endpoint.tcp("127.0.0.1", 0))) {
            int port = listener.endpoint().port();
            assertTrue(port > 0 && port <= 65535, "bound port " + port);
            assertEquals("ncacn_ip_tcp:127.0.0.1[" + port + "]", listener.endpoint().toString());
        }
        try (Listener listener = transport.listen(new Endpoint(Protseq.NCACN_IP_TCP, "127.0.0.1", null))) {
            assertTrue(listener.endpoint().port() > 0, "a null endpoint listens on an ephemeral port too");
        }
    }

    @Test
    void bothEndsSetTcpNoDelayAndKeepAlive() throws Exception {
        try (Listener listener = transport.listen(listenEndpoint());
             Connection client = transport.connect(listener.endpoint(), CONNECT_TIMEOUT);
             Connection server = listener.accept()) {
            for (Connection c : new Connection[] {client, server}) {
                ChannelConnection cc = assertInstanceOf(ChannelConnection.class, c);
                assertTrue(cc.channel().getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY on " + c);
                assertTrue(cc.channel().getOption(StandardSocketOptions.SO_KEEPALIVE), "SO_KEEPALIVE on " + c);
            }
        }
    }

    @Test
    void emptyAddressConnectsToLoopbackAndHostNamesResolve() throws Exception {
        try (Listener listener = transport.listen(listenEndpoint())) {
            int port = listener.endpoint().port();
            try (Connection c = transport.connect(Endpoint.tcp("", port), CONNECT_TIMEOUT);
                 Connection s = listener.accept()) {
                c.output().write(1);
                assertEquals(1, s.input().read());
            }
            assumeTrue(Arrays.stream(InetAddress.getAllByName("localhost"))
                            .anyMatch(a -> a.getHostAddress().equals("127.0.0.1")),
                    "localhost does not resolve to 127.0.0.1 here");
            // every address of the name is tried: ::1 (if listed first) refuses, 127.0.0.1 answers
            try (Connection c = transport.connect(Endpoint.tcp("localhost", port), CONNECT_TIMEOUT);
                 Connection s = listener.accept()) {
                s.output().write(new byte[] {1, 2});
                assertArrayEquals(new byte[] {1, 2}, c.input().readNBytes(2));
            }
        }
    }

    @Test
    void portZeroIsNotAConnectTarget() {
        assertThrows(IllegalArgumentException.class, () -> transport.connect(Endpoint.tcp("127.0.0.1", 0), CONNECT_TIMEOUT));
    }

    @Test
    void connectTimesOutWhenTheBacklogIsFull() throws Exception {
        // A listener nobody accepts on, with the smallest backlog: once its queue is full the kernel drops SYNs,
        // and a connect can only end by its timeout.
        try (ServerSocketChannel full = ServerSocketChannel.open()) {
            full.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1);
            Endpoint endpoint = Endpoint.tcp("127.0.0.1", ((InetSocketAddress) full.getLocalAddress()).getPort());
            IOException last = null;
            for (int i = 0; i < 50 && !(last instanceof SocketTimeoutException); i++) {
                try {
                    track(transport.connect(endpoint, Duration.ofMillis(300)));
                } catch (IOException e) {
                    last = e;
                }
            }
            assumeTrue(!(last instanceof ConnectException), "this kernel resets instead of dropping: " + last);
            SocketTimeoutException e = assertInstanceOf(SocketTimeoutException.class, last);
            assertTrue(e.getMessage().contains(endpoint.toString()), e.getMessage());
        }
    }

    @Test
    void addressLiterals() throws Exception {
        assertEquals("127.0.0.1", IoUtil.literal(InetAddress.getByName("127.0.0.1")));
        assertEquals("::1", IoUtil.literal(InetAddress.getByName("0:0:0:0:0:0:0:1")));
        assertEquals("::", IoUtil.literal(InetAddress.getByName("0:0:0:0:0:0:0:0")));
        assertEquals("1::", IoUtil.literal(InetAddress.getByName("1:0:0:0:0:0:0:0")));
        assertEquals("2001:db8::1:0:0:1", IoUtil.literal(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", IoUtil.literal(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("fe80:0:0:1::2", IoUtil.literal(InetAddress.getByName("fe80:0:0:1:0:0:0:2"))); // the longest run
        assertEquals("1::2:0:0:3:4", IoUtil.literal(InetAddress.getByName("1:0:0:2:0:0:3:4"))); // the first of equals
        assertEquals("[::1]:135", IoUtil.hostPort("::1", 135));
        assertNotEquals("", IoUtil.hostPort("h", 1));
    }
}
