package dev.weft.ndr;

/**
 * The {@code [in]} pipe a generated server skeleton hands to the implementation: each pull decodes the next chunk
 * from the request stub, which a streaming reader takes from request fragments as they arrive, so the pipe is
 * never held whole. Chunk counts are the peer's: the reader checks each against {@link NdrLimits} and allocates
 * only as bytes arrive.
 *
 * <p>Pipes arrive in declaration order (RPCE-FACTS §10.9): pulling a later pipe first skips what is left of the
 * earlier ones.
 */
public final class PipeDecoder<T> implements PipeSource<T> {
    /** Decodes the elements of one chunk of {@code count} elements (count > 0). */
    @FunctionalInterface
    public interface Elements<T> {
        T read(int count);
    }

    private final NdrReader r;
    private final PipeDecoder<?> previous;
    private final Elements<T> elements;
    private boolean ended;

    /**
     * @param previous the pipe declared before this one in the same request, or {@code null}
     */
    public PipeDecoder(NdrReader r, PipeDecoder<?> previous, Elements<T> elements) {
        this.r = r;
        this.previous = previous;
        this.elements = elements;
    }

    @Override
    public T pull() {
        if (ended) return null;
        if (previous != null) previous.skip();
        int n = r.beginPipeChunk();
        if (n == 0) {
            r.endPipeChunk(0);
            ended = true;
            return null;
        }
        T chunk = elements.read(n);
        r.endPipeChunk(n);
        return chunk;
    }

    /** Reads and drops the rest of this pipe. */
    public void skip() {
        while (pull() != null) {
            // dropped
        }
    }
}
