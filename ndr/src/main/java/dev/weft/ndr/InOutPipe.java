package dev.weft.ndr;

import java.io.IOException;
import java.util.Objects;

/**
 * An {@code [in, out]} pipe (C706 14.3.9; MIDL's pipe with both a pull and a push procedure): its chunks go to the
 * server in the request, and the server's chunks come back in the same pipe in the response.
 *
 * <p>A client passes one made of its own ends, {@link #of}: the stub pulls the request's chunks from {@code in} to
 * its end, and once the answer arrives pushes each chunk the server sent into {@code out}. A server gets one from
 * its skeleton: it pulls the client's chunks, then pushes its own. Pipes cross in wire order: the whole request (the
 * {@code [in]} parameters, then every {@code [in]} and {@code [in, out]} pipe in declaration order) before any of
 * the response (every {@code [out]} and {@code [in, out]} pipe in declaration order, then the {@code [out]}
 * parameters), so a server pulls the request's pipes before it pushes; its first push reads and drops what it left
 * unread (docs/pipes.md).
 *
 * @param <T> a chunk: an array of the pipe's element ({@code byte[]} for {@code pipe byte})
 */
public interface InOutPipe<T> extends PipeSource<T>, PipeSink<T> {

    /** The pipe whose request chunks are pulled from {@code in} and whose response chunks are pushed into {@code out}. */
    static <T> InOutPipe<T> of(PipeSource<T> in, PipeSink<T> out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        return new InOutPipe<>() {
            @Override
            public T pull() throws IOException {
                return in.pull();
            }

            @Override
            public void push(T chunk) throws IOException {
                out.push(chunk);
            }
        };
    }
}
