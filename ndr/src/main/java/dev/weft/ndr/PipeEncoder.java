package dev.weft.ndr;

import java.io.IOException;

/**
 * The {@code [out]} pipe a generated server skeleton hands to the implementation: each pushed chunk is encoded
 * into the response stub at once (C706 14.3.9; NDR64's negated trailer, MS-RPCE 2.2.5.3.4.5), and a streaming
 * writer passes it on as response fragments, so the pipe is never held whole.
 *
 * <p>Pipes go out in declaration order, each to its terminating empty chunk (RPCE-FACTS §10.9): the first push
 * into a later pipe ends the earlier ones, and a push into an ended pipe fails. The skeleton {@link #end ends}
 * every pipe once the operation returns.
 *
 * <p>The response's pipes follow the whole request (C706 14.3.9; MIDL's "Rules for Multiple Pipes": drain every
 * input pipe, in order, before filling any output pipe), and a client sends its whole request before it reads an
 * answer, so a push while the request's pipes are still arriving could leave both directions full. The first push
 * therefore reads and drops what the implementation left of the {@code [in]} pipes, as pulling a later pipe skips
 * an earlier one.
 */
public final class PipeEncoder<T> implements PipeSink<T> {
    /** Encodes the elements of one non-empty chunk between its count and its trailer. */
    @FunctionalInterface
    public interface Elements<T> {
        void write(T chunk);
    }

    /** The element count of a chunk. */
    @FunctionalInterface
    public interface Length<T> {
        int of(T chunk);
    }

    private final NdrWriter w;
    private final PipeEncoder<?> previous;
    private final PipeDecoder<?> request;
    private final Length<T> length;
    private final Elements<T> elements;
    private boolean ended;

    /**
     * @param previous the pipe declared before this one in the same response, or {@code null}
     */
    public PipeEncoder(NdrWriter w, PipeEncoder<?> previous, Length<T> length, Elements<T> elements) {
        this(w, previous, null, length, elements);
    }

    /**
     * @param previous the pipe declared before this one in the same response, or {@code null}
     * @param request  the last {@code [in]} (or {@code [in, out]}) pipe of the request, drained before the first
     *                 chunk goes out; {@code null} when the request has none
     */
    public PipeEncoder(NdrWriter w, PipeEncoder<?> previous, PipeDecoder<?> request, Length<T> length,
                       Elements<T> elements) {
        this.w = w;
        this.previous = previous;
        this.request = request;
        this.length = length;
        this.elements = elements;
    }

    @Override
    public void push(T chunk) throws IOException {
        if (ended) throw new IOException("pipe already ended: pipes are written in declaration order");
        if (request != null) request.skip(); // nothing once the request's pipes are read to their end
        if (previous != null) previous.end();
        int n = length.of(chunk);
        if (n == 0) return; // an empty chunk would end the pipe
        try {
            w.beginPipeChunk(n);
            elements.write(chunk);
            w.endPipeChunk(n);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // the runtime could not send a fragment: the connection is gone
        }
    }

    /** Ends this pipe (and those before it) with the empty chunk; idempotent. */
    public void end() {
        if (ended) return;
        if (previous != null) previous.end();
        ended = true;
        w.writePipeEnd();
    }
}
