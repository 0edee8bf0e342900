package dev.weft.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.Uuid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FragmenterTest {

    @Test
    void negotiationIsWindowsArithmetic() {
        assertEquals(3192, FragmentSize.negotiate(3199, 3199, FragmentSize.TCP_TRANSPORT_MAX));
        assertEquals(2048, FragmentSize.negotiate(1, 1, FragmentSize.TCP_TRANSPORT_MAX));
        assertEquals(5840, FragmentSize.negotiate(5840, 5840, FragmentSize.TCP_TRANSPORT_MAX));
        assertEquals(5840, FragmentSize.negotiate(65535, 65535, FragmentSize.TCP_TRANSPORT_MAX));
        assertEquals(4280, FragmentSize.negotiate(5840, 5840, FragmentSize.NP_TRANSPORT_MAX));
        assertEquals(4280, FragmentSize.negotiate(4280, 5840, FragmentSize.TCP_TRANSPORT_MAX));
        assertEquals(4280, FragmentSize.negotiate(5840, 4287, FragmentSize.TCP_TRANSPORT_MAX));
        assertEquals(2048, FragmentSize.negotiate(1432, 5840, FragmentSize.TCP_TRANSPORT_MAX));
    }

    @Test
    void stubSpaceSubtractsHeaderAndTrailerAndRoundsTo16WhenSigning() {
        assertEquals(5816, Fragmenter.stubSpace(5840, false, -1));
        assertEquals(5800, Fragmenter.stubSpace(5840, true, -1));
        assertEquals(5792, Fragmenter.stubSpace(5840, false, 16));
        assertEquals(5776, Fragmenter.stubSpace(5840, true, 16));
        assertEquals(1968, Fragmenter.stubSpace(2048, false, 37)); // 1979 rounded down
        assertEquals(1952, Fragmenter.stubSpace(2048, true, 37)); // 1963 rounded down
        assertThrows(IllegalArgumentException.class, () -> new Fragmenter(60, Samples.ntlm(0)));
    }

    record Config(int maxFrag, SecTrailer auth, Uuid object) {
    }

    @Test
    void requestsAroundEveryBoundaryFitAndReassemble() throws IOException {
        List<Config> configs = List.of(
                new Config(2048, null, null), new Config(2048, null, Samples.OBJECT),
                new Config(2048, Samples.ntlm(0), null), new Config(2048, Samples.ntlm(0), Samples.OBJECT),
                new Config(5840, SecTrailer.of(16, 6, 0, new byte[37]), null),
                new Config(1432, SecTrailer.of(9, 5, 3, new byte[76]), Samples.OBJECT),
                new Config(173, null, null));
        for (Config c : configs) {
            Fragmenter fragmenter = new Fragmenter(c.maxFrag(), c.auth());
            int space = fragmenter.stubSpace(c.object() != null);
            for (int size : sizes(space)) {
                byte[] stub = Samples.seq(size);
                List<Request> fragments = fragmenter.request(9, 2, 5, c.object(), stub);
                String what = c + " size " + size;
                assertEquals(Math.max(1, (size + space - 1) / space), fragments.size(), what);
                ByteArrayOutputStream wire = new ByteArrayOutputStream();
                int remaining = size;
                for (int i = 0; i < fragments.size(); i++) {
                    Request f = fragments.get(i);
                    assertEquals(i == 0, PfcFlags.has(f.flags(), PfcFlags.FIRST_FRAG), what);
                    assertEquals(i == fragments.size() - 1, PfcFlags.has(f.flags(), PfcFlags.LAST_FRAG), what);
                    assertEquals(remaining, f.allocHint(), what);
                    remaining -= f.stub().length;
                    byte[] bytes = PduCodec.encode(f);
                    assertTrue(bytes.length <= c.maxFrag(), what + ": fragment of " + bytes.length);
                    if (c.auth() != null) {
                        int trailerAt = bytes.length - c.auth().authLength() - SecTrailer.SIZE;
                        assertEquals(0, (trailerAt - f.headerSize()) % 16, what + ": pad relative to stub start");
                        if (i < fragments.size() - 1) assertEquals(0, bytes[trailerAt + 2], "no pad mid-call");
                    }
                    wire.writeBytes(bytes);
                }
                // back through a one-byte-per-read framer, the codec and the reassembler
                Framer framer = new Framer(new Streams.Trickle(wire.toByteArray()), c.maxFrag());
                Reassembler reassembler = new Reassembler();
                Request whole = null;
                Pdu p;
                while ((p = framer.readPdu()) != null) {
                    assertNull(whole, "data after the last fragment");
                    whole = reassembler.add((Request) p);
                }
                assertArrayEquals(stub, whole.stub(), what);
                assertEquals(c.object(), whole.object());
                assertEquals(5, whole.opnum());
            }
        }
    }

    @Test
    void responsesAroundEveryBoundary() {
        for (SecTrailer auth : new SecTrailer[] {null, Samples.ntlm(0)}) {
            Fragmenter fragmenter = new Fragmenter(2048, auth);
            int space = fragmenter.stubSpace(false);
            for (int size : sizes(space)) {
                byte[] stub = Samples.seq(size);
                List<Response> fragments = fragmenter.response(4, 1, stub);
                ByteArrayOutputStream joined = new ByteArrayOutputStream();
                for (int i = 0; i < fragments.size(); i++) {
                    byte[] bytes = PduCodec.encode(fragments.get(i));
                    assertTrue(bytes.length <= 2048);
                    Response back = (Response) PduCodec.decode(bytes);
                    assertEquals(size - joined.size(), back.allocHint());
                    assertEquals(i == 0, PfcFlags.has(back.flags(), PfcFlags.FIRST_FRAG));
                    assertEquals(i == fragments.size() - 1, PfcFlags.has(back.flags(), PfcFlags.LAST_FRAG));
                    joined.writeBytes(back.stub());
                }
                assertArrayEquals(stub, joined.toByteArray(), "size " + size);
            }
        }
    }

    /**
     * A tail kept whole (the verification trailer: MS-RPCE 2.2.2.13 puts it in the last fragment): for every stub
     * length around two fragment boundaries and every tail length of a trailer, the tail lies in the last fragment,
     * only the last fragment is not a multiple of 16, nothing is longer than the fragment size, and the pieces are
     * the stub's in order. The count is the plain cut's; where the tail does not straddle, so are the pieces.
     */
    @Test
    void aTailIsKeptWholeInTheLastFragment() {
        for (Uuid object : new Uuid[] {null, Samples.OBJECT}) {
            Fragmenter fragmenter = new Fragmenter(2048, Samples.ntlm(0));
            int space = fragmenter.stubSpace(object != null);
            for (int size = space - 100; size <= 2 * space + 100; size++) {
                for (int tail : new int[] {0, 12, 28, 56, 84}) {
                    int tailFrom = size - tail;
                    byte[] stub = Samples.seq(size);
                    List<Request> fragments = fragmenter.request(9, 2, 5, object, stub, tailFrom);
                    String what = "size " + size + " tail " + tail;
                    int off = 0;
                    for (int i = 0; i < fragments.size(); i++) {
                        Request f = fragments.get(i);
                        boolean last = i == fragments.size() - 1;
                        assertEquals(last, PfcFlags.has(f.flags(), PfcFlags.LAST_FRAG), what);
                        assertEquals(size - off, f.allocHint(), what);
                        assertTrue(f.stub().length <= space, what);
                        if (!last) assertEquals(0, f.stub().length % 16, what + ": no auth padding mid-call");
                        if (last) assertTrue(off <= tailFrom, what + ": tail starts at " + tailFrom + ", last fragment at " + off);
                        assertArrayEquals(java.util.Arrays.copyOfRange(stub, off, off + f.stub().length), f.stub(), what);
                        off += f.stub().length;
                    }
                    assertEquals(size, off, what);
                    // as many fragments as the plain cut; the same ones where the tail does not straddle
                    List<Request> plain = fragmenter.request(9, 2, 5, object, stub);
                    assertEquals(plain.size(), fragments.size(), what);
                    boolean straddles = tail > 0 && tailFrom / space != (size - 1) / space;
                    assertEquals(!straddles, plain.get(0).stub().length == fragments.get(0).stub().length
                            && plain.get(plain.size() - 1).stub().length == fragments.get(fragments.size() - 1).stub().length, what);
                }
            }
        }
    }

    private static TreeSet<Integer> sizes(int space) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int base : new int[] {0, space, 2 * space, 3 * space}) {
            for (int d = -2; d <= 2; d++) if (base + d >= 0) s.add(base + d);
        }
        s.add(15);
        s.add(16);
        s.add(17);
        return s;
    }
}
