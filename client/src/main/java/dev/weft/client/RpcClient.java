package dev.weft.client;

import dev.weft.ndr.SyntaxId;
import dev.weft.pdu.AuthLevel;
import dev.weft.transport.Connection;
import dev.weft.transport.Protseq;
import dev.weft.transport.StringBinding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 *
 * <p>{@link #withAuth} gives a view of the client whose calls run under another security context, with other
 * credentials or another level, on the same connection (security context multiplexing, MS-RPCE 3.3.1.5.4).
 */
public final class RpcClient implements AutoCloseable {
    /** The connections, shared by a client and its {@link #withAuth views}. */
    private final Pool pool;
    /** The credentials this client's calls run under: the options' for the client itself, others for a view. */
    private final ClientAuth auth;
    private final boolean view;

    private RpcClient(Pool pool, ClientAuth auth, boolean view) {
        this.pool = pool;
        this.auth = auth;
        this.view = view;
    }

    /** A client for a string binding such as {@code ncacn_ip_tcp:127.0.0.1[1350]} or {@code ncalrpc:[weft]}. */
    public static RpcClient connect(String binding) {
        return connect(binding, ClientOptions.DEFAULT);
    }

    public static RpcClient connect(String binding, ClientOptions options) {
        StringBinding b = StringBinding.parse(binding);
        Pool pool = new Pool(b, options);
        if (b.endpoint() != null) pool.connectNow();
        return new RpcClient(pool, options.auth(), false);
    }

    /**
     * A view of this client whose calls run under a security context of their own, built with {@code auth}'s
     * mechanism, credentials and level, on the same connection (or on each connection of a pool, as calls reach
     * it): security context multiplexing, MS-RPCE 3.3.1.5.4. The context is built by alter_context when the view
     * first binds an interface, under a new {@code auth_context_id}, with its own keys and sequence numbers; calls
     * through the view and through the client may run at once. Views with equal {@link ClientAuth}s share one context.
     *
     * <p>The view shares the connection: closing it does nothing (MS-RPCE has no PDU that ends one security context;
     * it ends with its connection), close the client it came from.
     *
     * @throws IllegalArgumentException for a CONNECT-level view of a client without authentication: a server runs
     *                                  the requests that name no context under a lone CONNECT-level context
     *                                  (MS-RPCE 3.3.1.5.4), so the client's own calls would run as the view's user
     */
    public RpcClient withAuth(ClientAuth auth) {
        Objects.requireNonNull(auth, "auth");
        if (pool.options.auth() == null && auth.level() == AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT) {
            throw new IllegalArgumentException("a CONNECT-level security context beside an unauthenticated bind would "
                    + "take over the unauthenticated calls; authenticate the client, or use a level above CONNECT");
        }
        return new RpcClient(pool, auth, true);
    }

    /**
     * Binds an interface (bind on the first call, alter_context after it) and returns the handle generated stubs
     * call through. Binding the same interface again returns the same handle.
     *
     * @throws RpcBindException            when the server refuses the interface or the bind
     * @throws RpcSecurityContextException for a view, when its security context cannot be built
     * @throws RpcTransportException       when the server cannot be reached
     */
    public BindingHandle bind(SyntaxId iface) {
        BindingHandle first = pool.connection(iface).bind(iface, auth);
        return pool.options.maxConnections() == 1 ? first
                : new PooledBinding(this, iface, first.syntax(), first.timeout());
    }

    /** The credentials this client's calls run under ({@code null}: none). */
    ClientAuth auth() {
        return auth;
    }

    /** Every open connection, the first one first. */
    List<ClientConnection> connections() {
        return pool.connections();
    }

    /**
     * The connection with the fewest calls in flight; a new one, joining the first one's association group, when
     * every open one has at least one and the pool has room.
     */
    ClientConnection leastBusy() {
        return pool.leastBusy();
    }

    /** The association group of the connection (0 before the first bind); pass it in {@link ClientOptions} to
     * open another connection in the same group. */
    public int associationGroupId() {
        ClientConnection c = pool.first();
        return c == null ? 0 : c.associationGroupId();
    }

    /** Whether the server granted concurrent calls on the connection (PFC_CONC_MPX). */
    public boolean concurrentMultiplexing() {
        ClientConnection c = pool.first();
        return c != null && c.concurrentMultiplexing();
    }

    /**
     * The bind-time features the server accepted (MS-RPCE 3.3.1.5.3): {@code BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING}
     * (what {@link #withAuth} needs) and {@code KEEP_CONNECTION_ON_ORPHAN}. 0 before the first bind.
     */
    public int negotiatedFeatures() {
        ClientConnection c = pool.first();
        return c == null ? 0 : c.features();
    }

    /**
     * The session key of this client's security context (NTLMSSP's ExportedSessionKey, the Kerberos subkey), or of
     * the view's own context for a {@link #withAuth view}: the key some protocols encrypt secrets with inside the
     * sealed stub, such as MS-SAMR's password-setting levels over TCP (MS-SAMR 3.2.2.3). Empty before the first bind
     * (of the view) and without authentication. A copy.
     *
     * @throws IllegalStateException for a pooled client ({@link ClientOptions#withMaxConnections} above 1): every
     *                               connection authenticates on its own, with its own key, and a call cannot be
     *                               pinned to one of them
     */
    public Optional<byte[]> sessionKey() {
        if (pool.options.maxConnections() > 1) {
            throw new IllegalStateException("each pooled connection has its own session key; use one connection");
        }
        ClientConnection c = pool.first();
        return Optional.ofNullable(c == null ? null : c.sessionKey(auth));
    }

    /**
     * Closes the connection; calls still waiting fail with {@link RpcTransportException}. On a {@link #withAuth view},
     * nothing: the connection belongs to the client the view came from.
     */
    @Override
    public void close() {
        if (!view) pool.close();
    }

    /** The connections to one server: the first, opened by the first bind, and a pool's further ones. */
    private static final class Pool {
        private final StringBinding binding;
        private final ClientOptions options;
        private final ReentrantLock lock = new ReentrantLock();
        private ClientConnection connection;
        /** The pool's further connections, in the first one's association group (ClientOptions.maxConnections). */
        private final List<ClientConnection> more = new ArrayList<>();
        private StringBinding resolved;
        private boolean closed;

        Pool(StringBinding binding, ClientOptions options) {
            this.binding = binding;
            this.options = options;
        }

        void connectNow() {
            lock.lock();
            try {
                resolved = binding;
                connection = open(binding, options);
            } finally {
                lock.unlock();
            }
        }

        ClientConnection first() {
            lock.lock();
            try {
                return connection;
            } finally {
                lock.unlock();
            }
        }

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

        ClientConnection connection(SyntaxId iface) {
            lock.lock();
            try {
                if (closed) throw new RpcTransportException("the client is closed", null);
                if (connection == null) {
                    resolved = binding.endpoint() != null ? binding : binding.withEndpoint(String.valueOf(resolve(iface)));
                    connection = open(resolved, options);
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

        private static ClientConnection open(StringBinding b, ClientOptions options) {
            try {
                Connection c = options.transports().connect(b, options.connectTimeout());
                return new ClientConnection(c, options);
            } catch (IOException e) {
                throw new RpcTransportException("cannot connect to " + b + ": " + e.getMessage(), e);
            }
        }

        void close() {
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
}
