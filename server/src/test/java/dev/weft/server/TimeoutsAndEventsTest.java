package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.TransferSyntax;
import dev.weft.pdu.Fault;
import dev.weft.pdu.FaultStatus;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The partial-PDU and idle timeouts (a peer that stops mid-fragment or dribbles bytes is disconnected; a connection
 * with a pending call is never idle) and the JFR events the server records per connection and per call.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimeoutsAndEventsTest {

    private static RpcServer start(TestService service, Duration partialPdu, Duration idle) throws IOException {
        return RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(service)
                .limits(ServerLimits.DEFAULT.withTimeouts(partialPdu, idle)).build().start();
    }

    @Test
    void aPeerThatStopsInTheMiddleOfAFragmentIsDisconnected() throws Exception {
        TestService service = new TestService(0);
        try (RpcServer server = start(service, Duration.ofMillis(200), Duration.ZERO);
                RawClient c = new RawClient(server.endpoints().get(0))) {
            new RawProtocolTest().bound(c, false);   // a whole PDU is fine
            byte[] bind = PduCodec.encode(RawProtocolTest.bind(2, PfcFlags.FIRST_AND_LAST, 5840, 0, RawProtocolTest.ndr(0)));
            c.sendRaw(Arrays.copyOf(bind, 10));      // ...half a header, then nothing
            c.expectClosed();
        }
    }

    @Test
    void aPeerThatDribblesAFragmentByteByByteIsDisconnectedBeforeItEnds() throws Exception {
        TestService service = new TestService(0);
        try (RpcServer server = start(service, Duration.ofMillis(300), Duration.ZERO);
                RawClient c = new RawClient(server.endpoints().get(0))) {
            byte[] bind = PduCodec.encode(RawProtocolTest.bind(1, PfcFlags.FIRST_AND_LAST, 5840, 0, RawProtocolTest.ndr(0)));
            Thread slowloris = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : bind) {            // 72 bytes at 40 ms each: about 3 s for the whole bind
                        c.sendRaw(new byte[] {b});
                        Thread.sleep(40);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection under the sender: what the test expects
                }
            });
            // Bytes keep arriving, yet the fragment is never finished in time: no bind_ack, the connection ends.
            assertNull(readOrNull(c), "the server answered a fragment that took longer than the partial-PDU timeout");
            slowloris.join();
        }
    }

    @Test
    void anIdleConnectionIsClosedButOneWithAPendingCallIsNot() throws Exception {
        TestService service = new TestService(1);
        try (RpcServer server = start(service, Duration.ZERO, Duration.ofMillis(200));
                RawClient idle = new RawClient(server.endpoints().get(0));
                RawClient pending = new RawClient(server.endpoints().get(0))) {
            RawProtocolTest raw = new RawProtocolTest();
            raw.bound(idle, false);
            raw.bound(pending, false);
            pending.send(Request.of(5, 0, TestService.PEND, RawProtocolTest.int32Stub(5)));
            assertTrue(service.pendingStarted.await(10, TimeUnit.SECONDS));
            idle.expectClosed();
            Thread.sleep(800);                       // four idle timeouts with nothing on the wire but a pending call
            service.release.release();
            assertEquals(5, pending.read(Response.class).callId());
        }
    }

    /** Binds, then sends {@code count} echo requests of {@code size} bytes on a thread of its own, never reading. */
    private static Thread sendEchoesWithoutReading(RawClient c, int count, int size) {
        byte[] stub = RawProtocolTest.echoStub(TransferSyntax.NDR20, new byte[size]);
        return Thread.ofVirtual().start(() -> {
            try {
                for (int id = 2; id < 2 + count; id++) {
                    for (Request f : new Fragmenter(5840, null).request(id, 0, TestService.ECHO, null, stub)) c.send(f);
                }
            } catch (IOException e) {
                // the server closed the connection under the sender
            }
        });
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedByTheWriteTimeout() throws Exception {
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(new TestService(0))
                .limits(ServerLimits.DEFAULT.withTimeouts(Duration.ZERO, Duration.ZERO).withWriteTimeout(Duration.ofMillis(300)))
                .build().start();
                RawClient c = new RawClient(server.endpoints().get(0))) {
            new RawProtocolTest().bound(c, true);
            // 24 MiB of answers: far more than the socket buffers hold, so the server's write blocks for good.
            Thread sender = sendEchoesWithoutReading(c, 8, 3 << 20);
            sender.join();
            for (int i = 0; i < 1000 && server.connectionCount() > 0; i++) Thread.sleep(10);
            assertEquals(0, server.connectionCount(), "the server closed the connection whose client stopped reading");
        }
    }

    @Test
    void answersWaitingToBeWrittenCountAgainstTheCallLimit() throws Exception {
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(new TestService(0))
                .limits(ServerLimits.DEFAULT.withMaxCallsPerConnection(8).withTimeouts(Duration.ZERO, Duration.ZERO)
                        .withWriteTimeout(Duration.ZERO))
                .build().start();
                RawClient c = new RawClient(server.endpoints().get(0))) {
            new RawProtocolTest().bound(c, true);
            // Five answers of almost 4 MiB fill the socket buffers and block the server's writes; then forty small
            // calls, each done at once and waiting to be written. Only eight may wait: the rest are refused.
            int big = 5, small = 40;
            byte[] large = RawProtocolTest.echoStub(TransferSyntax.NDR20, new byte[(4 << 20) - 64]);
            byte[] tiny = RawProtocolTest.echoStub(TransferSyntax.NDR20, new byte[8]);
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int id = 2; id < 2 + big + small; id++) {
                        byte[] stub = id < 2 + big ? large : tiny;
                        for (Request f : new Fragmenter(5840, null).request(id, 0, TestService.ECHO, null, stub)) c.send(f);
                        if (stub == tiny) Thread.sleep(20);   // each small call is done before the next arrives
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            sender.join();
            Thread.sleep(500);    // every small call has run by now; the answers wait
            int answers = 0, busy = 0;
            for (int seen = 0; seen < big + small; ) {
                Pdu p = c.read();
                if (p instanceof Fault f) {
                    assertEquals(FaultStatus.NCA_S_SERVER_TOO_BUSY.code(), f.status());
                    busy++;
                    seen++;
                } else if (PfcFlags.has(((Response) p).flags(), PfcFlags.LAST_FRAG)) {
                    answers++;
                    seen++;
                }
            }
            assertTrue(busy > 0, answers + " answered, none refused: answers waiting to be written were not counted");
            assertEquals(big + small, answers + busy);
        }
    }

    @Test
    void connectionsAndCallsAreRecordedAsJfrEvents() throws Exception {
        Path file = Files.createTempFile("weft-server", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.weft.server.Call");
            recording.enable("dev.weft.server.Connection");
            recording.start();
            try (RpcServer server = start(new TestService(0), Duration.ZERO, Duration.ZERO)) {
                try (RawClient c = new RawClient(server.endpoints().get(0))) {
                    new RawProtocolTest().bound(c, false);
                    byte[] data = new byte[300];
                    c.send(Request.of(7, 0, TestService.ECHO, RawProtocolTest.echoStub(TransferSyntax.NDR20, data)));
                    assertEquals(7, c.read(Response.class).callId());
                    c.send(Request.of(8, 0, 99, new NdrWriter(TransferSyntax.NDR20).toByteArray()));
                    c.read();                        // the fault for an opnum out of range
                }
            }                                        // close() joins the connection, which commits its event
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            List<RecordedEvent> calls = events.stream().filter(e -> e.getEventType().getName().equals("dev.weft.server.Call")).toList();
            List<RecordedEvent> connections = events.stream().filter(e -> e.getEventType().getName().equals("dev.weft.server.Connection")).toList();
            RecordedEvent echo = calls.stream().filter(e -> e.getInt("opnum") == TestService.ECHO).findFirst().orElseThrow();
            assertEquals(TestService.ID.toString(), echo.getString("iface"));
            assertEquals("NDR20", echo.getString("syntax"));
            assertEquals(4 + 300, echo.getInt("requestBytes"));
            assertEquals(4 + 300, echo.getInt("responseBytes"));
            assertEquals(0, echo.getInt("faultStatus"));
            assertEquals(1, connections.size());
            assertEquals(1, connections.get(0).getLong("calls"), "the out-of-range opnum is answered before dispatch");
            assertTrue(connections.get(0).getInt("associationGroup") != 0);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Object readOrNull(RawClient c) {
        try {
            return c.framer.readPdu();
        } catch (IOException e) {
            return null;                             // a reset is a close too
        }
    }
}
