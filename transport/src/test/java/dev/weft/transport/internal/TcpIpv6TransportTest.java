package dev.weft.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.transport.AbstractTransportContractTest;
import dev.weft.transport.Connection;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Listener;
import dev.weft.transport.StringBinding;
import dev.weft.transport.Transport;
import dev.weft.transport.Transports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract over ncacn_ip_tcp on ::1. */
class TcpIpv6TransportTest extends AbstractTransportContractTest {

    @BeforeAll
    static void requireIpv6Loopback() {
        String problem = null;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (IOException | UnsupportedOperationException e) {
            problem = e.toString();
        }
        assumeTrue(problem == null, "skipping the IPv6 transport tests: this machine has no usable ::1 (" + problem + ")");
    }

    @Override
    protected Transport newTransport() {
        return Transports.tcp();
    }

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.tcp("::1", 0);
    }

    @Override
    protected void assertAddresses(Listener listener, Connection serverSide, Connection clientSide) {
        assertEquals("::1", clientSide.localEndpoint().networkAddress());
        assertEquals("::1", serverSide.remoteAddress().identity());
        assertEquals("[::1]:" + clientSide.localEndpoint().port(), serverSide.remoteAddress().description());
        assertEquals("ncacn_ip_tcp:[::1][" + listener.endpoint().port() + "]", serverSide.localEndpoint().toString());
    }

    @Test
    void bracketedBindingConnects() throws Exception {
        try (Listener listener = transport.listen(Endpoint.parse("ncacn_ip_tcp:[::1][0]"))) {
            String text = "ncacn_ip_tcp:[::1][" + listener.endpoint().port() + ",sign]";
            try (Connection c = transport.connect(StringBinding.parse(text), CONNECT_TIMEOUT);
                 Connection s = listener.accept()) {
                c.output().write(42);
                assertEquals(42, s.input().read());
            }
        }
    }
}
