package dev.weft.fuzz;

import dev.weft.ndr.Uuid;
import dev.weft.pdu.CoCancel;
import dev.weft.pdu.Framer;
import dev.weft.pdu.Orphaned;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.ProtocolException;
import dev.weft.pdu.Reassembler;
import dev.weft.pdu.Request;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * (b) {@link Reassembler} fed the request fragments of a stream (co_cancel and orphaned discard the partial call,
 * as the server does), with Windows' limits or small ones (64 KiB, 16 fragments). Typed error:
 * {@link ProtocolException}, after which the stream ends as the server's connection would. Oracle: a whole request
 * is FIRST|LAST, has alloc_hint = stub length, and its stub is the concatenation of the stubs of its call's
 * fragments since its FIRST fragment.
 */
final class ReassemblyTarget implements Target {
    private final Mutator mutator = new Mutator(70_000);

    @Override
    public String name() {
        return "reassembly";
    }

    @Override
    public List<byte[]> seeds(Random random) {
        List<byte[]> seeds = new ArrayList<>();
        int[] sizes = {0, 10, 100, 2100, 5000, 9000, 20000};
        int[] frags = {2048, 4280, 5840};
        for (int size : sizes) {
            byte[] stub = new byte[size];
            random.nextBytes(stub);
            int frag = frags[random.nextInt(frags.length)];
            seeds.add(Pdus.fragmented(1 + random.nextInt(9), random.nextInt(3), random.nextInt(10),
                    random.nextBoolean() ? null : new Uuid(random.nextLong(), random.nextLong()), stub, frag));
        }
        for (int i = 0; i < 4; i++) { // several calls back to back, one with a cancel in the middle
            List<byte[]> calls = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                byte[] stub = new byte[random.nextInt(6000)];
                random.nextBytes(stub);
                calls.add(Pdus.fragmented(c + 1, 0, c, null, stub, 2048));
            }
            if (i == 0) calls.add(1, PduCodec.encode(new CoCancel(PfcFlags.FIRST_AND_LAST, 0x10, 2, null)));
            if (i == 1) calls.add(2, PduCodec.encode(new Orphaned(PfcFlags.FIRST_AND_LAST, 0x10, 3, null)));
            seeds.add(Pdus.concat(calls));
        }
        return seeds;
    }

    @Override
    public String execute(byte[] input) throws Exception {
        boolean small = (input.length & 1) == 0;
        Reassembler reassembler = small ? new Reassembler(64 * 1024, 16) : new Reassembler();
        Framer framer = new Framer(new ByteArrayInputStream(input), PduCodec.MAX_FRAGMENT);
        List<byte[]> parts = new ArrayList<>();
        Request first = null;
        int wholes = 0;
        int fragments = 0;
        byte[] fragment;
        while ((fragment = framer.readFragment()) != null) {
            Pdu pdu = PduCodec.decode(fragment);
            switch (pdu) {
                case Request r -> {
                    fragments++;
                    if (PfcFlags.has(r.flags(), PfcFlags.FIRST_FRAG)) {
                        parts.clear();
                        first = r;
                    }
                    parts.add(r.stub());
                    Request whole = reassembler.add(r);
                    if (whole != null) {
                        wholes++;
                        check(whole, first, parts);
                        parts.clear();
                        first = null;
                    }
                }
                case CoCancel c -> discard(reassembler, c.callId(), parts, first);
                case Orphaned o -> discard(reassembler, o.callId(), parts, first);
                default -> {
                }
            }
            if (first != null && !reassembler.inProgress()) {
                first = null;
                parts.clear();
            }
        }
        return (small ? "small " : "") + Math.min(wholes, 3) + " whole of " + Math.min(fragments, 8)
                + (reassembler.inProgress() ? " partial" : "");
    }

    private static void discard(Reassembler reassembler, int callId, List<byte[]> parts, Request first) {
        reassembler.discard(callId);
    }

    private static void check(Request whole, Request first, List<byte[]> parts) {
        if (first == null) throw new PropertyViolation("a whole request without a FIRST fragment");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        parts.forEach(expected::writeBytes);
        if (!Arrays.equals(expected.toByteArray(), whole.stub())) {
            throw new PropertyViolation("reassembled stub of call " + whole.callId() + " is not its fragments' stubs");
        }
        if (whole.callId() != first.callId() || whole.opnum() != first.opnum() || whole.contextId() != first.contextId()
                || (whole.flags() & PfcFlags.FIRST_AND_LAST) != PfcFlags.FIRST_AND_LAST
                || whole.allocHint() != whole.stub().length || whole.auth() != null) {
            throw new PropertyViolation("whole request header wrong: " + whole + " first " + first);
        }
    }

    @Override
    public boolean allowed(Throwable t) {
        return t instanceof ProtocolException;
    }

    @Override
    public long allocationBound(byte[] input) {
        return 24L * input.length + PduCodec.MAX_FRAGMENT + 48 * 1024; // the framer: see PduTarget
    }

    @Override
    public byte[] mutateStructure(byte[] input, Random random, List<byte[]> corpus) {
        return Pdus.mutateStream(input, random, corpus, mutator);
    }
}
