package dev.weft.ndr;

/**
 * Where a streaming {@link NdrReader} gets more stub bytes once its buffer runs dry: the runtime supplies the
 * stub of each request fragment as it arrives, so an {@code [in]} pipe is decoded chunk by chunk.
 */
@FunctionalInterface
public interface ByteSource {
    /**
     * Blocks until it can copy at least one byte into {@code buffer} at {@code offset}, at most {@code length};
     * returns how many, or -1 at the end of the stub.
     */
    int read(byte[] buffer, int offset, int length);
}
