package dev.weft.transport;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The protocol sequences Weft knows (MS-RPCE 2.1, C706 Appendix I). All are connection-oriented ({@code ncacn_*},
 * plus {@code ncalrpc}, which Weft carries over Unix domain sockets).
 */
public enum Protseq {
    /** Connection-oriented RPC over TCP/IP (MS-RPCE 2.1.1.1); the endpoint is a TCP port. */
    NCACN_IP_TCP("ncacn_ip_tcp", true),
    /** Local RPC; the endpoint is a name, here a Unix domain socket in a directory of the transport's choosing. */
    NCALRPC("ncalrpc", false),
    /** Connection-oriented RPC over SMB named pipes (MS-RPCE 2.1.1.2); the endpoint is a pipe name. */
    NCACN_NP("ncacn_np", false),
    /** Connection-oriented RPC over HTTP (MS-RPCH); the endpoint is a TCP port on the RPC server. */
    NCACN_HTTP("ncacn_http", true);

    /** Valid C706/Microsoft protocol sequences that Weft deliberately does not implement (datagram, legacy). */
    private static final Set<String> NOT_SUPPORTED = Set.of(
            "ncadg_ip_udp", "ncadg_ipx", "ncadg_mq", "ncacn_nb_tcp", "ncacn_nb_ipx", "ncacn_nb_nb", "ncacn_spx",
            "ncacn_dnet_nsp", "ncacn_at_dsp", "ncacn_vns_spp", "ncacn_osi_dna", "ncacn_osi_tp4", "ncadg_dds",
            "ncacn_hvsocket", "ncadg_lrpc");

    private final String token;
    private final boolean portEndpoint;

    Protseq(String token, boolean portEndpoint) {
        this.token = token;
        this.portEndpoint = portEndpoint;
    }

    /** The protocol sequence as written in a string binding, e.g. {@code ncacn_ip_tcp}. */
    public String token() {
        return token;
    }

    /** Whether the endpoint is a TCP port and the network address an IP address or host name. */
    public boolean isIp() {
        return portEndpoint;
    }

    /** Looks a token up, ignoring case. */
    public static Optional<Protseq> find(String token) {
        for (Protseq p : values()) {
            if (p.token.equalsIgnoreCase(token)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Looks a token up, ignoring case.
     *
     * @throws IllegalArgumentException naming the token and the known protocol sequences
     */
    public static Protseq of(String token) {
        return find(token).orElseThrow(() -> new IllegalArgumentException(unknownMessage(token)));
    }

    static String unknownMessage(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        if (NOT_SUPPORTED.contains(lower)) {
            return "protocol sequence '" + token + "' is not supported (Weft speaks connection-oriented RPC only: "
                    + knownList() + ")";
        }
        return "unknown protocol sequence '" + token + "'; expected one of " + knownList();
    }

    private static String knownList() {
        StringBuilder sb = new StringBuilder();
        for (Protseq p : values()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(p.token);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return token;
    }
}
