package dev.weft.server;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.ProtocolTower;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Protseq;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The endpoint mapper ({@code ept}, e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0; C706 Appendix O, RPCE-FACTS §12):
 * every interface this server serves on every endpoint it listens on. {@code ept_lookup} pages through the list
 * with a context handle, {@code ept_map} answers a tower with the towers of matching endpoints. Remote
 * registration (insert, delete, mgmt_delete) is refused, as Windows refuses it.
 *
 * <p>Hand-coded on the NDR runtime, in both transfer syntaxes, because the generated interfaces sit above this
 * module.
 */
final class EndpointMapperService implements RpcService {
    static final SyntaxId ID = new SyntaxId(Uuid.parse("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);
    static final int EPT_INSERT = 0, EPT_DELETE = 1, EPT_LOOKUP = 2, EPT_MAP = 3, EPT_LOOKUP_HANDLE_FREE = 4,
            EPT_INQ_OBJECT = 5, EPT_MGMT_DELETE = 6;
    /** DCE ept_s_not_registered: no (more) entries; what Windows answers when nothing matches. */
    static final int EPT_S_NOT_REGISTERED = 0x16C9A0D6;
    static final int EPT_S_CANT_PERFORM_OP = 0x000006D8;
    static final int EPT_S_INVALID_ENTRY = 0x16C9A0D7;
    /** MS-RPCE 2.2.1.2.4-5: [range(0,500)] on max_ents and max_towers. */
    static final int MAX_RANGE = 500;
    /** [string] char annotation[ept_max_annotation_size]. */
    static final int ANNOTATION_SIZE = 64;
    /** inquiry_type and vers_option values (C706 ept.idl). */
    static final int RPC_C_EP_ALL_ELTS = 0, RPC_C_EP_MATCH_BY_IF = 1, RPC_C_EP_MATCH_BY_OBJ = 2,
            RPC_C_EP_MATCH_BY_BOTH = 3;
    static final int RPC_C_VERS_ALL = 1, RPC_C_VERS_COMPATIBLE = 2, RPC_C_VERS_EXACT = 3, RPC_C_VERS_MAJOR_ONLY = 4,
            RPC_C_VERS_UPTO = 5;

    private final Supplier<List<Registration>> registrations;

    /** The paging position of an ept_lookup or ept_map handle. */
    private static final class Cursor {
        int next;
    }

    EndpointMapperService(Supplier<List<Registration>> registrations) {
        this.registrations = registrations;
    }

    @Override
    public SyntaxId interfaceId() {
        return ID;
    }

    @Override
    public String annotation() {
        return "epmapper";
    }

    @Override
    public int operationCount() {
        return 7;
    }

    @Override
    public void invoke(int opnum, ServerCall call) {
        switch (opnum) {
            case EPT_LOOKUP -> lookup(call);
            case EPT_MAP -> map(call);
            case EPT_LOOKUP_HANDLE_FREE -> {
                ContextHandle h = call.in().readContextHandle();
                if (!h.isNull()) call.closeContextHandle(h);
                call.out().writeContextHandle(ContextHandle.NULL);
                call.out().writeInt32(0);
            }
            case EPT_INQ_OBJECT -> {
                call.out().writeUuid(Uuid.NIL);
                call.out().writeInt32(0);
            }
            // ept_insert, ept_delete, ept_mgmt_delete: [out] status only.
            case EPT_INSERT, EPT_DELETE, EPT_MGMT_DELETE -> call.out().writeInt32(EPT_S_CANT_PERFORM_OP);
            default -> throw new IllegalStateException("opnum " + opnum);
        }
    }

    /** One row of the database, as ept_lookup reports it. */
    private record Row(SyntaxId iface, ProtocolTower tower, String annotation) {
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Registration r : registrations.get()) {
            ProtocolTower t = tower(r.service().interfaceId(), SyntaxId.NDR20, r.endpoint());
            if (t != null) rows.add(new Row(r.service().interfaceId(), t, r.service().annotation()));
        }
        return rows;
    }

    private static ProtocolTower tower(SyntaxId iface, SyntaxId syntax, Endpoint e) {
        if (e.protseq() == Protseq.NCACN_IP_TCP) {
            String host = e.networkAddress() == null || e.networkAddress().isEmpty() || e.networkAddress().contains(":")
                    ? "0.0.0.0" : e.networkAddress();
            return ProtocolTower.tcp(iface, syntax, host, e.port());
        }
        if (e.protseq() == Protseq.NCALRPC) return ProtocolTower.ncalrpc(iface, syntax, e.name());
        return null;
    }

    // ------------------------------------------------------------------------------------------------ lookup

    /**
     * ept_lookup([in] inquiry_type, [in, ptr] uuid_p_t object, [in, ptr] rpc_if_id_p_t interface_id,
     * [in] vers_option, [in, out] ept_lookup_handle_t *entry_handle, [in] max_ents, [out] *num_ents,
     * [out, length_is(*num_ents), size_is(max_ents)] ept_entry_t entries[], [out] error_status_t *status).
     */
    private void lookup(ServerCall call) {
        NdrReader in = call.in();
        int inquiry = in.readInt32();
        Uuid object = in.readPointerId() != 0 ? in.readUuid() : null;
        SyntaxId iface = null;
        if (in.readPointerId() != 0) {
            Uuid u = in.readUuid();
            int major = in.readInt16() & 0xFFFF;
            int minor = in.readInt16() & 0xFFFF;
            iface = new SyntaxId(u, major, minor);
        }
        int versOption = in.readInt32();
        ContextHandle handle = in.readContextHandle();
        int maxEntries = range(in.readInt32());

        List<Row> matching = new ArrayList<>();
        for (Row r : rows()) {
            boolean byIf = inquiry == RPC_C_EP_MATCH_BY_IF || inquiry == RPC_C_EP_MATCH_BY_BOTH;
            boolean byObj = inquiry == RPC_C_EP_MATCH_BY_OBJ || inquiry == RPC_C_EP_MATCH_BY_BOTH;
            if (byIf && (iface == null || !versionMatches(iface, r.iface(), versOption))) continue;
            if (byObj && object != null && !object.isNil()) continue; // no object UUIDs are registered
            matching.add(r);
        }
        int from = 0;
        Cursor cursor = null;
        if (!handle.isNull()) {
            cursor = call.contextHandle(handle, Cursor.class);
            from = Math.min(cursor.next, matching.size());
        }
        int n = Math.min(maxEntries, matching.size() - from);
        List<Row> page = matching.subList(from, from + n);
        int status = 0;
        if (n < maxEntries || maxEntries == 0) {
            // A short page ends the listing: it carries its entries, ept_s_not_registered and a NULL handle. A
            // full page keeps the handle open for the next call. This is what smbtorture's epmapper tests require
            // of Windows (Lookup_simple, Map_simple), and a client that asks one entry at a time, as rpcclient
            // does, sees every entry before the status. (Samba 4.17 differs: it answers a short page with OK.)
            if (cursor != null) call.closeContextHandle(handle);
            handle = ContextHandle.NULL;
            status = EPT_S_NOT_REGISTERED;
        } else {
            if (cursor == null) {
                cursor = new Cursor();
                handle = call.openContextHandle(cursor);
            }
            cursor.next = from + n;
        }

        NdrWriter out = call.out();
        out.writeContextHandle(handle);
        out.writeInt32(n);
        out.writeConformance(maxEntries);
        out.writeVariance(0, n);
        List<byte[]> towers = new ArrayList<>(n);
        for (Row r : page) {                       // inline parts of every ept_entry_t
            out.alignPointer();
            out.writeUuid(Uuid.NIL);
            byte[] tower = r.tower().encode();
            towers.add(tower);
            out.writeFullPointer(tower);
            out.writeAnsiStringBody(annotation(r.annotation()));
            out.endStruct(8);
        }
        for (byte[] tower : towers) writeTwr(out, tower);
        out.writeInt32(status);
    }

    private static String annotation(String a) {
        return a.length() < ANNOTATION_SIZE ? a : a.substring(0, ANNOTATION_SIZE - 1);
    }

    /** A [range(0,500)] violation is RPC_S_INVALID_BOUND, as MIDL-generated stubs raise it. */
    private static int range(int v) {
        if (v < 0 || v > MAX_RANGE) {
            throw new dev.weft.ndr.NdrException(dev.weft.ndr.NdrException.RPC_S_INVALID_BOUND, "max " + v + " outside [0, 500]");
        }
        return v;
    }

    /** C706 vers_option against a registered interface. */
    private static boolean versionMatches(SyntaxId wanted, SyntaxId registered, int versOption) {
        if (!wanted.uuid().equals(registered.uuid())) return false;
        return switch (versOption) {
            case RPC_C_VERS_ALL -> true;
            case RPC_C_VERS_COMPATIBLE -> registered.major() == wanted.major() && registered.minor() >= wanted.minor();
            case RPC_C_VERS_EXACT -> registered.major() == wanted.major() && registered.minor() == wanted.minor();
            case RPC_C_VERS_MAJOR_ONLY -> registered.major() == wanted.major();
            case RPC_C_VERS_UPTO -> registered.major() < wanted.major()
                    || registered.major() == wanted.major() && registered.minor() <= wanted.minor();
            default -> false;
        };
    }

    // ------------------------------------------------------------------------------------------------ map

    /**
     * ept_map([in, ptr] uuid_p_t object, [in, ptr] twr_p_t map_tower, [in, out] entry_handle, [in] max_towers,
     * [out] *num_towers, [out, ptr, size_is(max_towers), length_is(*num_towers)] twr_p_t towers[],
     * [out] error_status_t *status).
     */
    private void map(ServerCall call) {
        NdrReader in = call.in();
        if (in.readPointerId() != 0) in.readUuid(); // object: no object UUIDs are registered
        ProtocolTower wanted = null;
        if (in.readPointerId() != 0) {
            byte[] octets = readTwr(in);
            try {
                wanted = ProtocolTower.decode(octets);
            } catch (IllegalArgumentException e) {
                wanted = null; // answered below with ept_s_not_registered, as an unknown interface would be
            }
        }
        ContextHandle handle = in.readContextHandle();
        int maxTowers = range(in.readInt32());

        List<byte[]> found = new ArrayList<>();
        if (wanted != null) {
            TransferSyntax syntax = TransferSyntax.of(wanted.syntax());
            for (Registration r : registrations.get()) {
                SyntaxId id = r.service().interfaceId();
                if (!id.uuid().equals(wanted.iface().uuid()) || id.major() != wanted.iface().major()
                        || id.minor() < wanted.iface().minor()) continue;
                if (syntax == null || syntax == TransferSyntax.NDR64 && !r.service().supportsNdr64()) continue;
                ProtocolTower t = tower(wanted.iface(), wanted.syntax(), r.endpoint());
                if (t != null && t.protocol() == wanted.protocol() && t.endpointProtocol() == wanted.endpointProtocol()) {
                    found.add(t.encode());
                }
            }
        }
        int n = Math.max(0, Math.min(maxTowers, found.size()));
        if (!handle.isNull()) call.closeContextHandle(handle); // everything fits in one answer: no paging
        NdrWriter out = call.out();
        out.writeContextHandle(ContextHandle.NULL);
        out.writeInt32(n);
        out.writeConformance(maxTowers);
        out.writeVariance(0, n);
        for (int i = 0; i < n; i++) out.writeFullPointer(found.get(i));
        for (int i = 0; i < n; i++) writeTwr(out, found.get(i));
        out.writeInt32(n == 0 ? EPT_S_NOT_REGISTERED : 0);
    }

    /** twr_t {u32 tower_length; [size_is(tower_length)] byte tower_octet_string[]}: a conformant struct. */
    private static void writeTwr(NdrWriter out, byte[] tower) {
        out.writeConformance(tower.length);
        out.writeInt32(tower.length);
        out.writeBytes(tower);
        out.endStruct(4);
    }

    private static byte[] readTwr(NdrReader in) {
        int conformance = in.readConformance();
        int length = in.readInt32();
        if (length != conformance) {
            throw new dev.weft.ndr.NdrException("twr_t tower_length " + length + " != size " + conformance);
        }
        byte[] b = in.readBytes(length);
        in.endStruct(4);
        return b;
    }
}
