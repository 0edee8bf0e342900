package dev.weft.transport;

/**
 * A connection was asked for with a partial binding (no endpoint). Resolve the endpoint through the endpoint
 * mapper ({@code ept_map} on {@code ncacn_ip_tcp:host[135]}) first; the transport never guesses one.
 */
public final class UnresolvedEndpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnresolvedEndpointException(Endpoint endpoint) {
        super(endpoint + " has no endpoint: resolve it through the endpoint mapper (or give one, e.g. "
                + example(endpoint) + ") before connecting");
    }

    private static String example(Endpoint e) {
        return switch (e.protseq()) {
            case NCACN_IP_TCP, NCACN_HTTP -> e.toBinding().withEndpoint("1350").toString();
            case NCALRPC -> "ncalrpc:[name]";
            case NCACN_NP -> e.toBinding().withEndpoint("\\pipe\\name").toString();
        };
    }
}
