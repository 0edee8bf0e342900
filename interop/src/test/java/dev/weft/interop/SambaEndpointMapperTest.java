package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.Bytes;
import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindAck;
import dev.weft.pdu.BindNak;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.ContextResult;
import dev.weft.pdu.Framer;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import dev.weft.transport.Connection;
import dev.weft.transport.StringBinding;
import dev.weft.transport.Transports;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weft's wire layer (PDU codec, framer, TCP transport, NDR runtime) against the endpoint mapper of a real Samba
 * AD DC: what Samba sends must decode, and what Weft sends must be accepted. The stubs are coded by hand here;
 * the generated epmapper client replaces them when the IDL compiler lands.
 */
class SambaEndpointMapperTest {
    /** The endpoint mapper, C706 Appendix L / RPCE-FACTS §12. */
    static final SyntaxId EPMAPPER = new SyntaxId(Uuid.parse("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);
    static final Uuid SAMR = Uuid.parse("12345778-1234-abcd-ef00-0123456789ac");
    static final int EPT_LOOKUP = 2;
    static final int EPT_S_NOT_REGISTERED = 0x16C9A0D6;

    @BeforeAll
    static void peer() {
        SambaDc.ensureRunning();
    }

    private static Connection connect() throws IOException {
        return Transports.defaults().connect(
                StringBinding.parse("ncacn_ip_tcp:" + SambaDc.HOST + "[" + SambaDc.EPMAPPER_PORT + "]"),
                Duration.ofSeconds(10));
    }

    private static void send(Connection c, Pdu pdu) throws IOException {
        c.output().write(PduCodec.encode(pdu));
        c.output().flush();
    }

    @Test
    void bindNegotiatesSyntaxesFeaturesAndFragmentSize() throws IOException {
        try (Connection c = connect()) {
            send(c, Bind.of(1, 5840, 0, List.of(
                    ContextElement.of(0, EPMAPPER, SyntaxId.NDR20),
                    ContextElement.of(1, EPMAPPER, SyntaxId.NDR64),
                    BindTimeFeatures.contextElement(2, EPMAPPER, 0x03))));
            BindAck ack = assertInstanceOf(BindAck.class, new Framer(c.input()).readPdu());

            assertEquals(1, ack.callId());
            assertEquals(5840, ack.maxXmitFrag(), "RPCE-FACTS §8: min(5840, 5840) stays 5840");
            assertEquals(5840, ack.maxRecvFrag());
            assertNotEquals(0, ack.assocGroupId(), "a new association group has a non-zero id");
            assertEquals("135", ack.secondaryAddress());
            assertEquals(3, ack.results().size());
            assertEquals(ContextResult.accepted(SyntaxId.NDR20), ack.results().get(0));
            // Samba's server speaks NDR only (PEERS.md): the NDR64 context is refused with reason 2.
            assertEquals(ContextResult.PROVIDER_REJECTION, ack.results().get(1).result());
            assertEquals(ContextResult.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED, ack.results().get(1).reason());
            ContextResult features = ack.results().get(2);
            assertEquals(ContextResult.NEGOTIATE_ACK, features.result());
            assertTrue((BindTimeFeatures.accepted(features) & 0x02) != 0, "KeepConnectionOnOrphan is echoed");
        }
    }

    @Test
    void smallFragmentProposalIsRaisedTo2048() throws IOException {
        try (Connection c = connect()) {
            send(c, Bind.of(7, 1, 0, List.of(ContextElement.of(0, EPMAPPER, SyntaxId.NDR20))));
            BindAck ack = assertInstanceOf(BindAck.class, new Framer(c.input()).readPdu());
            assertEquals(2048, ack.maxXmitFrag(), "RPCE-FACTS §8: a proposal of 1 yields 2048");
        }
    }

    @Test
    void bindWithoutContextsIsRefusedAndTheConnectionClosed() throws IOException {
        try (Connection c = connect()) {
            send(c, Bind.of(3, 5840, 0, List.of()));
            Framer framer = new Framer(c.input());
            BindNak nak = assertInstanceOf(BindNak.class, framer.readPdu());
            assertEquals(3, nak.callId());
            assertNull(framer.readPdu(), "the server closes the connection after a bind_nak");
        }
    }

    /**
     * ept_lookup to the end of the listing: Samba returns everything with a non-null handle and ends the next
     * call with ept_s_not_registered (PEERS.md), and the listing holds samr over ncacn_ip_tcp.
     */
    @Test
    void eptLookupListsSamrOverTcp() throws IOException {
        try (Connection c = connect()) {
            send(c, Bind.of(1, 5840, 0, List.of(ContextElement.of(0, EPMAPPER, SyntaxId.NDR20))));
            Framer framer = new Framer(c.input());
            assertInstanceOf(BindAck.class, framer.readPdu());

            List<Entry> all = new ArrayList<>();
            ContextHandle handle = ContextHandle.NULL;
            int status = 0;
            int calls = 0;
            while (status == 0 && calls < 20) {
                calls++;
                send(c, Request.of(1 + calls, 0, EPT_LOOKUP, eptLookupStub(handle, 500)));
                LookupResult result = decodeLookup(readResponseStub(framer, 1 + calls));
                all.addAll(result.entries);
                handle = result.handle;
                status = result.status;
            }
            assertEquals(EPT_S_NOT_REGISTERED, status, "the listing ends with ept_s_not_registered");
            assertTrue(calls >= 2, "Samba's first reply keeps a non-null handle");
            assertTrue(all.size() > 10, "a DC registers many endpoints, got " + all.size());
            assertTrue(all.stream().anyMatch(e -> e.interfaceId.equals(SAMR) && e.tcpPort > 1024
                    && e.annotation.equals("samr")), "samr over TCP in " + all);
        }
    }

    /** Reads response fragments up to PFC_LAST_FRAG and concatenates their stubs (RPCE-FACTS §8). */
    static byte[] readResponseStub(Framer framer, int callId) throws IOException {
        var stub = new java.io.ByteArrayOutputStream();
        int fragments = 0;
        while (true) {
            Response r = assertInstanceOf(Response.class, framer.readPdu());
            assertEquals(callId, r.callId());
            fragments++;
            assertEquals(fragments == 1, (r.flags() & PfcFlags.FIRST_FRAG) != 0, "FIRST_FRAG only on the first");
            stub.writeBytes(r.stub());
            if ((r.flags() & PfcFlags.LAST_FRAG) != 0) return stub.toByteArray();
            assertTrue(fragments < 1000, "bounded");
        }
    }

    /** [in] inquiry_type, [in, ptr] object, [in, ptr] interface_id, [in] vers_option, [in, out] entry_handle, [in] max_ents. */
    static byte[] eptLookupStub(ContextHandle handle, int maxEntries) {
        NdrWriter w = new NdrWriter(TransferSyntax.NDR20);
        w.writeInt32(0);                  // rpc_c_ep_all_elts
        w.writeFullPointer(null);         // object
        w.writeFullPointer(null);         // interface_id
        w.writeInt32(1);                  // rpc_c_vers_all
        w.writeContextHandle(handle);
        w.writeInt32(maxEntries);
        return w.toByteArray();
    }

    record Entry(Uuid object, Uuid interfaceId, int tcpPort, String annotation) {
    }

    record LookupResult(ContextHandle handle, List<Entry> entries, int status) {
    }

    /**
     * [out] entry_handle, [out] num_ents, [out, length_is(*num_ents), size_is(max_ents)] ept_entry_t entries[],
     * [out] status; ept_entry_t = {uuid_t object; [ptr] twr_t *tower; [string] char annotation[64]}.
     */
    static LookupResult decodeLookup(byte[] stub) {
        NdrReader r = new NdrReader(TransferSyntax.NDR20, stub);
        ContextHandle handle = r.readContextHandle();
        int numEntries = r.readInt32();
        int max = r.readConformance();
        int actual = r.readVariance(max);
        assertEquals(numEntries, actual, "length_is(*num_ents)");
        Uuid[] objects = new Uuid[actual];
        long[] towerIds = new long[actual];
        String[] annotations = new String[actual];
        for (int i = 0; i < actual; i++) {           // inline parts of every element first
            objects[i] = r.readUuid();
            towerIds[i] = r.readPointerId();
            annotations[i] = r.readAnsiStringBody(64);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < actual; i++) {           // then the deferred towers, in order
            byte[] tower = null;
            if (towerIds[i] != 0 && !r.hasFullPointer(towerIds[i])) {
                int conformance = r.readConformance(); // twr_t is a conformant struct: the count is hoisted
                int length = r.readInt32();
                assertEquals(conformance, length, "size_is(tower_length)");
                tower = r.readBytes(length);
                r.putFullPointer(towerIds[i], tower);
            } else if (towerIds[i] != 0) {
                tower = r.fullPointer(towerIds[i]);
            }
            entries.add(towerEntry(objects[i], tower, annotations[i]));
        }
        int status = r.readInt32();
        r.expectEnd();
        return new LookupResult(handle, entries, status);
    }

    /** Reads the interface floor and, for ncacn_ip_tcp, the port floor of a tower (C706 Appendix L). */
    static Entry towerEntry(Uuid object, byte[] tower, String annotation) {
        Uuid iface = Uuid.NIL;
        int port = -1;
        if (tower != null) {
            int floors = Bytes.getShortLE(tower, 0) & 0xFFFF;
            int p = 2;
            for (int f = 0; f < floors; f++) {
                int lhsLength = Bytes.getShortLE(tower, p) & 0xFFFF;
                int protocol = tower[p + 2] & 0xFF;
                if (f == 0 && protocol == 0x0D) iface = Uuid.fromWire(tower, p + 3, false);
                p += 2 + lhsLength;
                int rhsLength = Bytes.getShortLE(tower, p) & 0xFFFF;
                if (protocol == 0x07 && rhsLength == 2) port = Bytes.getShortBE(tower, p + 2) & 0xFFFF;
                p += 2 + rhsLength;
            }
        }
        return new Entry(object, iface, port, annotation);
    }
}
