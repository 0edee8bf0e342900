package dev.weft.cli;

import dev.weft.pdu.ProtocolTower;

/** Protocol towers as string bindings, the form users type back into {@code weft} and {@code rpcclient}. */
final class Towers {
    private Towers() {
    }

    /** The string binding a tower names, e.g. {@code ncacn_ip_tcp:127.0.0.1[1350]}. */
    static String binding(ProtocolTower t) {
        String host = t.host() == null ? "" : t.host();
        if (t.protocol() == ProtocolTower.NCALRPC) return "ncalrpc:[" + t.endpoint() + "]";
        return switch (t.endpointProtocol()) {
            case ProtocolTower.TCP -> "ncacn_ip_tcp:" + host + "[" + t.endpoint() + "]";
            case ProtocolTower.NAMED_PIPE -> "ncacn_np:" + host + "[" + t.endpoint() + "]";
            default -> String.format("protocol 0x%02x/0x%02x:%s[%s]", t.protocol(), t.endpointProtocol(), host,
                    t.endpoint());
        };
    }
}
