package dev.weft.client;

import dev.weft.ndr.SyntaxId;
import dev.weft.transport.Connection;
import dev.weft.transport.Protseq;
import dev.weft.transport.StringBinding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client of one RPC server, over one connection.
 *
 * <pre>{@code
 * try (var client = RpcClient.connect("ncacn_ip_tcp:dc.example.com")) {      // no port: ask the endpoint mapper
 *     BindingHandle samr = client.bind(SAMR_INTERFACE_ID);                     // generated stubs wrap this
 *     NdrReader answer = samr.call(opnum, requestStub);
 * }
 * }</pre>
 *
 * <p>The connection is opened by the first {@link #bind}: when the binding names no endpoint, the server's
 * endpoint mapper (port 135) is asked where that interface listens, as Windows does. Later binds add
 * presentation contexts to the same connection with alter_context. Calls are safe from many threads at once;
 * with PFC_CONC_MPX (which Weft and Samba grant) they run concurrently on the one connection.
 */
public final class RpcClient implements AutoCloseable {
    private final StringBinding binding;
    private final ClientOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private ClientConnection connection;
    /** The pool's further connections, in the first one's association group (ClientOptions.maxConnections). */
    private final List<ClientConnection> more = new ArrayList<>();
    private StringBinding resolved;
    private boolean closed;

    private RpcClient(StringBinding binding, ClientOptions options) {
        this.binding = binding;
        this.options = options;
    }

    /** A client for a string binding such as {@code ncacn_ip_tcp:127.0.0.1[1350]} or {@code ncalrpc:[weft]}. */
    public static RpcClient connect(String binding) {
        return connect(binding, ClientOptions.DEFAULT);
    }

    public static RpcClient connect(String binding, ClientOptions options) {
        StringBinding b = StringBinding.parse(binding);
        RpcClient client = new RpcClient(b, options);
        if (b.endpoint() != null) {
            client.lock.lock();
            try {
                client.resolved = b;
                client.connection = client.open(b);
            } finally {
                client.lock.unlock();
            }
        }
        return client;
    }

    /**
     * Binds an interface (bind on the first call, alter_context after it) and returns the handle generated stubs
     * call through. Binding the same interface again returns the same handle.
     *
     * @throws RpcBindException      when the server refuses the interface or the bind
     * @throws RpcTransportException when the server cannot be reached
     */
    public BindingHandle bind(SyntaxId iface) {
        BindingHandle first = connection(iface).bind(iface);
        return options.maxConnections() == 1 ? first
                : new PooledBinding(this, iface, first.syntax(), first.timeout());
    }

    /** Every open connection, the first one first. */
    List<ClientConnection> connections() {
        lock.lock();
        try {
            List<ClientConnection> all = new ArrayList<>();
            if (connection != null) all.add(connection);
            all.addAll(more);
            return all;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The connection with the fewest calls in flight; a new one, joining the first one's association group, when
     * every open one has at least one and the pool has room.
     */
    ClientConnection leastBusy() {
        lock.lock();
        try {
            if (closed) throw new RpcTransportException("the client is closed", null);
            ClientConnection best = connection;
            for (ClientConnection c : more) if (c.inFlight() < best.inFlight()) best = c;
            if (best.inFlight() > 0 && 1 + more.size() < options.maxConnections()) {
                best = open(resolved, options.withAssociationGroup(connection.associationGroupId()));
                more.add(best);
            }
            return best;
        } finally {
            lock.unlock();
        }
    }

    /** The association group of the connection (0 before the first bind); pass it in {@link ClientOptions} to
     * open another connection in the same group. */
    public int associationGroupId() {
        lock.lock();
        try {
            return connection == null ? 0 : connection.associationGroupId();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the server granted concurrent calls on the connection (PFC_CONC_MPX). */
    public boolean concurrentMultiplexing() {
        lock.lock();
        try {
            return connection != null && connection.concurrentMultiplexing();
        } finally {
            lock.unlock();
        }
    }

    /** The bind-time features the server accepted (MS-RPCE 3.3.1.5.3). */
    public int negotiatedFeatures() {
        lock.lock();
        try {
            return connection == null ? 0 : connection.features();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The session key of the connection's security context (NTLMSSP's ExportedSessionKey, the Kerberos subkey):
     * the key some protocols encrypt secrets with inside the sealed stub, such as MS-SAMR's password-setting
     * levels over TCP (MS-SAMR 3.2.2.3). Empty before the first bind and without authentication. A copy.
     *
     * @throws IllegalStateException for a pooled client ({@link ClientOptions#withMaxConnections} above 1): every
     *                               connection authenticates on its own, with its own key, and a call cannot be
     *                               pinned to one of them
     */
    public Optional<byte[]> sessionKey() {
        if (options.maxConnections() > 1) {
            throw new IllegalStateException("each pooled connection has its own session key; use one connection");
        }
        lock.lock();
        try {
            return Optional.ofNullable(connection == null ? null : connection.sessionKey());
        } finally {
            lock.unlock();
        }
    }

    private ClientConnection connection(SyntaxId iface) {
        lock.lock();
        try {
            if (closed) throw new RpcTransportException("the client is closed", null);
            if (connection == null) {
                resolved = binding.endpoint() != null ? binding : binding.withEndpoint(String.valueOf(resolve(iface)));
                connection = open(resolved);
            }
            return connection;
        } finally {
            lock.unlock();
        }
    }

    /** Asks the server's endpoint mapper where {@code iface} listens over TCP. */
    private int resolve(SyntaxId iface) {
        if (binding.protseq() != Protseq.NCACN_IP_TCP) {
            throw new RpcBindException(binding + " names no endpoint, and only ncacn_ip_tcp endpoints can be resolved", 0);
        }
        // The endpoint mapper is asked without authentication, as Windows clients do; the calls then authenticate.
        StringBinding epmBinding = binding.withEndpoint(String.valueOf(EndpointMapperClient.EPMAPPER_PORT));
        try (ClientConnection epm = open(epmBinding, options.withAuth(null))) {
            List<Integer> ports = EndpointMapperClient.mapTcp(epm.bind(EndpointMapperClient.EPMAPPER), iface);
            if (ports.isEmpty()) throw new RpcBindException("the endpoint mapper returned no TCP tower for " + iface, 0);
            return ports.get(0);
        }
    }

    private ClientConnection open(StringBinding b) {
        return open(b, options);
    }

    private ClientConnection open(StringBinding b, ClientOptions options) {
        try {
            Connection c = options.transports().connect(b, options.connectTimeout());
            return new ClientConnection(c, options);
        } catch (IOException e) {
            throw new RpcTransportException("cannot connect to " + b + ": " + e.getMessage(), e);
        }
    }

    /** Closes the connection; calls still waiting fail with {@link RpcTransportException}. */
    @Override
    public void close() {
        List<ClientConnection> all;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            all = new ArrayList<>(more);
            if (connection != null) all.add(0, connection);
        } finally {
            lock.unlock();
        }
        for (ClientConnection c : all) c.close();
    }
}
