package dev.weft.transport;

import java.io.IOException;
import java.time.Duration;

/**
 * A way to move RPC bytes: one per protocol sequence. Blocking by design: callers are virtual threads.
 *
 * <p>Implementations are thread-safe and hold no per-connection state. New transports (ncacn_np, ncacn_http) join
 * by implementing this interface and passing the transport contract test suite.
 */
public interface Transport {

    /** The protocol sequence this transport implements. */
    Protseq protseq();

    /**
     * Connects to a full endpoint.
     *
     * @param timeout how long connecting may take; positive
     * @throws UnresolvedEndpointException if the endpoint has no name or port (resolve it through the endpoint
     *         mapper first)
     * @throws IllegalArgumentException if the endpoint is of another protocol sequence or not valid for this one
     * @throws java.net.ConnectException if nothing listens there (promptly, not after the timeout)
     * @throws java.net.SocketTimeoutException if the timeout passed first
     * @throws IOException for other failures (unknown host, ...)
     */
    Connection connect(Endpoint endpoint, Duration timeout) throws IOException;

    /** Connects to the binding's endpoint; options and object UUID are the RPC layers' business. */
    default Connection connect(StringBinding binding, Duration timeout) throws IOException {
        return connect(binding.toEndpoint(), timeout);
    }

    /**
     * Starts listening.
     *
     * @param endpoint where; port 0 or a null name picks one, which {@link Listener#endpoint()} then reports
     * @throws java.net.BindException if the endpoint is in use
     * @throws IOException for other failures
     */
    Listener listen(Endpoint endpoint) throws IOException;
}
