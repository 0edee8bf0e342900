package dev.weft.server;

import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.util.List;
import java.util.function.Supplier;

/**
 * The remote management interface (C706 Appendix Q, {@code mgmt} afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0),
 * served on every endpoint: which interfaces the server offers, a few statistics, whether it listens, and its
 * principal name. Hand-coded on the NDR runtime because the generated interfaces sit above this module.
 */
final class MgmtService implements RpcService {
    static final SyntaxId ID = new SyntaxId(Uuid.parse("afa8bd80-7d8a-11c9-bef4-08002b102989"), 1, 0);
    static final int INQ_IF_IDS = 0, INQ_STATS = 1, IS_SERVER_LISTENING = 2, STOP_SERVER_LISTENING = 3,
            INQ_PRINC_NAME = 4;
    /** rpc_c_stats_* (C706): calls in, calls out, packets in, packets out. */
    static final int STATS = 4;
    static final int ERROR_ACCESS_DENIED = 5;

    private final Supplier<List<RpcService>> services;
    private final ServerStatistics stats;

    MgmtService(Supplier<List<RpcService>> services, ServerStatistics stats) {
        this.services = services;
        this.stats = stats;
    }

    @Override
    public SyntaxId interfaceId() {
        return ID;
    }

    @Override
    public String annotation() {
        return "mgmt";
    }

    @Override
    public int operationCount() {
        return 5;
    }

    @Override
    public void invoke(int opnum, ServerCall call) {
        NdrWriter out = call.out();
        switch (opnum) {
            case INQ_IF_IDS -> {
                // [out] rpc_if_id_vector_p_t *if_id_vector: a unique pointer to a conformant struct
                // {count; [size_is(count)] rpc_if_id_p_t if_id[]}, then the status.
                List<SyntaxId> ids = services.get().stream().map(RpcService::interfaceId)
                        .filter(id -> !id.equals(ID)).toList();
                out.writeUniquePointer(ids);
                out.writeConformance(ids.size());
                out.alignPointer();
                out.writeInt32(ids.size());
                for (SyntaxId id : ids) out.writeUniquePointer(id);
                for (SyntaxId id : ids) {
                    out.writeUuid(id.uuid());
                    out.writeInt16(id.major());
                    out.writeInt16(id.minor());
                }
                out.writeInt32(0);
            }
            case INQ_STATS -> {
                // C706 Appendix Q: [in, out] unsigned32 *count, [out, size_is(*count)] unsigned32 statistics[*],
                // [out] status. In NDR the bytes equal Samba's conformant struct {count; statistics[count]}; in NDR64
                // the count comes first and the u64 max_count after it, as the shipped mgmt IDL has it.
                int max = call.in().readInt32();
                int n = Math.min(Math.max(max, 0), STATS);
                long[] values = stats.snapshot();
                out.writeInt32(n);
                out.writeConformance(n);
                for (int i = 0; i < n; i++) out.writeInt32((int) values[i]);
                out.writeInt32(0);
            }
            case IS_SERVER_LISTENING -> {
                out.writeInt32(0); // [out] status
                out.writeInt32(1); // boolean32 result: true
            }
            case STOP_SERVER_LISTENING -> out.writeInt32(ERROR_ACCESS_DENIED); // never remotely, as Windows
            case INQ_PRINC_NAME -> {
                call.in().readInt32(); // authn_proto
                int size = call.in().readInt32();
                // [out, string, size_is(princ_name_size)] char princ_name[]: no principal without security.
                out.writeConformance(Math.max(size, 1));
                out.writeAnsiStringBody("");
                out.writeInt32(0);
            }
            default -> throw new IllegalStateException("opnum " + opnum);
        }
    }
}
