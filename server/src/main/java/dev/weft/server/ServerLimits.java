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
 * @param maxCallsPerConnection  calls running at once on one connection (with PFC_CONC_MPX); one more gets
 *                               {@code nca_s_server_too_busy}
 * @param maxRequestSize         the largest request stub (MS-RPCE 3.3.3.5.4: 4 MiB, fault 0x5 past it)
 * @param maxFragmentsPerRequest the most fragments one request may arrive in
 * @param maxFragment            the largest fragment received and the transport maximum in the fragment-size
 *                               negotiation (5840 for TCP, RPCE-FACTS §8)
 * @param ndr                    limits for decoding stubs
 * @param partialPduTimeout      how long a fragment may take to arrive once its first byte has: a client that
 *                               sends half a PDU and stops is disconnected (zero: never)
 * @param idleTimeout            how long a connection with no call running may stay silent (zero: forever)
 * @param maxSecurityContexts    security contexts one connection may create (MS-RPCE 3.3.1.5.4); the alter_context
 *                               or request that would create one more gets {@code nca_s_proto_error} and the
 *                               connection closes
 */
public record ServerLimits(int maxConnections, int maxCallsPerConnection, int maxRequestSize,
                           int maxFragmentsPerRequest, int maxFragment, NdrLimits ndr, Duration partialPduTimeout,
                           Duration idleTimeout, int maxSecurityContexts) {

    /**
     * Windows' values where Windows has one (4 MiB requests, 5840-byte fragments); Weft's own where it does not
     * publish one: 10,000 connections, 256 calls per connection, 30 s for a partial PDU, 15 minutes idle, 64
     * security contexts per connection (Windows allows 2049; each context costs memory before it authenticates
     * anyone, so Weft's default is lower).
     */
    public static final ServerLimits DEFAULT = new ServerLimits(10_000, 256, Reassembler.DEFAULT_MAX_REQUEST_SIZE,
            Reassembler.DEFAULT_MAX_FRAGMENTS, FragmentSize.TCP_TRANSPORT_MAX, NdrLimits.DEFAULT,
            Duration.ofSeconds(30), Duration.ofMinutes(15), 64);

    public ServerLimits {
        if (maxConnections < 1 || maxCallsPerConnection < 1 || maxRequestSize < 0 || maxFragmentsPerRequest < 1
                || maxSecurityContexts < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (maxFragment < FragmentSize.MIN_NEGOTIATED || maxFragment > 0xFFFF) {
            throw new IllegalArgumentException("maxFragment must lie in 2048..65535: " + maxFragment);
        }
        if (partialPduTimeout.isNegative() || idleTimeout.isNegative()) throw new IllegalArgumentException("timeouts");
    }

    public ServerLimits withMaxConnections(int n) {
        return new ServerLimits(n, maxCallsPerConnection, maxRequestSize, maxFragmentsPerRequest, maxFragment, ndr,
                partialPduTimeout, idleTimeout, maxSecurityContexts);
    }

    public ServerLimits withMaxCallsPerConnection(int n) {
        return new ServerLimits(maxConnections, n, maxRequestSize, maxFragmentsPerRequest, maxFragment, ndr,
                partialPduTimeout, idleTimeout, maxSecurityContexts);
    }

    public ServerLimits withMaxRequestSize(int n) {
        return new ServerLimits(maxConnections, maxCallsPerConnection, n, maxFragmentsPerRequest, maxFragment, ndr,
                partialPduTimeout, idleTimeout, maxSecurityContexts);
    }

    public ServerLimits withTimeouts(Duration partialPdu, Duration idle) {
        return new ServerLimits(maxConnections, maxCallsPerConnection, maxRequestSize, maxFragmentsPerRequest,
                maxFragment, ndr, partialPdu, idle, maxSecurityContexts);
    }

    public ServerLimits withMaxSecurityContexts(int n) {
        return new ServerLimits(maxConnections, maxCallsPerConnection, maxRequestSize, maxFragmentsPerRequest,
                maxFragment, ndr, partialPduTimeout, idleTimeout, n);
    }
}
