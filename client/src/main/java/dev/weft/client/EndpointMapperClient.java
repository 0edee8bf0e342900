package dev.weft.client;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.ProtocolTower;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves an interface to a TCP port with the server's endpoint mapper, as Windows clients do when a binding
 * has no endpoint: ept_map on port 135 with a tower for the interface, NDR, ncacn_ip_tcp, port 0 and address
 * 0.0.0.0 (RPCE-FACTS §12). Hand-coded on the NDR runtime, below the generated interfaces.
 */
final class EndpointMapperClient {
    static final SyntaxId EPMAPPER = new SyntaxId(Uuid.parse("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);
    static final int EPT_MAP = 3;
    static final int EPMAPPER_PORT = 135;
    static final int EPT_S_NOT_REGISTERED = 0x16C9A0D6;
    private static final int MAX_TOWERS = 4;

    private EndpointMapperClient() {
    }

    /** The TCP ports the endpoint mapper behind {@code epm} maps {@code iface} to, best first. */
    static List<Integer> mapTcp(BindingHandle epm, SyntaxId iface) {
        NdrWriter w = epm.newRequest();
        w.writeFullPointer(Uuid.NIL);                        // [in, ptr] object
        w.writeUuid(Uuid.NIL);
        byte[] tower = ProtocolTower.tcp(iface, SyntaxId.NDR20, "0.0.0.0", 0).encode();
        w.writeFullPointer(tower);                           // [in, ptr] map_tower
        w.writeConformance(tower.length);                    // twr_t: the hoisted conformance,
        w.writeInt32(tower.length);                          // tower_length,
        w.writeBytes(tower);                                 // the octets
        w.endStruct(4);
        w.writeContextHandle(ContextHandle.NULL);            // [in, out] entry_handle
        w.writeInt32(MAX_TOWERS);                            // [in] max_towers

        NdrReader r = epm.call(EPT_MAP, w);
        r.readContextHandle();
        int num = r.readInt32();
        int max = r.readConformance();
        int actual = r.readVariance(max);
        if (actual != num) throw new dev.weft.ndr.NdrException("ept_map: num_towers " + num + " but " + actual + " sent");
        long[] ids = new long[actual];
        for (int i = 0; i < actual; i++) ids[i] = r.readPointerId();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < actual; i++) {
            if (ids[i] == 0 || r.hasFullPointer(ids[i])) continue;
            int size = r.readConformance();
            int length = r.readInt32();
            if (length != size) throw new dev.weft.ndr.NdrException("twr_t length " + length + " != " + size);
            byte[] octets = r.readBytes(length);
            r.endStruct(4);
            r.putFullPointer(ids[i], octets);
            try {
                ProtocolTower t = ProtocolTower.decode(octets);
                if (t.port() > 0) ports.add(t.port());
            } catch (IllegalArgumentException e) {
                // a tower we cannot read is no endpoint for us
            }
        }
        int status = r.readInt32();
        if (status != 0 && ports.isEmpty()) {
            throw new RpcBindException("the endpoint mapper does not know " + iface + " over ncacn_ip_tcp (status 0x"
                    + Integer.toHexString(status) + ")", status);
        }
        return ports;
    }
}
