package dev.weft.transport;

import java.util.Objects;

/**
 * Who is at the other end of a connection.
 *
 * <p>{@link #identity()} is what the server compares when a new connection asks to join an association group
 * (MS-RPCE 3.3.1.5.4: a client may only join a group it created): for {@code ncacn_ip_tcp} the peer's IP address
 * without the port, for {@code ncalrpc} the peer process's user and group from the socket credentials.
 * {@link #description()} adds the detail a log wants (the port).
 *
 * @param protseq the protocol sequence of the connection
 * @param identity the client identity, stable across that client's connections
 * @param description a human-readable description, e.g. {@code 127.0.0.1:50123}
 */
public record RemoteAddress(Protseq protseq, String identity, String description) {

    public RemoteAddress {
        Objects.requireNonNull(protseq, "protseq");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(description, "description");
    }

    /** Whether both connections come from the same client (same protocol sequence and identity). */
    public boolean sameClient(RemoteAddress other) {
        return other != null && protseq == other.protseq && identity.equals(other.identity);
    }

    @Override
    public String toString() {
        return description;
    }
}
