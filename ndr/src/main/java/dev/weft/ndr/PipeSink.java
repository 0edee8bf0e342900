package dev.weft.ndr;

import java.io.IOException;

/**
 * Where the chunks of a pipe go, one at a time (C706 14.3.9; MIDL's push procedure). A server writes an
 * {@code [out]} pipe into one and each chunk leaves in response fragments as it is pushed; a client hands one to
 * a call whose operation has an {@code [out]} pipe, and the stub pushes each chunk into it as it is decoded.
 *
 * <p>A pipe ends when the operation returns (server) or when the stub reads its terminating empty chunk
 * (client): nobody pushes an end marker.
 *
 * @param <T> a chunk: an array of the pipe's element ({@code byte[]} for {@code pipe byte})
 */
@FunctionalInterface
public interface PipeSink<T> {
    /** Takes one chunk; blocks while the other side is slower (back-pressure). Empty chunks are skipped. */
    void push(T chunk) throws IOException;
}
