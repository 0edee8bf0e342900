package dev.weft.transport;

import java.io.IOException;

/** {@link Listener#accept()} was called on, or was blocked in, a listener that has been closed. */
public final class ListenerClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    public ListenerClosedException(Endpoint endpoint, Throwable cause) {
        super("listener " + endpoint + " is closed", cause);
    }
}
