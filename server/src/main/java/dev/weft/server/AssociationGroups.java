package dev.weft.server;

import dev.weft.ndr.ContextHandle;
import dev.weft.transport.RemoteAddress;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's association groups by id. Ids are random and non-zero, so a client cannot guess another's group;
 * a join must come from the same client over the same transport (MS-RPCE 3.3.1.5.7, RPCE-FACTS §7.1).
 */
final class AssociationGroups {
    private static final System.Logger LOG = System.getLogger(AssociationGroups.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, AssociationGroup> groups = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A new group with one connection. */
    AssociationGroup create(RemoteAddress client) {
        lock.lock();
        try {
            int id;
            do {
                id = random.nextInt();
            } while (id == 0 || groups.containsKey(id));
            AssociationGroup g = new AssociationGroup(id, client);
            g.connections = 1;
            groups.put(id, g);
            return g;
        } finally {
            lock.unlock();
        }
    }

    /** Joins group {@code id}, or returns null when it does not exist or belongs to another client or transport. */
    AssociationGroup join(int id, RemoteAddress client) {
        lock.lock();
        try {
            AssociationGroup g = groups.get(id);
            if (g == null || g.client.protseq() != client.protseq() || !g.client.sameClient(client)) return null;
            g.connections++;
            return g;
        } finally {
            lock.unlock();
        }
    }

    /** A connection leaves; the last one ends the group and runs down its context handles. */
    void leave(AssociationGroup g) {
        lock.lock();
        try {
            if (--g.connections > 0) return;
            groups.remove(g.id);
        } finally {
            lock.unlock();
        }
        for (Map.Entry<ContextHandle, AssociationGroup.Entry> e : g.drain()) {
            try {
                e.getValue().service().rundown(e.getKey(), e.getValue().state());
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "context handle rundown failed", ex);
            }
        }
    }

    int size() {
        lock.lock();
        try {
            return groups.size();
        } finally {
            lock.unlock();
        }
    }
}
