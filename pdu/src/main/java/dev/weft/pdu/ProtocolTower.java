package dev.weft.pdu;

import dev.weft.ndr.Bytes;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A protocol tower, the octet string of a {@code twr_t} (C706 Appendix L, RPCE-FACTS §12.2): how the endpoint
 * mapper names an interface, its transfer syntax, the RPC protocol and the transport address. The layout is its
 * own, unaligned and little-endian whatever the NDR byte order, except the TCP port and IPv4 address, which are
 * in network order.
 *
 * @param iface    floor 1: the interface (UUID, major and minor version)
 * @param syntax   floor 2: the transfer syntax
 * @param protocol floor 3: {@link #NCACN} (connection-oriented) or {@link #NCALRPC}
 * @param endpoint floor 4: the TCP port as a decimal string, or the pipe or local endpoint name
 * @param endpointProtocol floor 4's protocol id: {@link #TCP}, {@link #NAMED_PIPE} or {@link #LOCAL_PIPE}
 * @param host     floor 5: the IPv4 address or NetBIOS name, or {@code null} when the tower has four floors
 */
public record ProtocolTower(SyntaxId iface, SyntaxId syntax, int protocol, int endpointProtocol, String endpoint,
                            String host) {

    /** Floor protocol ids (C706 Appendix I). */
    public static final int UUID = 0x0D, NCACN = 0x0B, NCALRPC = 0x0C, TCP = 0x07, NAMED_PIPE = 0x0F,
            LOCAL_PIPE = 0x10, IP = 0x09, NETBIOS = 0x11;

    /** MS-RPCE 3.1.3.5.3: towers with more floors are rejected. */
    public static final int MAX_FLOORS = 6;

    /** A tower for {@code ncacn_ip_tcp:host[port]}. */
    public static ProtocolTower tcp(SyntaxId iface, SyntaxId syntax, String ipv4, int port) {
        return new ProtocolTower(iface, syntax, NCACN, TCP, String.valueOf(port), ipv4);
    }

    /** A tower for {@code ncalrpc:[name]}. */
    public static ProtocolTower ncalrpc(SyntaxId iface, SyntaxId syntax, String name) {
        return new ProtocolTower(iface, syntax, NCALRPC, LOCAL_PIPE, name, null);
    }

    /** The TCP port of floor 4, or -1 when it is not a TCP tower. */
    public int port() {
        return endpointProtocol == TCP ? Integer.parseInt(endpoint) : -1;
    }

    /** Encodes the octet string. */
    public byte[] encode() {
        List<byte[][]> floors = new ArrayList<>(5);
        floors.add(new byte[][] {uuidLhs(iface), u16(iface.minor())});
        floors.add(new byte[][] {uuidLhs(syntax), u16(syntax.minor())});
        floors.add(new byte[][] {{(byte) protocol}, u16(0)});
        byte[] rhs = switch (endpointProtocol) {
            case TCP -> {
                int port = Integer.parseInt(endpoint);
                yield new byte[] {(byte) (port >>> 8), (byte) port};
            }
            default -> nulTerminated(endpoint);
        };
        floors.add(new byte[][] {{(byte) endpointProtocol}, rhs});
        if (host != null) {
            if (protocol == NCACN && endpointProtocol == TCP) floors.add(new byte[][] {{IP}, ipv4(host)});
            else floors.add(new byte[][] {{NETBIOS}, nulTerminated(host)});
        }
        int size = 2;
        for (byte[][] f : floors) size += 4 + f[0].length + f[1].length;
        byte[] out = new byte[size];
        Bytes.putShortLE(out, 0, (short) floors.size());
        int p = 2;
        for (byte[][] f : floors) {
            for (byte[] side : f) {
                Bytes.putShortLE(out, p, (short) side.length);
                System.arraycopy(side, 0, out, p + 2, side.length);
                p += 2 + side.length;
            }
        }
        return out;
    }

    /**
     * Decodes a tower octet string.
     *
     * @throws IllegalArgumentException when it is malformed, has fewer than four or more than six floors, or
     *                                  its first two floors are not UUID floors
     */
    public static ProtocolTower decode(byte[] b) {
        if (b.length < 2) throw new IllegalArgumentException("tower of " + b.length + " bytes");
        int count = Bytes.getShortLE(b, 0) & 0xFFFF;
        if (count < 4 || count > MAX_FLOORS) throw new IllegalArgumentException("tower with " + count + " floors");
        byte[][] lhs = new byte[count][];
        byte[][] rhs = new byte[count][];
        int p = 2;
        for (int i = 0; i < count; i++) {
            lhs[i] = side(b, p);
            p += 2 + lhs[i].length;
            rhs[i] = side(b, p);
            p += 2 + rhs[i].length;
        }
        SyntaxId iface = uuidFloor(lhs[0], rhs[0]);
        SyntaxId syntax = uuidFloor(lhs[1], rhs[1]);
        if (lhs[2].length < 1 || lhs[3].length < 1) throw new IllegalArgumentException("empty protocol floor");
        int protocol = lhs[2][0] & 0xFF;
        int endpointProtocol = lhs[3][0] & 0xFF;
        String endpoint = switch (endpointProtocol) {
            case TCP -> {
                if (rhs[3].length != 2) throw new IllegalArgumentException("TCP floor of " + rhs[3].length + " bytes");
                yield String.valueOf((rhs[3][0] & 0xFF) << 8 | rhs[3][1] & 0xFF);
            }
            default -> string(rhs[3]);
        };
        String host = null;
        if (count >= 5 && lhs[4].length >= 1) {
            host = (lhs[4][0] & 0xFF) == IP && rhs[4].length == 4
                    ? (rhs[4][0] & 0xFF) + "." + (rhs[4][1] & 0xFF) + "." + (rhs[4][2] & 0xFF) + "." + (rhs[4][3] & 0xFF)
                    : string(rhs[4]);
        }
        return new ProtocolTower(iface, syntax, protocol, endpointProtocol, endpoint, host);
    }

    private static byte[] side(byte[] b, int p) {
        if (p + 2 > b.length) throw new IllegalArgumentException("tower truncated at " + p);
        int n = Bytes.getShortLE(b, p) & 0xFFFF;
        if (n > b.length - p - 2) throw new IllegalArgumentException("tower floor of " + n + " bytes overruns");
        byte[] s = new byte[n];
        System.arraycopy(b, p + 2, s, 0, n);
        return s;
    }

    private static SyntaxId uuidFloor(byte[] lhs, byte[] rhs) {
        if (lhs.length != 19 || (lhs[0] & 0xFF) != UUID || rhs.length != 2) {
            throw new IllegalArgumentException("not a UUID floor");
        }
        Uuid u = Uuid.fromWire(lhs, 1, false);
        return new SyntaxId(u, Bytes.getShortLE(lhs, 17) & 0xFFFF, Bytes.getShortLE(rhs, 0) & 0xFFFF);
    }

    private static byte[] uuidLhs(SyntaxId id) {
        byte[] lhs = new byte[19];
        lhs[0] = UUID;
        id.uuid().toWire(lhs, 1);
        Bytes.putShortLE(lhs, 17, (short) id.major());
        return lhs;
    }

    private static byte[] u16(int v) {
        byte[] b = new byte[2];
        Bytes.putShortLE(b, 0, (short) v);
        return b;
    }

    private static byte[] ipv4(String host) {
        String[] parts = host.split("\\.");
        byte[] b = new byte[4];
        if (parts.length == 4) {
            for (int i = 0; i < 4; i++) b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    private static byte[] nulTerminated(String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[a.length + 1];
        System.arraycopy(a, 0, b, 0, a.length);
        return b;
    }

    private static String string(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) n--;
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }
}
