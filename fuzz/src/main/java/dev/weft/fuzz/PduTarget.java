package dev.weft.fuzz;

import dev.weft.pdu.Framer;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * (a) {@link Framer} and {@link PduCodec#decode} over byte streams of one or more fragments, read in pieces of 1 to 7
 * bytes or whole. Typed error: {@link ProtocolException}. Every decoded PDU must encode, and decode → encode of that
 * encoding must give the same bytes ({@link IllegalArgumentException} from {@code encode} is allowed only for its
 * documented case, a PDU over 65535 bytes).
 */
final class PduTarget implements Target {
    private final Mutator mutator = new Mutator(70_000);

    @Override
    public String name() {
        return "pdu";
    }

    @Override
    public List<byte[]> seeds(Random random) {
        List<byte[]> seeds = new ArrayList<>();
        List<Pdu> every = Pdus.every(random, Tokens.ntlmNegotiate());
        for (Pdu p : every) seeds.add(PduCodec.encode(p));
        for (int i = 0; i < 8; i++) {
            List<byte[]> s = new ArrayList<>();
            for (int k = 0; k < 2 + random.nextInt(3); k++) s.add(PduCodec.encode(every.get(random.nextInt(every.size()))));
            seeds.add(Pdus.concat(s));
        }
        byte[] big = new byte[7000];
        random.nextBytes(big);
        seeds.add(Pdus.fragmented(9, 0, 1, null, big, 2048));
        return seeds;
    }

    @Override
    public String execute(byte[] input) throws IOException {
        int piece = input.length % 8; // 0: whole reads
        int maxFragment = (input.length & 8) == 0 ? Framer.DEFAULT_MAX_FRAGMENT : PduCodec.MAX_FRAGMENT;
        Framer framer = new Framer(piece == 0 ? new ByteArrayInputStream(input) : new Pieces(input, piece), maxFragment);
        StringBuilder shape = new StringBuilder();
        byte[] fragment;
        int n = 0;
        while ((fragment = framer.readFragment()) != null) {
            Pdu pdu = PduCodec.decode(fragment);
            if (n++ == 0) {
                shape.append(pdu.getClass().getSimpleName()).append('/').append(pdu.flags() & 0x03)
                        .append(pdu.auth() == null ? "" : "+auth");
            }
            roundTrip(pdu);
        }
        return shape.append(" x").append(Math.min(n, 3)).toString();
    }

    static void roundTrip(Pdu pdu) {
        byte[] once;
        try {
            once = PduCodec.encode(pdu);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().endsWith("exceeds 65535")) return; // documented
            throw new PropertyViolation("decoded PDU does not encode: " + pdu, e);
        }
        byte[] twice;
        try {
            twice = PduCodec.encode(PduCodec.decode(once));
        } catch (RuntimeException e) {
            throw new PropertyViolation("re-encoded PDU does not decode again: " + pdu, e);
        }
        if (!Arrays.equals(once, twice)) {
            throw new PropertyViolation("decode → encode → decode → encode changed the bytes of " + pdu);
        }
    }

    @Override
    public boolean allowed(Throwable t) {
        return t instanceof ProtocolException;
    }

    @Override
    public long allocationBound(byte[] input) {
        // The framer allocates a whole fragment (up to its maxFragment, here at most 65535) once the header checks
        // out, before the body has arrived: bounded by configuration, not by the bytes received.
        return 24L * input.length + PduCodec.MAX_FRAGMENT + 48 * 1024;
    }

    @Override
    public byte[] mutateStructure(byte[] input, Random random, List<byte[]> corpus) {
        return Pdus.mutateStream(input, random, corpus, mutator);
    }

    /** A stream that returns at most {@code piece} bytes per read. */
    static final class Pieces extends InputStream {
        private final byte[] b;
        private final int piece;
        private int at;

        Pieces(byte[] b, int piece) {
            this.b = b;
            this.piece = piece;
        }

        @Override
        public int read() {
            return at < b.length ? b[at++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (len == 0) return 0;
            if (at >= b.length) return -1;
            int n = Math.min(Math.min(len, piece), b.length - at);
            System.arraycopy(b, at, dst, off, n);
            at += n;
            return n;
        }
    }
}
