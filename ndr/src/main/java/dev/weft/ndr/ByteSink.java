package dev.weft.ndr;

/**
 * Where a streaming {@link NdrWriter} hands its bytes when its buffer fills: the runtime cuts them into
 * fragments, so an {@code [out]} pipe of any length goes out without ever being buffered whole.
 */
@FunctionalInterface
public interface ByteSink {
    /** Takes {@code length} bytes of {@code buffer} from {@code offset}; the buffer is reused after this returns. */
    void accept(byte[] buffer, int offset, int length);
}
