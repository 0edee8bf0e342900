package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.AlterContext;
import dev.weft.pdu.AlterContextResp;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindAck;
import dev.weft.pdu.BindNak;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.pdu.CoCancel;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Fault;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.Framer;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Request;
import dev.weft.server.RpcServer;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import dev.weft.transport.Connection;
import dev.weft.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Weft server session captured with tshark: Wireshark's DCE/RPC dissector must find every PDU Weft sent well
 * formed, with no expert warning. The session covers bind with NDR, NDR64 and feature negotiation,
 * alter_context, a fragmented request and response, a fault, a cancelled pending call and a bind_nak.
 */
class WeftServerOnTheWireTest {
    static final SyntaxId ECHO = new SyntaxId(Uuid.parse("5eb1a0e7-0000-4e57-8000-0000000000ab"), 1, 0);

    /** 0: echo a conformant byte array; 1: pend until cancelled. */
    static final class EchoService implements RpcService {
        final CountDownLatch pending = new CountDownLatch(1);

        public SyntaxId interfaceId() {
            return ECHO;
        }

        public int operationCount() {
            return 2;
        }

        public void invoke(int opnum, ServerCall call) throws InterruptedException {
            if (opnum == 0) {
                byte[] data = call.in().readBytes(call.in().readConformance());
                call.out().writeConformance(data.length).writeBytes(data);
            } else {
                pending.countDown();
                new CountDownLatch(1).await(); // until cancelled
            }
        }
    }

    static byte[] echoStub(byte[] data) {
        return new NdrWriter(TransferSyntax.NDR20).writeConformance(data.length).writeBytes(data).toByteArray();
    }

    @Test
    void tsharkFindsNothingMalformed() throws Exception {
        EchoService service = new EchoService();
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(service).build().start()) {
            int port = server.endpoints().get(0).port();
            try (Tshark capture = Tshark.capture(port)) {
                byte[] data = new byte[30_000];
                new Random(5).nextBytes(data);
                try (Connection c = Transports.defaults().connect(server.endpoints().get(0).toBinding(), Duration.ofSeconds(5))) {
                    Framer framer = new Framer(c.input(), 65535);
                    send(c, new Bind(PfcFlags.FIRST_AND_LAST | PfcFlags.CONC_MPX, Drep.LITTLE_ENDIAN, 1, 2048, 2048, 0,
                            List.of(ContextElement.of(0, ECHO, SyntaxId.NDR20), ContextElement.of(1, ECHO, SyntaxId.NDR64),
                                    BindTimeFeatures.contextElement(2, ECHO, 3)), null));
                    assertInstanceOf(BindAck.class, framer.readPdu());
                    send(c, new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 2, 2048, 2048, 0,
                            List.of(ContextElement.of(3, ECHO, SyntaxId.NDR20)), null));
                    assertInstanceOf(AlterContextResp.class, framer.readPdu());
                    for (Request f : new Fragmenter(2048, null).request(3, 3, 0, null, echoStub(data))) send(c, f);
                    NdrReader r = new NdrReader(TransferSyntax.NDR20, readResponse(framer, 3));
                    assertArrayEquals(data, r.readBytes(r.readConformance()));
                    send(c, Request.of(4, 9, 0, echoStub(new byte[1])));
                    assertInstanceOf(Fault.class, framer.readPdu());
                    // Context 0 (NDR) was answered "not supported": the server took context 1 (NDR64), as Windows.
                    send(c, Request.of(5, 3, 1, new byte[0]));
                    assertTrue(service.pending.await(10, TimeUnit.SECONDS));
                    send(c, new CoCancel(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 5, null));
                    assertEquals(5, assertInstanceOf(Fault.class, framer.readPdu()).callId());
                    send(c, Bind.of(6, 5840, 0, List.of(ContextElement.of(0, ECHO, SyntaxId.NDR20))));
                    assertInstanceOf(BindNak.class, framer.readPdu());
                }
                List<String> packets = capture.stopAndRead("dcerpc");
                // Wireshark notes every bind_nak with a "Bind not acknowledged" warning by design; that PDU is
                // checked field by field instead.
                List<String> problems = capture.stopAndRead(
                        "_ws.malformed || (_ws.expert.severity >= warning && dcerpc.pkt_type != 13)");
                List<String> naks = capture.stopAndRead(
                        "dcerpc.pkt_type == 13 && dcerpc.cn_reject_reason == 0 && dcerpc.cn_frag_len == 24");
                assertTrue(packets.size() >= 20, "tshark decoded the session as DCE/RPC: " + packets);
                assertEquals(1, naks.size(), "one 24-byte bind_nak, reason 0: " + naks);
                assertEquals(List.of(), problems, "tshark found malformed packets or warnings");
            }
        }
    }

    private static void send(Connection c, Pdu pdu) throws IOException {
        c.output().write(PduCodec.encode(pdu));
        c.output().flush();
    }

    private static byte[] readResponse(Framer framer, int callId) throws IOException {
        ByteArrayOutputStream stub = new ByteArrayOutputStream();
        while (true) {
            var r = assertInstanceOf(dev.weft.pdu.Response.class, framer.readPdu());
            assertEquals(callId, r.callId());
            stub.writeBytes(r.stub());
            if (PfcFlags.has(r.flags(), PfcFlags.LAST_FRAG)) return stub.toByteArray();
        }
    }
}
