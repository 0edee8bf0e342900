package dev.weft.transport;

import java.util.Map;
import java.util.Objects;

/**
 * Where a transport connects or listens: a protocol sequence, a network address and an endpoint name.
 *
 * <p>For {@code ncacn_ip_tcp} the address is an IP address or host name ({@code ""}: the local host to connect,
 * every interface to listen) and the name a port ({@code "0"} or null to listen on an ephemeral one). For
 * {@code ncalrpc} the address is ignored and the name is the endpoint's name (null to listen on a generated one).
 * A null name on connect means the binding is partial: the caller must resolve it through the endpoint mapper.
 *
 * @param protseq the protocol sequence
 * @param networkAddress the network address, never null ({@code ""} for the local host)
 * @param name the endpoint (port, pipe or name), or null
 */
public record Endpoint(Protseq protseq, String networkAddress, String name) {

    public Endpoint {
        // Validation and normalisation are the string binding's.
        StringBinding b = new StringBinding(protseq, networkAddress, name, Map.of(), null);
        networkAddress = b.networkAddress();
        name = b.endpoint();
    }

    /** Parses a string binding and keeps its transport part (options and object UUID are dropped). */
    public static Endpoint parse(String binding) {
        return StringBinding.parse(binding).toEndpoint();
    }

    /** {@code ncacn_ip_tcp:host[port]}. */
    public static Endpoint tcp(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
        return new Endpoint(Protseq.NCACN_IP_TCP, host, Integer.toString(port));
    }

    /** {@code ncalrpc:[name]}; a null name listens on a generated one. */
    public static Endpoint ncalrpc(String name) {
        return new Endpoint(Protseq.NCALRPC, "", name);
    }

    /** The name as a TCP port, for IP protocol sequences. */
    public int port() {
        if (!protseq.isIp() || name == null) {
            throw new IllegalStateException(this + " has no port");
        }
        return Integer.parseInt(name);
    }

    /** This endpoint as a string binding without options or object UUID. */
    public StringBinding toBinding() {
        return StringBinding.of(protseq, networkAddress, name);
    }

    /** The canonical string binding, e.g. {@code ncacn_ip_tcp:127.0.0.1[1350]}. */
    @Override
    public String toString() {
        return toBinding().toString();
    }
}
