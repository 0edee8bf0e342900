package dev.weft.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.SyntaxId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationTrailerTest {

    static final ProtocolException.Answer DENIED =
            new ProtocolException.Answer.SendFault(FaultStatus.ERROR_ACCESS_DENIED.code(), false, false);

    @Test
    void bitmaskOnlyMatchesTheFactsExample() {
        byte[] wire = VerificationTrailer.of(
                new VerificationTrailer.Bitmask1(VerificationTrailer.CLIENT_SUPPORT_HEADER_SIGNING, false)).encode();
        assertArrayEquals(Hex.bytes("8A E3 13 71 02 F4 36 71 01 40 04 00 01 00 00 00"), wire, Hex.of(wire));
        VerificationTrailer.Found found = VerificationTrailer.find(wire);
        assertEquals(0, found.offset());
        assertEquals(1, found.trailer().command(VerificationTrailer.Bitmask1.class).bits());
    }

    @Test
    void allThreeCommandsWithEndOnlyOnTheLast() {
        Request req = new Request(3, Drep.LITTLE_ENDIAN, 0x11223344, 0, 5, 6, null, new byte[0], null);
        VerificationTrailer t = VerificationTrailer.of(
                new VerificationTrailer.Bitmask1(1, false),
                new VerificationTrailer.PContext(Samples.EPM, SyntaxId.NDR20, true),
                VerificationTrailer.Header2.of(req, true));
        byte[] wire = t.encode();
        assertEquals(8 + 8 + 44 + 20, wire.length);
        assertArrayEquals(Hex.bytes("01 00 04 00"), Arrays.copyOfRange(wire, 8, 12)); // no END, no MUST
        assertArrayEquals(Hex.bytes("02 80 28 00"), Arrays.copyOfRange(wire, 16, 20)); // MUST_PROCESS
        assertArrayEquals(Hex.bytes("03 c0 10 00 00 00 00 00 10 00 00 00 44 33 22 11 05 00 06 00"),
                Arrays.copyOfRange(wire, 60, 80)); // END | MUST_PROCESS, then the header copy
        VerificationTrailer back = VerificationTrailer.find(wire).trailer();
        assertEquals(t, back);
        assertTrue(back.command(VerificationTrailer.Header2.class).matches(req));
        assertFalse(back.command(VerificationTrailer.Header2.class)
                .matches(new Request(3, Drep.LITTLE_ENDIAN, 0x11223344, 0, 5, 7, null, new byte[0], null)));
        // big-endian drep
        assertEquals(t, VerificationTrailer.find(t.encode(true), 1024, true).trailer());
    }

    @Test
    void foundBehindStubAndPaddingWithinTheWindow() {
        VerificationTrailer t = VerificationTrailer.of(new VerificationTrailer.Bitmask1(1, false));
        for (int stubLen = 0; stubLen < 40; stubLen++) {
            byte[] stub = t.appendTo(Samples.seq(stubLen));
            VerificationTrailer.Found f = VerificationTrailer.find(stub);
            assertEquals((stubLen + 3) & ~3, f.offset(), "stub " + stubLen);
            assertEquals(t, f.trailer());
        }
        byte[] far = Streams.concat(t.encode(), new byte[1100]); // trailer then 1100 bytes: outside 1024
        // a trailer must end the stub to be decoded; this one is outside the window and ignored
        assertNull(VerificationTrailer.find(far));
        assertNull(VerificationTrailer.find(Samples.seq(2000)));
        assertNull(VerificationTrailer.find(new byte[0]));
    }

    @Test
    void malformedTrailersAreAccessDenied() {
        byte[] sig = VerificationTrailer.signature();
        assertDenied(Streams.concat(sig, Hex.bytes("01 00 04 00 01 00 00 00"))); // no END
        assertDenied(Streams.concat(sig, Hex.bytes("01 40 05 00 01 00 00 00 00 00 00 00"))); // wrong length
        assertDenied(Streams.concat(sig, Hex.bytes("01 00 04 00 01 00 00 00 01 40 04 00 01 00 00 00"))); // twice
        assertDenied(Streams.concat(sig, Hex.bytes("01 40 ff 00 01 00 00 00"))); // beyond the stub
        VerificationTrailer unknown = VerificationTrailer.find(Streams.concat(sig,
                Hex.bytes("09 c0 04 00 01 02 03 04"))).trailer();
        assertTrue(unknown.hasUnknownMustProcess());
        assertFalse(VerificationTrailer.find(Streams.concat(sig, Hex.bytes("09 40 00 00"))).trailer()
                .hasUnknownMustProcess());
    }

    @Test
    void trailerInTheLastFragmentSurvivesFragmentationAndReassembly() {
        Request header = new Request(3, Drep.LITTLE_ENDIAN, 42, 0, 1, 9, null, new byte[0], null);
        VerificationTrailer t = VerificationTrailer.of(VerificationTrailer.Header2.of(header, false));
        byte[] stub = t.appendTo(Samples.seq(5001));
        List<Request> fragments = new Fragmenter(2048, Samples.ntlm(0)).request(42, 1, 9, null, stub);
        assertEquals(3, fragments.size());
        Reassembler r = new Reassembler();
        Request whole = null;
        for (Request f : fragments) whole = r.add((Request) PduCodec.decode(PduCodec.encode(f)));
        VerificationTrailer.Found found = VerificationTrailer.find(whole.stub());
        assertEquals(5004, found.offset());
        assertTrue(found.trailer().command(VerificationTrailer.Header2.class).matches(whole));
    }

    /**
     * Samba's client in big-endian ("bigendian" binding option, NTLMSSP integrity) writes the stub big-endian and
     * the trailer little-endian: these are the bytes of its SamrConnect to the Samba 4.17 AD DC, which answered it.
     */
    @Test
    void sambasLittleEndianTrailerInABigEndianRequest() {
        byte[] stub = Hex.bytes("00 00 00 00 02 00 00 00"
                + "8a e3 13 71 02 f4 36 71 01 00 04 00 01 00 00 00 02 40 28 00"
                + "78 57 34 12 34 12 cd ab ef 00 01 23 45 67 89 ac 01 00 00 00"
                + "04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00");
        VerificationTrailer.Found found = VerificationTrailer.find(stub, VerificationTrailer.DEFAULT_SEARCH_WINDOW, true);
        assertEquals(8, found.offset());
        assertEquals(VerificationTrailer.CLIENT_SUPPORT_HEADER_SIGNING, found.trailer().command(VerificationTrailer.Bitmask1.class).bits());
        VerificationTrailer.PContext pc = found.trailer().command(VerificationTrailer.PContext.class);
        assertEquals("12345778-1234-abcd-ef00-0123456789ac", pc.interfaceId().uuid().toString());
        assertEquals(SyntaxId.NDR20, pc.transferSyntax());
        // A trailer malformed in both byte orders is still refused.
        assertThrows(ProtocolException.class, () -> VerificationTrailer.find(Streams.concat(VerificationTrailer.signature(),
                Hex.bytes("01 00 04 00 01 00 00 00")), VerificationTrailer.DEFAULT_SEARCH_WINDOW, true));
    }

    private static void assertDenied(byte[] stub) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> VerificationTrailer.find(stub));
        assertEquals(DENIED, e.answer(), e.getMessage());
    }
}
