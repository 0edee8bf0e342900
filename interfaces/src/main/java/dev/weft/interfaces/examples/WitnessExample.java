package dev.weft.interfaces.examples;

import dev.weft.interfaces.witness.Witness;
import dev.weft.interfaces.witness.Witness.PcontextHandle;
import dev.weft.interfaces.witness.Witness.PcontextHandleShared;
import dev.weft.interfaces.witness.Witness.RespAsyncNotify;
import dev.weft.interfaces.witness.Witness.WitnessInterfaceInfo;
import dev.weft.interfaces.witness.Witness.WitnessInterfaceList;
import dev.weft.ndr.ContextHandle;
import dev.weft.server.ServerCall;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A witness server (MS-SWN) whose {@code WitnessrAsyncNotify} pends until the application publishes a resource
 * change through {@link #publish}: the reference for a pending call in Weft. The call is nothing but a blocking
 * {@code take()} on its registration's queue, on the call's own virtual thread; the connection goes on serving
 * other calls, and a {@code co_cancel} or a lost connection interrupts the take.
 *
 * <p>Each registration (a context handle) has a small queue of notifications, so a change published between two
 * AsyncNotify calls is delivered by the next one (MS-SWN 3.1.4.4 keeps pending notifications per registration).
 */
public final class WitnessExample implements Witness.Server {
    /** MS-SWN 2.2.1: the protocol versions a client registers with. */
    public static final int WITNESS_V1 = 0x00010001, WITNESS_V2 = 0x00020000;
    /** MS-SWN 2.2.2.1: RESP_ASYNC_NOTIFY.MessageType of a resource change. */
    public static final int RESOURCE_CHANGE_NOTIFICATION = 1;
    /** Win32 errors the operations return (MS-ERREF 2.2). */
    public static final int ERROR_SUCCESS = 0, ERROR_INVALID_PARAMETER = 87, ERROR_REVISION_MISMATCH = 1306,
            ERROR_NOT_FOUND = 1168;
    /** Notifications kept for a registration that has no AsyncNotify pending; older ones are dropped. */
    private static final int QUEUED_PER_REGISTRATION = 32;

    /** MS-SWN 2.2.2.4 RESOURCE_CHANGE.ChangeType. */
    public enum ChangeType {
        UNKNOWN(0x00), AVAILABLE(0x01), UNAVAILABLE(0xFF);

        public final int wire;

        ChangeType(int wire) {
            this.wire = wire;
        }

        static ChangeType of(int wire) {
            for (ChangeType t : values()) if (t.wire == wire) return t;
            return UNKNOWN;
        }
    }

    /**
     * One RESOURCE_CHANGE message (MS-SWN 2.2.2.4): {@code Length} (of the whole message), {@code ChangeType}, and
     * the resource {@code Name} as NUL-terminated UTF-16LE. A RESP_ASYNC_NOTIFY buffer holds several, back to back.
     */
    public record ResourceChange(String name, ChangeType type) {
        byte[] encode() {
            byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_16LE);
            return ByteBuffer.allocate(8 + n.length).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(8 + n.length).putInt(type.wire).put(n).array();
        }

        /** The messages of a RESP_ASYNC_NOTIFY of type {@link #RESOURCE_CHANGE_NOTIFICATION}; a client's side. */
        public static List<ResourceChange> decodeAll(RespAsyncNotify response) {
            if (response.messageType() != RESOURCE_CHANGE_NOTIFICATION || response.messageBuffer() == null) {
                throw new IllegalArgumentException("not a resource change notification: type " + response.messageType());
            }
            ByteBuffer b = ByteBuffer.wrap(response.messageBuffer()).order(ByteOrder.LITTLE_ENDIAN);
            List<ResourceChange> changes = new ArrayList<>();
            for (int i = 0; i < response.numberOfMessages(); i++) {
                int start = b.position();
                if (b.remaining() < 8) throw new IllegalArgumentException("truncated RESOURCE_CHANGE " + i);
                int length = b.getInt();
                int type = b.getInt();
                if (length < 10 || length % 2 != 0 || length > b.remaining() + 8) {
                    throw new IllegalArgumentException("RESOURCE_CHANGE " + i + " has length " + length);
                }
                byte[] name = new byte[length - 10];   // the name without its NUL
                b.get(name);
                b.position(start + length);
                changes.add(new ResourceChange(new String(name, StandardCharsets.UTF_16LE), ChangeType.of(type)));
            }
            return changes;
        }
    }

    /** What a context handle stands for: one client's interest in one net name. */
    private record Registration(String netName, String ipAddress, String client, BlockingQueue<ResourceChange> queue) {
    }

    private final List<WitnessInterfaceInfo> interfaces;
    private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();

    /**
     * A witness for the given interfaces (what {@code WitnessrGetInterfaceList} returns; build them with
     * {@link #ipv4Interface}).
     */
    public WitnessExample(List<WitnessInterfaceInfo> interfaces) {
        this.interfaces = List.copyOf(interfaces);
    }

    /** An available IPv4 interface with the witness service on it (MS-SWN 2.2.2.2 flags IPv4 | INTERFACE_WITNESS). */
    public static WitnessInterfaceInfo ipv4Interface(String groupName, byte[] address) {
        if (address.length != 4) throw new IllegalArgumentException("an IPv4 address has 4 octets");
        if (groupName.length() >= 260) throw new IllegalArgumentException("a group name has at most 259 characters");
        String padded = groupName + "\0".repeat(260 - groupName.length());
        // IPV4 is sent as the address's octets in network order, read as a little-endian ULONG.
        int ipv4 = ByteBuffer.wrap(address).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return new WitnessInterfaceInfo(padded, WITNESS_V2, (short) 1 /* AVAILABLE */, ipv4, new short[8], 0x01 | 0x04);
    }

    /**
     * Publishes a change of {@code resource}: every registration for that net name (case-insensitively) receives it,
     * completing its pending AsyncNotify at once or the next one. Returns how many registrations it reached.
     */
    public int publish(String resource, ChangeType type) {
        ResourceChange change = new ResourceChange(resource, type);
        int reached = 0;
        for (Registration r : registrations) {
            if (!r.netName().equalsIgnoreCase(resource)) continue;
            while (!r.queue().offer(change)) r.queue().poll();   // full: the oldest notification gives way
            reached++;
        }
        return reached;
    }

    /** AsyncNotify calls blocked right now, waiting for a change. */
    public int pendingCalls() {
        return pending.get();
    }

    /** Open registrations (context handles). */
    public int registrations() {
        return registrations.size();
    }

    @Override
    public Witness.WitnessrGetInterfaceListResult witnessrGetInterfaceList(ServerCall call) {
        return new Witness.WitnessrGetInterfaceListResult(new WitnessInterfaceList(interfaces.size(), interfaces), ERROR_SUCCESS);
    }

    @Override
    public Witness.WitnessrRegisterResult witnessrRegister(ServerCall call, int version, String netName, String ipAddress,
                                                           String clientComputerName) {
        if (version != WITNESS_V1) return new Witness.WitnessrRegisterResult(PcontextHandle.NULL, ERROR_REVISION_MISMATCH);
        return new Witness.WitnessrRegisterResult(register(call, netName, ipAddress, clientComputerName), validName(netName));
    }

    @Override
    public Witness.WitnessrRegisterExResult witnessrRegisterEx(ServerCall call, int version, String netName, String shareName,
                                                               String ipAddress, String clientComputerName, int flags,
                                                               int keepAliveTimeout) {
        if (version != WITNESS_V2) return new Witness.WitnessrRegisterExResult(PcontextHandle.NULL, ERROR_REVISION_MISMATCH);
        return new Witness.WitnessrRegisterExResult(register(call, netName, ipAddress, clientComputerName), validName(netName));
    }

    private static int validName(String netName) {
        return netName == null || netName.isEmpty() ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;
    }

    private PcontextHandle register(ServerCall call, String netName, String ipAddress, String client) {
        if (netName == null || netName.isEmpty()) return PcontextHandle.NULL;
        Registration r = new Registration(netName.toLowerCase(Locale.ROOT), ipAddress, client,
                new ArrayBlockingQueue<>(QUEUED_PER_REGISTRATION));
        registrations.add(r);
        return new PcontextHandle(call.openContextHandle(r));
    }

    @Override
    public int witnessrUnRegister(ServerCall call, PcontextHandle pContext) {
        Registration r = call.contextHandle(pContext.handle(), Registration.class);
        call.closeContextHandle(pContext.handle());
        registrations.remove(r);
        return ERROR_SUCCESS;
    }

    @Override
    public Witness.WitnessrUnRegisterExResult witnessrUnRegisterEx(ServerCall call, PcontextHandle ppContext) {
        witnessrUnRegister(call, ppContext);
        return new Witness.WitnessrUnRegisterExResult(PcontextHandle.NULL, ERROR_SUCCESS);
    }

    /** Pends until a change for the registration's net name is published; then returns every queued one. */
    @Override
    public Witness.WitnessrAsyncNotifyResult witnessrAsyncNotify(ServerCall call, PcontextHandleShared pContext)
            throws InterruptedException {
        Registration r = call.contextHandle(pContext.handle(), Registration.class);
        ResourceChange first;
        pending.incrementAndGet();
        try {
            first = r.queue().take();   // the whole pending call: co_cancel or a lost connection interrupts it
        } finally {
            pending.decrementAndGet();
        }
        List<ResourceChange> changes = new ArrayList<>(List.of(first));
        r.queue().drainTo(changes);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (ResourceChange c : changes) buffer.writeBytes(c.encode());
        byte[] bytes = buffer.toByteArray();
        return new Witness.WitnessrAsyncNotifyResult(
                new RespAsyncNotify(RESOURCE_CHANGE_NOTIFICATION, bytes.length, changes.size(), bytes), ERROR_SUCCESS);
    }

    /** A client that vanished leaves its registrations behind: the association group's end runs them down. */
    @Override
    public void rundown(ContextHandle handle, Object state) {
        if (state instanceof Registration r) registrations.remove(r);
    }
}
