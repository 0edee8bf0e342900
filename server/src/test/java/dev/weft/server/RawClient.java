package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.pdu.Framer;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Response;
import dev.weft.transport.Connection;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;

/** Hand-built PDUs over a real connection, for tests that check the server's exact answers. */
final class RawClient implements AutoCloseable {
    final Connection connection;
    final Framer framer;

    RawClient(Endpoint endpoint) throws IOException {
        connection = Transports.defaults().connect(endpoint.toBinding(), Duration.ofSeconds(5));
        framer = new Framer(connection.input(), 65535);
    }

    void send(Pdu pdu) throws IOException {
        sendRaw(PduCodec.encode(pdu));
    }

    void sendRaw(byte[] bytes) throws IOException {
        connection.output().write(bytes);
        connection.output().flush();
    }

    Pdu read() throws IOException {
        Pdu p = framer.readPdu();
        if (p == null) throw new AssertionError("connection closed instead of an answer");
        return p;
    }

    <T extends Pdu> T read(Class<T> type) throws IOException {
        return assertInstanceOf(type, read());
    }

    /** Reads a whole response (FIRST..LAST), checking each fragment against {@code maxFragment}. */
    byte[] readResponse(int callId, int maxFragment) throws IOException {
        ByteArrayOutputStream stub = new ByteArrayOutputStream();
        for (int i = 0; ; i++) {
            byte[] fragment = framer.readFragment();
            if (fragment == null) throw new AssertionError("connection closed inside a response");
            assertTrue(fragment.length <= maxFragment, "fragment of " + fragment.length + " > " + maxFragment);
            Response r = assertInstanceOf(Response.class, PduCodec.decode(fragment));
            assertEquals(callId, r.callId());
            assertEquals(i == 0, PfcFlags.has(r.flags(), PfcFlags.FIRST_FRAG));
            stub.writeBytes(r.stub());
            if (PfcFlags.has(r.flags(), PfcFlags.LAST_FRAG)) return stub.toByteArray();
            assertTrue(i < 100_000, "bounded");
        }
    }

    /** The server closed the connection. */
    void expectClosed() throws IOException {
        try {
            assertNull(framer.readPdu(), "expected the server to close the connection");
        } catch (IOException e) {
            // A reset is a close too.
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
