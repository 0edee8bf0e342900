package dev.weft.server;

import dev.weft.ndr.NdrLimits;
import dev.weft.pdu.FragmentSize;
import dev.weft.pdu.Reassembler;
import java.time.Duration;

/**
 * What one server accepts, with Windows' values as defaults (ARCHITECTURE rule 7).
 *
 * @param maxConnections         connections open at once; a permit is taken before {@code accept()}, so a flood
 *                               waits in the kernel's backlog instead of costing threads
 * @param maxCallsPerConnection  calls on one connection (with PFC_CONC_MPX) running, or done and waiting for their
 *                               answer to be written; one more gets {@code nca_s_server_too_busy}. So a client that
 *                               never reads its answers makes the server hold at most this many
 * @param maxRequestSize         the largest request stub (MS-RPCE 3.3.3.5.4: 4 MiB, fault 0x5 past it)
 * @param maxFragmentsPerRequest the most fragments one request may arrive in
 * @param maxFragment            the largest fragment received and the transport maximum in the fragment-size
 *                               negotiation (5840 for TCP, RPCE-FACTS §8)
 * @param ndr                    limits for decoding stubs
 * @param partialPduTimeout      how long a fragment may take to arrive once its first byte has: a client that
 *                               sends half a PDU and stops is disconnected (zero: never)
 * @param idleTimeout            how long a connection with no call running or unanswered may stay silent (zero:
 *                               forever). A connection whose client vanished without FIN or RST between calls is
 *                               reclaimed by it; one with a pending call is not idle (TCP keep-alive, which the TCP
 *                               transport turns on, finds a peer that is gone, after the kernel's keep-alive time)
 * @param writeTimeout           how long a write to the client may stay blocked without taking a byte (the client
 *                               stopped reading: half-open, or it sends requests and never reads the answers)
 *                               before the connection is closed (zero: forever)
 * @param maxSecurityContexts    security contexts one connection may create (MS-RPCE 3.3.1.5.4); the alter_context
 *                               or request that would create one more gets {@code nca_s_proto_error} and the
 *                               connection closes
 */
public record ServerLimits(int maxConnections, int maxCallsPerConnection, int maxRequestSize,
                           int maxFragmentsPerRequest, int maxFragment, NdrLimits ndr, Duration partialPduTimeout,
                           Duration idleTimeout, Duration writeTimeout, int maxSecurityContexts) {

    /**
     * Windows' values where Windows has one (4 MiB requests, 5840-byte fragments); Weft's own where it does not
     * publish one: 10,000 connections, 256 calls per connection (running or waiting to be answered), 30 s for a
     * partial PDU, 15 minutes idle, 60 s for a write that makes no progress (nginx's send_timeout), 64 security
     * contexts per connection (Windows allows 2049; each context costs memory before it authenticates anyone). MS-RPCE 3.3.3.2.1
     * leaves watching a connection to the implementation; Windows documents keep-alives for clients
     * (RpcMgmtSetComTimeout) and no server-side idle or write timeout.
     */
    public static final ServerLimits DEFAULT = new ServerLimits(10_000, 256, Reassembler.DEFAULT_MAX_REQUEST_SIZE,
            Reassembler.DEFAULT_MAX_FRAGMENTS, FragmentSize.TCP_TRANSPORT_MAX, NdrLimits.DEFAULT,
            Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofSeconds(60), 64);

    public ServerLimits {
        if (maxConnections < 1 || maxCallsPerConnection < 1 || maxRequestSize < 0 || maxFragmentsPerRequest < 1
                || maxSecurityContexts < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (maxFragment < FragmentSize.MIN_NEGOTIATED || maxFragment > 0xFFFF) {
            throw new IllegalArgumentException("maxFragment must lie in 2048..65535: " + maxFragment);
        }
        if (partialPduTimeout.isNegative() || idleTimeout.isNegative() || writeTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }

    public ServerLimits withMaxConnections(int n) {
        return new ServerLimits(n, maxCallsPerConnection, maxRequestSize, maxFragmentsPerRequest, maxFragment, ndr,
                partialPduTimeout, idleTimeout, writeTimeout, maxSecurityContexts);
    }

    public ServerLimits withMaxCallsPerConnection(int n) {
        return new ServerLimits(maxConnections, n, maxRequestSize, maxFragmentsPerRequest, maxFragment, ndr,
                partialPduTimeout, idleTimeout, writeTimeout, maxSecurityContexts);
    }

    public ServerLimits withMaxRequestSize(int n) {
        return new ServerLimits(maxConnections, maxCallsPerConnection, n, maxFragmentsPerRequest, maxFragment, ndr,
                partialPduTimeout, idleTimeout, writeTimeout, maxSecurityContexts);
    }

    public ServerLimits withTimeouts(Duration partialPdu, Duration idle) {
        return new ServerLimits(maxConnections, maxCallsPerConnection, maxRequestSize, maxFragmentsPerRequest,
                maxFragment, ndr, partialPdu, idle, writeTimeout, maxSecurityContexts);
    }

    /** The same limits with another write timeout (zero: a blocked write waits forever). */
    public ServerLimits withWriteTimeout(Duration write) {
        return new ServerLimits(maxConnections, maxCallsPerConnection, maxRequestSize, maxFragmentsPerRequest,
                maxFragment, ndr, partialPduTimeout, idleTimeout, write, maxSecurityContexts);
    }

    public ServerLimits withMaxSecurityContexts(int n) {
        return new ServerLimits(maxConnections, maxCallsPerConnection, maxRequestSize, maxFragmentsPerRequest,
                maxFragment, ndr, partialPduTimeout, idleTimeout, writeTimeout, n);
    }
}
