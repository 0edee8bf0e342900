package dev.weft.client;

import java.time.Duration;

/**
 * A call had no answer within its timeout. The client has told the server to give it up ({@code co_cancel}, or
 * {@code orphaned} under KeepConnectionOnOrphan) and forgotten it; the connection stays usable for other calls.
 * The server may or may not have run the operation.
 */
public final class RpcTimeoutException extends RpcException {
    private final Duration timeout;

    public RpcTimeoutException(int callId, Duration timeout) {
        super("call " + callId + " had no answer within " + timeout, null);
        this.timeout = timeout;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }
}
