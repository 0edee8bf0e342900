package dev.weft.server;

import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.transport.Connection;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Listener;
import dev.weft.transport.ListenerClosedException;
import dev.weft.transport.Transports;
import java.io.IOException;
import java.lang.System.Logger.Level;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.SecurityProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A DCE/RPC server: any number of endpoints (string bindings) and interfaces, one virtual thread per connection
 * and one per call.
 *
 * <pre>{@code
 * try (var server = RpcServer.builder()
 *         .listen("ncacn_ip_tcp:127.0.0.1[1350]")
 *         .listen("ncalrpc:[weft]")
 *         .service(myService)
 *         .build()
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops accepting, closes every connection (which cancels their calls), waits for every
 * thread to finish and runs down the context handles left open.
 */
public final class RpcServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RpcServer.class.getName());

    private final List<Endpoint> requested;
    private final List<RpcService> allServices;
    private final Map<Uuid, List<RpcService>> services;
    private final ServerStatistics statistics = new ServerStatistics();
    private final ServerLimits limits;
    private final Map<Integer, SecurityProvider> securityProviders;
    private final Map<RpcService, Integer> minimumAuthLevels;
    private final Transports transports;
    private final AssociationGroups groups = new AssociationGroups();
    private final Semaphore connectionPermits;
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new ArrayList<>();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private ExecutorService threads;
    private Thread watchdog;
    private boolean closed;

    /** What a connection needs from its server. */
    interface Runtime {
        ServerLimits limits();

        AssociationGroups groups();

        RpcService service(SyntaxId abstractSyntax);

        void connectionEnded(ServerConnection connection);

        ServerStatistics statistics();

        /** The mechanism for a sec_trailer {@code auth_type}, or null when the server accepts none of that type. */
        SecurityProvider securityProvider(int authType);

        /** The lowest auth level a call to {@code service} may arrive at (NONE when any will do). */
        int minimumAuthLevel(RpcService service);
    }

    private final Runtime runtime = new Runtime() {
        @Override
        public ServerLimits limits() {
            return limits;
        }

        @Override
        public AssociationGroups groups() {
            return groups;
        }

        @Override
        public RpcService service(SyntaxId abstractSyntax) {
            return find(abstractSyntax);
        }

        @Override
        public ServerStatistics statistics() {
            return statistics;
        }

        @Override
        public SecurityProvider securityProvider(int authType) {
            return securityProviders.get(authType);
        }

        @Override
        public int minimumAuthLevel(RpcService service) {
            return minimumAuthLevels.getOrDefault(service, AuthLevel.RPC_C_AUTHN_LEVEL_NONE);
        }

        @Override
        public void connectionEnded(ServerConnection connection) {
            connections.remove(connection);
            connectionPermits.release();
        }
    };

    private RpcServer(Builder b) {
        this.requested = List.copyOf(b.endpoints);
        this.limits = b.limits;
        this.securityProviders = Map.copyOf(b.securityProviders);
        this.minimumAuthLevels = Map.copyOf(b.minimumAuthLevels);
        this.transports = b.transports;
        List<RpcService> all = new ArrayList<>(b.services);
        // mgmt answers on every endpoint (C706); the endpoint mapper where the builder asked for it.
        all.add(new MgmtService(this::services, statistics));
        if (b.endpointMapper) all.add(new EndpointMapperService(this::registrations));
        this.allServices = List.copyOf(all);
        Map<Uuid, List<RpcService>> m = new HashMap<>();
        for (RpcService s : allServices) m.computeIfAbsent(s.interfaceId().uuid(), k -> new ArrayList<>()).add(s);
        this.services = Map.copyOf(m);
        this.connectionPermits = new Semaphore(limits.maxConnections());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The service a bind's abstract syntax names: the same UUID and major version, and a minor version no higher
     * than the service's (the rule Windows applies to interface versions).
     */
    RpcService find(SyntaxId abstractSyntax) {
        List<RpcService> candidates = services.get(abstractSyntax.uuid());
        if (candidates == null) return null;
        for (RpcService s : candidates) {
            SyntaxId id = s.interfaceId();
            if (id.major() == abstractSyntax.major() && id.minor() >= abstractSyntax.minor()) return s;
        }
        return null;
    }

    /** Opens every endpoint and starts accepting. */
    public RpcServer start() throws IOException {
        lifecycle.lock();
        try {
            if (threads != null) throw new IllegalStateException("already started");
            threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("weft-server-", 0).factory());
            try {
                for (Endpoint e : requested) listeners.add(transports.get(e.protseq()).listen(e));
            } catch (IOException | RuntimeException e) {
                for (Listener l : listeners) l.close();
                threads.close();
                throw e;
            }
            for (Listener l : listeners) threads.execute(() -> acceptLoop(l));
            if (!limits.partialPduTimeout().isZero() || !limits.idleTimeout().isZero() || !limits.writeTimeout().isZero()) {
                watchdog = Thread.ofVirtual().name("weft-server-watchdog").start(this::watch);
            }
            return this;
        } finally {
            lifecycle.unlock();
        }
    }

    /** Every interface served, the built-in ones included. */
    List<RpcService> services() {
        return allServices;
    }

    /** Every interface on every endpoint: the endpoint mapper's database. */
    List<Registration> registrations() {
        List<Registration> r = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            for (RpcService s : allServices) r.add(new Registration(s, e));
        }
        return r;
    }

    /** The endpoints as bound (an ephemeral TCP port resolved to its number). */
    public List<Endpoint> endpoints() {
        lifecycle.lock();
        try {
            return listeners.stream().map(Listener::endpoint).toList();
        } finally {
            lifecycle.unlock();
        }
    }

    private void acceptLoop(Listener listener) {
        while (true) {
            try {
                // The permit comes before accept: past the limit, clients wait in the kernel's backlog.
                connectionPermits.acquire();
            } catch (InterruptedException e) {
                return;
            }
            Connection c;
            try {
                c = listener.accept();
            } catch (ListenerClosedException e) {
                connectionPermits.release();
                return;
            } catch (IOException e) {
                connectionPermits.release();
                if (isClosed()) return;
                LOG.log(Level.WARNING, "accept on " + listener.endpoint() + " failed", e);
                continue;
            }
            ServerConnection sc = new ServerConnection(runtime, c);
            connections.add(sc);
            try {
                threads.execute(sc);
            } catch (RuntimeException e) { // the executor is shutting down
                connections.remove(sc);
                c.close();
                connectionPermits.release();
                return;
            }
        }
    }

    /**
     * Closes connections that broke a timeout. It looks four times per shortest timeout (at most once a second,
     * at least every 10 ms), so a timeout is enforced within a quarter of itself.
     */
    private void watch() {
        long partial = limits.partialPduTimeout().toNanos();
        long idle = limits.idleTimeout().toNanos();
        long write = limits.writeTimeout().toNanos();
        long shortest = Math.min(Math.min(partial == 0 ? Long.MAX_VALUE : partial, idle == 0 ? Long.MAX_VALUE : idle),
                write == 0 ? Long.MAX_VALUE : write);
        long period = Math.max(10_000_000L, Math.min(1_000_000_000L, shortest / 4));
        try {
            while (!isClosed()) {
                Thread.sleep(java.time.Duration.ofNanos(period));
                long now = System.nanoTime();
                for (ServerConnection c : connections) c.closeIfExpired(now, partial, idle, write);
            }
        } catch (InterruptedException e) {
            // close() stops the watchdog; it never does socket I/O, so interrupting it is safe
        }
    }

    private boolean isClosed() {
        lifecycle.lock();
        try {
            return closed;
        } finally {
            lifecycle.unlock();
        }
    }

    /** Connections open now. */
    public int connectionCount() {
        return connections.size();
    }

    /** Association groups alive now. */
    public int associationGroupCount() {
        return groups.size();
    }

    /** Stops accepting, closes every connection, cancels their calls and waits for all of it to finish. */
    @Override
    public void close() {
        ExecutorService t;
        lifecycle.lock();
        try {
            if (closed) return;
            closed = true;
            t = threads;
            for (Listener l : listeners) l.close();
        } finally {
            lifecycle.unlock();
        }
        if (t == null) return;
        if (watchdog != null) watchdog.interrupt();
        // Accept loops end on their closed listeners; connections end when their sockets close.
        t.shutdown();
        for (ServerConnection c : connections) c.close();
        t.close();
        if (watchdog != null) {
            try {
                watchdog.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builds a server. */
    public static final class Builder {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private final List<RpcService> services = new ArrayList<>();
        private ServerLimits limits = ServerLimits.DEFAULT;
        private Transports transports = Transports.defaults();
        private boolean endpointMapper;
        private final Map<Integer, SecurityProvider> securityProviders = new HashMap<>();
        private final Map<RpcService, Integer> minimumAuthLevels = new HashMap<>();

        private Builder() {
        }

        /**
         * Serves the endpoint mapper (ept_map, ept_lookup, ...) on every endpoint of this server, listing every
         * interface on every endpoint. Clients that resolve through it (rpcclient, Windows) expect it on
         * {@code ncacn_ip_tcp} port 135 of the server's address, so listen there too.
         */
        public Builder endpointMapper() {
            this.endpointMapper = true;
            return this;
        }

        /** Listens on a string binding such as {@code ncacn_ip_tcp:127.0.0.1[1350]} or {@code ncalrpc:[weft]}. */
        public Builder listen(String binding) {
            return listen(Endpoint.parse(binding));
        }

        public Builder listen(Endpoint endpoint) {
            endpoints.add(endpoint);
            return this;
        }

        /** Serves an interface on every endpoint. */
        /**
         * Serves {@code service} only to calls at {@code minimumAuthLevel} or above ({@code AuthLevel}, e.g.
         * PKT_PRIVACY): a call below it is answered with fault 0x5 (access denied) and does not run, as Windows
         * answers a call below an interface's registered level.
         */
        public Builder service(RpcService service, int minimumAuthLevel) {
            service(service);
            minimumAuthLevels.put(service, minimumAuthLevel);
            return this;
        }

        public Builder service(RpcService service) {
            if (service.interfaceId().uuid().equals(MgmtService.ID.uuid())
                    || service.interfaceId().uuid().equals(EndpointMapperService.ID.uuid())) {
                throw new IllegalArgumentException("mgmt and the endpoint mapper are built in: " + service.interfaceId());
            }
            for (RpcService s : services) {
                if (s.interfaceId().equals(service.interfaceId())) {
                    throw new IllegalArgumentException("interface served twice: " + service.interfaceId());
                }
            }
            services.add(service);
            return this;
        }

        /**
         * Accepts clients that authenticate with {@code provider}'s mechanism (its {@code auth_type}): NTLMSSP,
         * SPNEGO. A server provider holds the credential source it checks clients against. Clients that bind
         * without authentication are still served; {@link ServerCall#authLevel()} tells a service which is which.
         */
        public Builder authentication(SecurityProvider provider) {
            securityProviders.put(provider.authType(), provider);
            return this;
        }

        public Builder limits(ServerLimits limits) {
            this.limits = limits;
            return this;
        }

        public Builder transports(Transports transports) {
            this.transports = transports;
            return this;
        }

        public RpcServer build() {
            if (endpoints.isEmpty()) throw new IllegalStateException("no endpoint to listen on");
            return new RpcServer(this);
        }
    }
}
