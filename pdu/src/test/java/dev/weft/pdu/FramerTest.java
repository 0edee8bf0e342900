package dev.weft.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramerTest {

    @Test
    void readsEveryFragmentOneByteAtATimeAndStopsAtEachBoundary() throws IOException {
        List<byte[]> fragments = new ArrayList<>();
        for (Pdu p : Samples.all()) {
            fragments.add(PduCodec.encode(p));
            fragments.add(PduCodec.encode(p, true));
        }
        fragments.add(Hex.bytes(PduCodecTest.BIND_72_BE));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : fragments) all.writeBytes(f);
        Streams.Trickle in = new Streams.Trickle(all.toByteArray());
        Framer framer = new Framer(in);
        int consumed = 0;
        for (byte[] expected : fragments) {
            byte[] got = framer.readFragment();
            assertArrayEquals(expected, got);
            consumed += expected.length;
            assertEquals(consumed, in.delivered, "the framer read past the fragment");
        }
        assertNull(framer.readFragment(), "clean end of stream");
        assertNull(framer.readPdu());
    }

    @Test
    void endOfStreamInsideAFragmentIsADisconnect() {
        byte[] bind = Hex.bytes(PduCodecTest.BIND_72);
        for (int cut : new int[] {1, 5, 15, 16, 17, 71}) {
            Framer framer = new Framer(new Streams.Trickle(Arrays.copyOf(bind, cut)));
            ProtocolException e = assertThrows(ProtocolException.class, framer::readFragment, "cut at " + cut);
            assertInstanceOf(ProtocolException.Answer.Disconnect.class, e.answer());
        }
    }

    @Test
    void oversizedFragmentIsRejectedBeforeItsBodyIsRead() {
        byte[] big = PduCodec.encode(Request.of(1, 0, 0, new byte[6000]));
        Streams.Trickle in = new Streams.Trickle(big);
        ProtocolException e = assertThrows(ProtocolException.class, () -> new Framer(in, 5840).readFragment());
        assertEquals(new ProtocolException.Answer.SendFault(FaultStatus.NCA_S_PROTO_ERROR.code(), false, true),
                e.answer());
        assertEquals(16, in.delivered);
        // exactly at the limit is fine
        byte[] limit = PduCodec.encode(Request.of(1, 0, 0, new byte[5840 - 24]));
        assertEquals(5840, limit.length);
        assertDoesFrame(limit, 5840);
    }

    @Test
    void aFragmentOverTheTransportLimitIsReadWholeWhenTheLimitAllowsIt() throws IOException {
        byte[] big = PduCodec.encode(Request.of(7, 0, 0, new byte[65535 - 24]));
        assertEquals(65535, big.length);
        Streams.Trickle in = new Streams.Trickle(Streams.concat(big, big));
        Framer framer = new Framer(in, PduCodec.MAX_FRAGMENT);
        assertArrayEquals(big, framer.readFragment());
        assertEquals(65535, in.delivered, "not a byte of the next fragment");
        assertArrayEquals(big, framer.readFragment());
    }

    @Test
    void headerChecks() {
        byte[] bind = Hex.bytes(PduCodecTest.BIND_72);
        byte[] shortFrag = bind.clone();
        shortFrag[8] = 15;
        assertAnswer(shortFrag, ProtocolException.Answer.Disconnect.class);
        byte[] minor = bind.clone();
        minor[1] = 1;
        assertAnswer(minor, ProtocolException.Answer.SendBindNak.class);
        byte[] request = PduCodec.encode(Request.of(1, 0, 0, new byte[8]));
        request[0] = 6;
        assertAnswer(request, ProtocolException.Answer.Disconnect.class);
        byte[] drep = bind.clone();
        drep[4] = 0x20;
        assertAnswer(drep, ProtocolException.Answer.SendBindNak.class);
        // auth_length + 8 must fit in frag_length - 16: 72 - 16 = 56 -> 48 is the largest accepted
        byte[] auth = bind.clone();
        auth[10] = 49;
        assertAnswer(auth, ProtocolException.Answer.SendBindNak.class);
        auth[10] = 48;
        assertDoesFrame(auth, 5840);
    }

    @Test
    void headerOnlyFragmentFrames() throws IOException {
        byte[] shutdown = PduCodec.encode(new Shutdown(3, Drep.LITTLE_ENDIAN, 0));
        assertEquals(16, shutdown.length);
        Framer framer = new Framer(new Streams.Trickle(Streams.concat(shutdown, shutdown)));
        assertInstanceOf(Shutdown.class, framer.readPdu());
        assertInstanceOf(Shutdown.class, framer.readPdu());
        assertNull(framer.readPdu());
    }

    private static void assertDoesFrame(byte[] fragment, int max) {
        try {
            assertArrayEquals(fragment, new Framer(new Streams.Trickle(fragment), max).readFragment());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertAnswer(byte[] in, Class<? extends ProtocolException.Answer> answer) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new Framer(new Streams.Trickle(in)).readFragment());
        assertInstanceOf(answer, e.answer(), e.getMessage());
    }
}
