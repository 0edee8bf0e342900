package dev.weft.transport;

import dev.weft.transport.internal.NcalrpcTransport;
import dev.weft.transport.internal.TcpTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The transports by protocol sequence. Immutable; {@link #with} makes a new registry, which is how later transports
 * ({@code ncacn_np}, {@code ncacn_http}) or differently configured ones join.
 *
 * <pre>{@code
 * Transports transports = Transports.defaults();
 * try (Connection c = transports.connect(StringBinding.parse("ncacn_ip_tcp:127.0.0.1[1350]"), Duration.ofSeconds(5))) {
 *     c.output().write(pdu);
 * }
 * }</pre>
 */
public final class Transports {

    private final Map<Protseq, Transport> byProtseq;

    private Transports(Map<Protseq, Transport> byProtseq) {
        this.byProtseq = Collections.unmodifiableMap(byProtseq);
    }

    /** {@code ncacn_ip_tcp} and {@code ncalrpc} (on its default directory). */
    public static Transports defaults() {
        return of(tcp(), ncalrpc());
    }

    /** A registry of exactly these transports, one per protocol sequence. */
    public static Transports of(Transport... transports) {
        EnumMap<Protseq, Transport> map = new EnumMap<>(Protseq.class);
        for (Transport t : transports) {
            Objects.requireNonNull(t, "transport");
            if (map.putIfAbsent(t.protseq(), t) != null) {
                throw new IllegalArgumentException("two transports for " + t.protseq() + ": " + map.get(t.protseq())
                        + " and " + t);
            }
        }
        return new Transports(map);
    }

    /** This registry with {@code transport} added, replacing any for the same protocol sequence. */
    public Transports with(Transport transport) {
        EnumMap<Protseq, Transport> map = new EnumMap<>(Protseq.class);
        map.putAll(byProtseq);
        map.put(transport.protseq(), transport);
        return new Transports(map);
    }

    /** A new {@code ncacn_ip_tcp} transport. */
    public static Transport tcp() {
        return new TcpTransport();
    }

    /**
     * A new {@code ncalrpc} transport on the default directory: {@code -Dweft.ncalrpc.dir}, else
     * {@code ${java.io.tmpdir}/weft-ncalrpc}, owner-only.
     */
    public static Transport ncalrpc() {
        return new NcalrpcTransport();
    }

    /** A new {@code ncalrpc} transport whose endpoint {@code name} is the socket {@code directory/name}. */
    public static Transport ncalrpc(Path directory) {
        return new NcalrpcTransport(directory);
    }

    /** The transport for a protocol sequence, if registered. */
    public Optional<Transport> find(Protseq protseq) {
        return Optional.ofNullable(byProtseq.get(protseq));
    }

    /**
     * The transport for a protocol sequence.
     *
     * @throws IllegalArgumentException if none is registered
     */
    public Transport get(Protseq protseq) {
        Transport t = byProtseq.get(Objects.requireNonNull(protseq, "protseq"));
        if (t == null) {
            throw new IllegalArgumentException("no transport for " + protseq + " (registered: "
                    + (byProtseq.isEmpty() ? "none" : String.join(", ", byProtseq.keySet().stream()
                    .map(Protseq::token).toList())) + ")");
        }
        return t;
    }

    /** All registered transports. */
    public Collection<Transport> all() {
        return byProtseq.values();
    }

    /** Connects with the transport of the binding's protocol sequence. */
    public Connection connect(StringBinding binding, Duration timeout) throws IOException {
        return get(binding.protseq()).connect(binding, timeout);
    }

    /** Listens with the transport of the endpoint's protocol sequence. */
    public Listener listen(Endpoint endpoint) throws IOException {
        return get(endpoint.protseq()).listen(endpoint);
    }

    @Override
    public String toString() {
        return "Transports" + byProtseq.keySet();
    }
}
