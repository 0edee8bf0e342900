package dev.weft.ndr;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What generated client stubs call on the caller's pipe ends: an {@link IOException} from the caller's own source
 * or sink leaves the stub as an {@link UncheckedIOException}, and the runtime abandons the call.
 */
public final class Pipes {
    private Pipes() {
    }

    /** The caller's next chunk, or {@code null} at the end. */
    public static <T> T pull(PipeSource<T> source) {
        try {
            return source.pull();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hands one decoded chunk to the caller. */
    public static <T> void push(PipeSink<T> sink, T chunk) {
        try {
            sink.push(chunk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
