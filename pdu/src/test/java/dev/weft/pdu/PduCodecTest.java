package dev.weft.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.SyntaxId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduCodecTest {

    /** RPCE-FACTS §2.11: a bind to the endpoint mapper with NDR and no auth. */
    static final String BIND_72 = """
            05 00 0b 03 10 00 00 00 48 00 00 00 01 00 00 00
            b8 10 b8 10 00 00 00 00
            01 00 00 00
            00 00 01 00
            08 83 af e1 1f 5d c9 11 91 a4 08 00 2b 14 a0 fa
            03 00 00 00
            04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60
            02 00 00 00""";

    /** The same bind in big-endian drep: every integer and the UUIDs' first three fields swapped. */
    static final String BIND_72_BE = """
            05 00 0b 03 00 00 00 00 00 48 00 00 00 00 00 01
            10 b8 10 b8 00 00 00 00
            01 00 00 00
            00 00 01 00
            e1 af 83 08 5d 1f 11 c9 91 a4 08 00 2b 14 a0 fa
            00 00 00 03
            8a 88 5d 04 1c eb 11 c9 9f e8 08 00 2b 10 48 60
            00 00 00 02""";

    /** The sec_trailer's auth_context_id read from the raw bytes (a multiplexing client picks the verifying context by it). */
    @Test
    void theContextIdOfAFragmentIsReadWithoutDecodingIt() {
        Request r = new Request(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 3, 5, 1, 0, null, new byte[5],
                SecTrailer.of(AuthType.RPC_C_AUTHN_WINNT, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 0x70000007, new byte[16]));
        assertEquals(0x70000007, SecTrailer.contextIdOf(PduCodec.encode(r)).getAsInt());
        Response plain = new Response(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 3, 1, 1, 0, new byte[1], null);
        assertTrue(SecTrailer.contextIdOf(PduCodec.encode(plain)).isEmpty());
        byte[] lying = PduCodec.encode(r);
        lying[10] = (byte) 0xF0; // auth_length beyond the fragment: no trailer to read
        assertTrue(SecTrailer.contextIdOf(lying).isEmpty());
    }

    @Test
    void bindMatchesTheFactsExampleByteForByte() {
        Bind bind = Bind.of(1, 4280, 0, List.of(ContextElement.of(0, Samples.EPM, SyntaxId.NDR20)));
        byte[] wire = PduCodec.encode(bind);
        assertEquals(72, wire.length);
        assertArrayEquals(Hex.bytes(BIND_72), wire, Hex.of(wire));
        Bind back = (Bind) PduCodec.decode(Hex.bytes(BIND_72));
        assertEquals(bind, back);
    }

    @Test
    void bigEndianBindDecodesToTheSameValues() {
        Bind le = (Bind) PduCodec.decode(Hex.bytes(BIND_72));
        Bind be = (Bind) PduCodec.decode(Hex.bytes(BIND_72_BE));
        assertEquals(Drep.BIG_ENDIAN, be.drep());
        assertEquals(le.callId(), be.callId());
        assertEquals(4280, be.maxXmitFrag());
        assertEquals(le.contexts(), be.contexts());
        // re-encoding gives the little-endian form
        assertArrayEquals(Hex.bytes(BIND_72), PduCodec.encode(be));
    }

    @Test
    void bindAckPadsTheSecondaryAddressTo4() {
        BindAck ack = new BindAck(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 1, 4280, 4280, 0x12345, "135",
                List.of(ContextResult.accepted(SyntaxId.NDR20)), null);
        byte[] wire = PduCodec.encode(ack);
        String expected = """
                05 00 0c 03 10 00 00 00 3c 00 00 00 01 00 00 00
                b8 10 b8 10 45 23 01 00
                04 00 31 33 35 00 00 00
                01 00 00 00
                00 00 00 00 04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00""";
        assertArrayEquals(Hex.bytes(expected), wire, Hex.of(wire));
        assertEquals(ack, PduCodec.decode(wire));
    }

    @Test
    void secondaryAddressPaddingFollowsTheWorkedExamples() {
        // RPCE-FACTS §2.6: length 4 -> list at 32, length 0 -> 28, length 6 -> 32 (no pad).
        assertEquals(32, SecondaryAddress.resultListOffset(4));
        assertEquals(28, SecondaryAddress.resultListOffset(0));
        assertEquals(32, SecondaryAddress.resultListOffset(6));
        for (String address : List.of("", "1", "13", "135", "49667", "\\PIPE\\lsass")) {
            BindAck ack = new BindAck(3, Drep.LITTLE_ENDIAN, 1, 5840, 5840, 1, address, List.of(), null);
            byte[] wire = PduCodec.encode(ack);
            int len = address.isEmpty() ? 0 : address.length() + 1;
            assertEquals(len, wire[24] & 0xFF);
            assertEquals((26 + len + 3) & ~3, wire.length - 4, address); // empty result list: 4 bytes
            assertEquals(address, ((BindAck) PduCodec.decode(wire)).secondaryAddress());
        }
    }

    @Test
    void faultIs32Bytes() {
        byte[] wire = PduCodec.encode(Fault.of(2, 0, FaultStatus.NCA_S_UNK_IF.code(), true));
        String expected = """
                05 00 03 23 10 00 00 00 20 00 00 00 02 00 00 00
                18 00 00 00 00 00 00 00 03 00 01 1c 00 00 00 00""";
        assertArrayEquals(Hex.bytes(expected), wire, Hex.of(wire));
        Fault f = (Fault) PduCodec.decode(wire);
        assertEquals(FaultStatus.NCA_S_UNK_IF, FaultStatus.of(f.status()));
        assertTrue(PfcFlags.has(f.flags(), PfcFlags.DID_NOT_EXECUTE));
    }

    @Test
    void requestWithObjectUuidAndVerifierPadsTheStubTo16() {
        byte[] token = Samples.seq(16);
        Request req = new Request(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 7, 5, 1, 2, Samples.OBJECT,
                Hex.bytes("01 02 03 04 05"), SecTrailer.of(10, 6, 1, token));
        byte[] wire = PduCodec.encode(req);
        String expected = """
                05 00 00 83 10 00 00 00 50 00 10 00 07 00 00 00
                05 00 00 00 01 00 02 00
                78 56 34 12 34 12 cd ab ef 00 01 23 45 67 89 ab
                01 02 03 04 05 00 00 00 00 00 00 00 00 00 00 00
                0a 06 0b 00 01 00 00 00
                """ + Hex.of(token);
        assertArrayEquals(Hex.bytes(expected), wire, Hex.of(wire));
        Request back = (Request) PduCodec.decode(wire);
        assertEquals(Samples.OBJECT, back.object());
        assertArrayEquals(req.stub(), back.stub());
        assertEquals(11, back.auth().authPadLength());
        assertArrayEquals(token, back.auth().authValue());
    }

    @Test
    void fourAlignedVerifierIsAccepted() {
        // Impacket pads only to 4: stub 5 bytes + 3 pad, trailer at 32.
        byte[] wire = Hex.bytes("""
                05 00 00 03 10 00 00 00 38 00 10 00 01 00 00 00
                05 00 00 00 00 00 00 00
                01 02 03 04 05 00 00 00
                0a 05 03 00 00 00 00 00
                00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f""");
        Request r = (Request) PduCodec.decode(wire);
        assertArrayEquals(Hex.bytes("01 02 03 04 05"), r.stub());
        assertEquals(3, r.auth().authPadLength());
    }

    @Test
    void unalignedTrailerOrOversizedPadIsRejected() {
        byte[] wire = PduCodec.encode(new Request(3, Drep.LITTLE_ENDIAN, 1, 5, 0, 0, null, Samples.seq(16),
                Samples.ntlm(0)));
        byte[] padTooBig = wire.clone();
        padTooBig[24 + 16 + 2] = 17; // auth_pad_length > stub length
        assertAnswer(PduCodec::decode, padTooBig, ProtocolException.Answer.SendFault.class);
        byte[] unaligned = Arrays.copyOf(wire, wire.length + 1);
        unaligned[8] = (byte) unaligned.length; // frag_length + 1 moves the trailer to an odd offset
        assertThrows(ProtocolException.class, () -> PduCodec.decode(unaligned));
    }

    @Test
    void featureNegotiationElementMatchesTheSpecBytes() {
        ContextElement e = BindTimeFeatures.contextElement(1, Samples.EPM,
                BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING | BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN);
        byte[] wire = PduCodec.encode(Bind.of(1, 5840, 0, List.of(e)));
        byte[] element = Arrays.copyOfRange(wire, 28, wire.length);
        String expected = """
                01 00 01 00
                08 83 af e1 1f 5d c9 11 91 a4 08 00 2b 14 a0 fa 03 00 00 00
                2c 1c b7 6c 12 98 40 45 03 00 00 00 00 00 00 00 01 00 00 00""";
        assertArrayEquals(Hex.bytes(expected), element, Hex.of(element));
        assertEquals("6cb71c2c-9812-4540-0300-000000000000",
                e.transferSyntaxes().get(0).uuid().toString());
        Bind back = (Bind) PduCodec.decode(wire);
        assertEquals(3, BindTimeFeatures.requested(back.contexts().get(0)).orElseThrow());
        assertTrue(BindTimeFeatures.requested(ContextElement.of(0, Samples.EPM, SyntaxId.NDR20)).isEmpty());
    }

    @Test
    void negotiateAckCarriesTheBitmaskInTheReason() {
        ContextResult ack = BindTimeFeatures.negotiateAck(3, BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN);
        BindAck bindAck = new BindAck(3, Drep.LITTLE_ENDIAN, 1, 5840, 5840, 1, "", List.of(ack), null);
        byte[] wire = PduCodec.encode(bindAck);
        byte[] result = Arrays.copyOfRange(wire, wire.length - 24, wire.length);
        assertArrayEquals(Hex.bytes("03 00 02 00" + " 00".repeat(20)), result);
        ContextResult back = ((BindAck) PduCodec.decode(wire)).results().get(0);
        assertEquals(BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN, BindTimeFeatures.accepted(back));
        assertEquals(0, BindTimeFeatures.accepted(ContextResult.rejected(2)));
    }

    @Test
    void bindNakInAllThreeForms() {
        byte[] windows = PduCodec.encode(BindNak.of(5, RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED));
        assertArrayEquals(Hex.bytes("05 00 0d 03 10 00 00 00 18 00 00 00 05 00 00 00 04 00 01 05 00 00 00 00"),
                windows, Hex.of(windows));
        // nothing after the reason: 18 bytes
        BindNak bare = (BindNak) PduCodec.decode(Hex.bytes(
                "05 00 0d 03 10 00 00 00 12 00 00 00 05 00 00 00 00 00"));
        assertEquals(List.of(), bare.versions());
        assertNull(bare.signature());
        BindNak v = (BindNak) PduCodec.decode(windows);
        assertEquals(List.of(ProtocolVersion.V5_0), v.versions());
        assertNull(v.signature());
        // versions plus signature
        byte[] signed = PduCodec.encode(new BindNak(3, Drep.LITTLE_ENDIAN, 5, 0, List.of(ProtocolVersion.V5_0),
                BindNak.EXTENDED_ERROR_SIGNATURE));
        assertEquals(40, signed.length);
        BindNak s = (BindNak) PduCodec.decode(signed);
        assertEquals(BindNak.EXTENDED_ERROR_SIGNATURE, s.signature());
        assertArrayEquals(Hex.bytes("20 03 74 90 d0 fa d3 11 82 d7 00 90 27 b1 30 ab"),
                Arrays.copyOfRange(signed, 24, 40));
    }

    @Test
    void everyPduTypeRoundTripsInBothByteOrders() {
        int types = 0;
        for (Pdu p : Samples.all()) {
            byte[] le = PduCodec.encode(p);
            Pdu back = PduCodec.decode(le);
            assertEquals(p.getClass(), back.getClass());
            assertEquals(p.callId(), back.callId());
            assertEquals(p.flags(), back.flags());
            assertArrayEquals(le, PduCodec.encode(back), p.toString());
            byte[] be = PduCodec.encode(p, true);
            Pdu fromBe = PduCodec.decode(be);
            assertTrue(Drep.isBigEndian(fromBe.drep()));
            assertArrayEquals(le, PduCodec.encode(fromBe), "big-endian " + p);
            types |= 1 << p.ptype();
        }
        int coTypes = 1 << PType.REQUEST | 1 << PType.RESPONSE | 1 << PType.FAULT;
        for (int t = PType.BIND; t <= PType.RTS; t++) coTypes |= 1 << t;
        assertEquals(coTypes, types, "a sample of every connection-oriented type");
    }

    @Test
    void malformedBindGetsBindNakReason4AndOthersProtoError() {
        byte[] bind = Hex.bytes(BIND_72);
        byte[] truncated = Arrays.copyOf(bind, 60);
        truncated[8] = 60;
        ProtocolException e = assertThrows(ProtocolException.class, () -> PduCodec.decode(truncated));
        assertEquals(new ProtocolException.Answer.SendBindNak(RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED),
                e.answer());
        byte[] alter = truncated.clone();
        alter[2] = PType.ALTER_CONTEXT;
        e = assertThrows(ProtocolException.class, () -> PduCodec.decode(alter));
        // Windows marks it did-not-execute (Samba's raw_protocol test_alter_no_auth_no_ctx).
        assertEquals(new ProtocolException.Answer.SendFault(FaultStatus.NCA_S_PROTO_ERROR.code(), true, true),
                e.answer());
        byte[] cl = bind.clone();
        cl[2] = PType.PING;
        e = assertThrows(ProtocolException.class, () -> PduCodec.decode(cl));
        assertInstanceOf(ProtocolException.Answer.SendFault.class, e.answer());
        byte[] v4 = bind.clone();
        v4[0] = 4;
        e = assertThrows(ProtocolException.class, () -> PduCodec.decode(v4));
        assertInstanceOf(ProtocolException.Answer.SendBindNak.class, e.answer());
    }

    @Test
    void fragLengthMustMatchTheInput() {
        byte[] bind = Arrays.copyOf(Hex.bytes(BIND_72), 73);
        assertThrows(ProtocolException.class, () -> PduCodec.decode(bind));
    }

    @Test
    void encodeRefusesMoreThan65535Bytes() {
        assertThrows(IllegalArgumentException.class, () -> PduCodec.encode(Request.of(1, 0, 0, new byte[65512])));
        assertEquals(65535, PduCodec.encode(Request.of(1, 0, 0, new byte[65511])).length);
    }

    static void assertAnswer(java.util.function.Function<byte[], ?> f, byte[] in,
                             Class<? extends ProtocolException.Answer> answer) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> f.apply(in));
        assertInstanceOf(answer, e.answer());
    }
}
