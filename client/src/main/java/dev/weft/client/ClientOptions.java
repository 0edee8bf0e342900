package dev.weft.client;

import dev.weft.ndr.NdrLimits;
import dev.weft.pdu.FragmentSize;
import dev.weft.transport.Transports;
import java.time.Duration;

/**
 * How a client connects and calls.
 *
 * @param connectTimeout     the longest a TCP connect (and the endpoint-mapper lookup before it) may take
 * @param maxFragment        the fragment size proposed in the bind (max_xmit_frag and max_recv_frag)
 * @param preferNdr64        offer NDR64 as well as NDR and use it where the server accepts it
 * @param maxResponseSize    the largest response stub accepted (MS-RPCE 3.3.2.5.2 allows up to 2^31 - 1)
 * @param associationGroupId 0 for a new association group, or the id of one to join (its context handles then
 *                           work on this connection too)
 * @param ndr                limits for decoding response stubs
 * @param transports         the transports to connect with
 * @param callTimeout        how long a call may wait for its answer before it is cancelled ({@code co_cancel}, or
 *                           {@code orphaned} under KeepConnectionOnOrphan) and fails with
 *                           {@link RpcTimeoutException}; zero waits for ever, as Windows does by default, because
 *                           some calls pend by design (witness AsyncNotify). {@link BindingHandle#withTimeout}
 *                           sets it per interface.
 * @param auth               how connections authenticate, or {@code null} for none (the default)
 * @param maxConnections     connections to the server at most (default 1): further ones open, joining the first
 *                           one's association group, when every open one has a call in flight
 */
public record ClientOptions(Duration connectTimeout, int maxFragment, boolean preferNdr64, int maxResponseSize,
                            int associationGroupId, NdrLimits ndr, Transports transports, Duration callTimeout,
                            ClientAuth auth, int maxConnections) {

    /**
     * 10 s connect, 5840-byte fragments (what Windows proposes), NDR64 preferred, 256 MiB responses, calls wait
     * for their answer for as long as it takes.
     */
    public static final ClientOptions DEFAULT = new ClientOptions(Duration.ofSeconds(10),
            FragmentSize.TCP_TRANSPORT_MAX, true, 256 * 1024 * 1024, 0, NdrLimits.DEFAULT, Transports.defaults(),
            Duration.ZERO, null, 1);

    public ClientOptions {
        if (maxFragment < FragmentSize.MUST_RECV_FRAG_SIZE || maxFragment > 0xFFFF) {
            throw new IllegalArgumentException("maxFragment must lie in 1432..65535: " + maxFragment);
        }
        if (maxResponseSize < 0) throw new IllegalArgumentException("maxResponseSize");
        if (callTimeout.isNegative()) throw new IllegalArgumentException("callTimeout");
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1");
    }

    public ClientOptions withPreferNdr64(boolean prefer) {
        return new ClientOptions(connectTimeout, maxFragment, prefer, maxResponseSize, associationGroupId, ndr,
                transports, callTimeout, auth, maxConnections);
    }

    public ClientOptions withAssociationGroup(int id) {
        return new ClientOptions(connectTimeout, maxFragment, preferNdr64, maxResponseSize, id, ndr, transports,
                callTimeout, auth, maxConnections);
    }

    public ClientOptions withMaxFragment(int size) {
        return new ClientOptions(connectTimeout, size, preferNdr64, maxResponseSize, associationGroupId, ndr,
                transports, callTimeout, auth, maxConnections);
    }

    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(timeout, maxFragment, preferNdr64, maxResponseSize, associationGroupId, ndr,
                transports, callTimeout, auth, maxConnections);
    }

    public ClientOptions withCallTimeout(Duration timeout) {
        return new ClientOptions(connectTimeout, maxFragment, preferNdr64, maxResponseSize, associationGroupId, ndr,
                transports, timeout, auth, maxConnections);
    }

    /** Authenticate every connection (bind with a security context) and protect calls at {@code auth.level()}. */
    public ClientOptions withAuth(ClientAuth auth) {
        return new ClientOptions(connectTimeout, maxFragment, preferNdr64, maxResponseSize, associationGroupId, ndr,
                transports, callTimeout, auth, maxConnections);
    }

    /** Connects with these transports (e.g. {@code Transports.defaults().with(Transports.ncalrpc(dir))}). */
    public ClientOptions withTransports(Transports transports) {
        return new ClientOptions(connectTimeout, maxFragment, preferNdr64, maxResponseSize, associationGroupId, ndr,
                java.util.Objects.requireNonNull(transports, "transports"), callTimeout, auth, maxConnections);
    }

    /**
     * Up to {@code n} connections: a call goes to the connection with the fewest calls in flight, and a new one is
     * opened (in the same association group, so context handles work on all of them) when every open one is busy.
     * For servers that do not grant PFC_CONC_MPX (one call per connection), or to spread load.
     */
    public ClientOptions withMaxConnections(int n) {
        return new ClientOptions(connectTimeout, maxFragment, preferNdr64, maxResponseSize, associationGroupId, ndr,
                transports, callTimeout, auth, n);
    }
}
