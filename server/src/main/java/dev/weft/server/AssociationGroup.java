package dev.weft.server;

import dev.weft.security.Identity;
import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.FaultStatus;
import dev.weft.transport.RemoteAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An association group (MS-RPCE 3.3.1.1; C706 calls it an association): the connections of one client that
 * share server state, above all context handles, which any of its connections may use (RPCE-FACTS §7).
 * Connections join and leave through {@link AssociationGroups}, which runs the handles down when the last one
 * leaves.
 */
final class AssociationGroup {
    /** What a context handle refers to: the service that opened it (Samba's strictness: a handle is valid only
     * for the interface that created it), the implementation's state, and who opened it (null when the caller
     * was not authenticated): another identity cannot use it, even in the same association group. */
    record Entry(RpcService service, Object state, Identity owner) {
    }

    final int id;
    final RemoteAddress client;
    /** Guarded by the registry's lock. */
    int connections;
    private final ConcurrentHashMap<Uuid, Entry> handles = new ConcurrentHashMap<>();

    AssociationGroup(int id, RemoteAddress client) {
        this.id = id;
        this.client = client;
    }

    ContextHandle open(RpcService service, Object state, Identity owner) {
        while (true) {
            ContextHandle h = ContextHandle.random();
            if (handles.putIfAbsent(h.uuid(), new Entry(service, state, owner)) == null) return h;
        }
    }

    Object lookup(RpcService service, ContextHandle h, Identity caller) {
        Entry e = h.isNull() ? null : handles.get(h.uuid());
        if (e == null || e.service() != service) {
            throw new FaultException(FaultStatus.NCA_S_FAULT_CONTEXT_MISMATCH, "unknown or stale context handle");
        }
        if (!java.util.Objects.equals(e.owner(), caller)) {
            throw new FaultException(FaultStatus.NCA_S_FAULT_CONTEXT_MISMATCH, "a context handle of another identity");
        }
        return e.state();
    }

    Object close(RpcService service, ContextHandle h, Identity caller) {
        Object state = lookup(service, h, caller);
        handles.remove(h.uuid());
        return state;
    }

    int openHandles() {
        return handles.size();
    }

    /** Takes every open handle out of the group, for rundown. */
    List<java.util.Map.Entry<ContextHandle, Entry>> drain() {
        List<java.util.Map.Entry<ContextHandle, Entry>> all = new ArrayList<>();
        for (Uuid u : List.copyOf(handles.keySet())) {
            Entry e = handles.remove(u);
            if (e != null) all.add(java.util.Map.entry(new ContextHandle(0, u), e));
        }
        return all;
    }
}
