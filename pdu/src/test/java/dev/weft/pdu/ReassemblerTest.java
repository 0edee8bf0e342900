package dev.weft.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReassemblerTest {

    static final ProtocolException.Answer PROTO_ERROR =
            new ProtocolException.Answer.SendFault(FaultStatus.NCA_S_PROTO_ERROR.code(), false, true);
    static final ProtocolException.Answer ACCESS_DENIED =
            new ProtocolException.Answer.SendFault(FaultStatus.ERROR_ACCESS_DENIED.code(), false, true);

    static Request frag(int callId, int flags, int allocHint, int size) {
        return new Request(flags, Drep.LITTLE_ENDIAN, callId, allocHint, 1, 2, null, Samples.seq(size), null);
    }

    static final int FIRST = PfcFlags.FIRST_FRAG;
    static final int LAST = PfcFlags.LAST_FRAG;

    @Test
    void joinsFragmentsInOrder() {
        Reassembler r = new Reassembler();
        assertNull(r.add(frag(5, FIRST, 30, 10)));
        assertTrue(r.inProgress());
        assertEquals(5, r.inProgressCallId());
        assertNull(r.add(frag(5, 0, 20, 10)));
        Request whole = r.add(frag(5, LAST, 10, 10));
        assertEquals(30, whole.stub().length);
        assertEquals(30, whole.allocHint());
        assertEquals(PfcFlags.FIRST_AND_LAST, whole.flags());
        byte[] ten = Samples.seq(10);
        byte[] expected = Streams.concat(ten, ten, ten);
        assertArrayEquals(expected, whole.stub());
        assertFalse(r.inProgress());
        // an unfragmented request passes straight through
        assertEquals(7, r.add(frag(7, FIRST | LAST, 0, 3)).callId());
    }

    @Test
    void fragmentWithoutFirstWhileIdleIsProtoError() {
        assertAnswer(new Reassembler(), PROTO_ERROR, frag(1, LAST, 0, 1));
        assertAnswer(new Reassembler(), PROTO_ERROR, frag(1, 0, 0, 1));
    }

    @Test
    void newFirstForTheCallInProgressIsProtoError() {
        Reassembler r = new Reassembler();
        r.add(frag(1, FIRST, 0, 8));
        assertAnswer(r, PROTO_ERROR, frag(1, FIRST, 0, 8));
        assertFalse(r.inProgress(), "the partial call is dropped");
    }

    @Test
    void interleavingTwoCallsIsProtoErrorEvenForACompleteRequest() {
        Reassembler r = new Reassembler();
        r.add(frag(1, FIRST, 0, 8));
        assertAnswer(r, PROTO_ERROR, frag(2, FIRST | LAST, 0, 8));
        r.add(frag(1, FIRST, 0, 8));
        assertAnswer(r, PROTO_ERROR, frag(2, LAST, 0, 8));
    }

    @Test
    void laterFragmentsContextAndOpnumAreIgnored() {
        // Windows and Samba run the call the first fragment names (raw_protocol ntlmssp_multi_auth_first1_lastSame111).
        Reassembler r = new Reassembler();
        r.add(frag(1, FIRST, 0, 8));
        Request whole = r.add(new Request(LAST, Drep.LITTLE_ENDIAN, 1, 0, 111, 111, null, new byte[1], null));
        assertEquals(1, whole.contextId());
        assertEquals(2, whole.opnum());
        assertEquals(9, whole.stub().length);
    }

    @Test
    void firstAllocHintOverTheLimitIsAccessDeniedAndDisconnect() {
        assertAnswer(new Reassembler(), ACCESS_DENIED, frag(1, FIRST, 4 * 1024 * 1024 + 1, 8));
        assertAnswer(new Reassembler(), ACCESS_DENIED, frag(1, FIRST, -1, 8)); // 0xFFFFFFFF unsigned
        assertNull(new Reassembler().add(frag(1, FIRST, 4 * 1024 * 1024, 8)));
    }

    @Test
    void theAllocHintOfAWholeRequestInOneFragmentIsIgnored() {
        // Windows answers such a request (Samba's raw_protocol test_alloc_hint): the hint announces nothing.
        Request whole = new Reassembler().add(frag(1, FIRST | LAST, -1, 8));
        assertEquals(8, whole.stub().length);
    }

    @Test
    void allocHintDoesNotSizeTheBuffer() {
        Reassembler r = new Reassembler();
        r.add(frag(1, FIRST, 4 * 1024 * 1024, 8));
        assertTrue(r.capacity() <= 64 * 1024, "capacity " + r.capacity());
    }

    @Test
    void totalOverTheLimitIsAccessDenied() {
        Reassembler r = new Reassembler(100, 1000);
        r.add(frag(1, FIRST, 0, 60));
        assertNull(r.add(frag(1, 0, 0, 40))); // exactly 100
        assertAnswer(r, ACCESS_DENIED, frag(1, LAST, 0, 1));
        assertAnswer(new Reassembler(100, 1000), ACCESS_DENIED, frag(1, FIRST | LAST, 0, 101));
    }

    @Test
    void fragmentCountIsLimited() {
        Reassembler r = new Reassembler(1000, 3);
        r.add(frag(1, FIRST, 0, 0));
        r.add(frag(1, 0, 0, 0));
        r.add(frag(1, 0, 0, 0));
        assertAnswer(r, ACCESS_DENIED, frag(1, LAST, 0, 0));
    }

    @Test
    void pendingCancelOnAFirstFragmentIsNoCallActive() {
        assertAnswer(new Reassembler(), new ProtocolException.Answer.SendFault(
                FaultStatus.RPC_S_NO_CALL_ACTIVE.code(), false, true),
                frag(1, FIRST | LAST | PfcFlags.PENDING_CANCEL, 0, 1));
    }

    @Test
    void discardDropsOnlyTheNamedCall() {
        Reassembler r = new Reassembler();
        r.add(frag(1, FIRST, 0, 8));
        assertFalse(r.discard(2));
        assertTrue(r.discard(1));
        assertEquals(3, r.add(frag(3, FIRST | LAST, 0, 1)).callId());
    }

    static void assertAnswer(Reassembler r, ProtocolException.Answer answer, Request fragment) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> r.add(fragment));
        assertEquals(answer, e.answer(), e.getMessage());
    }
}
