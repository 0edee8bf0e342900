package dev.weft.ndr;

import java.io.IOException;

/**
 * Where the chunks of a pipe come from, one at a time (C706 14.3.9; MIDL's pull procedure). A server reads an
 * {@code [in]} pipe from one, chunk by chunk as the request fragments arrive; a client hands one to a call whose
 * operation has an {@code [in]} pipe, and the stub pulls from it while it streams the request.
 *
 * @param <T> a chunk: an array of the pipe's element ({@code byte[]} for {@code pipe byte})
 */
@FunctionalInterface
public interface PipeSource<T> {
    /**
     * Blocks until the next chunk is there; {@code null} at the end of the pipe. An empty chunk is allowed and
     * skipped on the wire (an empty chunk would end the pipe).
     */
    T pull() throws IOException;
}
