package dev.weft.pdu;

import dev.weft.ndr.ByteSink;

/**
 * Cuts a stub that is still being written into fragment-sized pieces (RPCE-FACTS §8), for pipes: a streaming
 * {@link dev.weft.ndr.NdrWriter} hands its bytes here and each full piece goes to the {@link Emitter} as soon as the
 * next byte shows it is not the last. {@link #finish()} sends what remains with PFC_LAST_FRAG. The first piece
 * carries PFC_FIRST_FRAG. Memory is one fragment's stub, whatever the stub's length.
 *
 * <p>{@code alloc_hint} is the remaining stub length, which a stream does not know until its end: the emitter
 * gets 0 ("unknown", C706) for every piece but the last, whose hint is its own length.
 */
public final class StreamFragmenter implements ByteSink {
    /** Sends one piece as a fragment. {@code stub} is reused once this returns. */
    @FunctionalInterface
    public interface Emitter {
        void fragment(byte[] stub, int length, int flags, int allocHint);
    }

    private final byte[] piece;
    private final Emitter emitter;
    private int length;
    private boolean started;
    private boolean finished;
    private long total;

    /** @param stubSpace stub bytes per fragment ({@link Fragmenter#stubSpace}) */
    public StreamFragmenter(int stubSpace, Emitter emitter) {
        if (stubSpace <= 0) throw new IllegalArgumentException("no stub space");
        this.piece = new byte[stubSpace];
        this.emitter = emitter;
    }

    @Override
    public void accept(byte[] buffer, int offset, int n) {
        if (finished) throw new IllegalStateException("stream already finished");
        while (n > 0) {
            if (length == piece.length) emit(0); // more is coming, so the full piece is not the last
            int k = Math.min(piece.length - length, n);
            System.arraycopy(buffer, offset, piece, length, k);
            length += k;
            offset += k;
            n -= k;
            total += k;
        }
    }

    /** Sends the last piece (possibly empty, when the stub is) with PFC_LAST_FRAG. */
    public void finish() {
        if (finished) return;
        emit(PfcFlags.LAST_FRAG);
        finished = true;
    }

    /** Whether a fragment has gone out already: after that, a failure can only be answered with a fault. */
    public boolean started() {
        return started;
    }

    /** Stub bytes accepted so far. */
    public long total() {
        return total;
    }

    private void emit(int last) {
        int flags = (started ? 0 : PfcFlags.FIRST_FRAG) | last;
        started = true;
        int n = length;
        length = 0;
        emitter.fragment(piece, n, flags, last != 0 ? n : 0);
    }
}
