package dev.weft.server;

import dev.weft.security.Identity;
import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.transport.RemoteAddress;

/**
 * One call as a service implementation sees it: the request stub to decode, the response stub to fill, and the
 * association's context handles. It lives on the call's own virtual thread.
 */
public final class ServerCall {
    private final RpcService service;
    private final AssociationGroup group;
    private final RemoteAddress client;
    private final int opnum;
    private final Uuid object;
    private final NdrReader in;
    private final NdrWriter out;
    private volatile boolean cancelled;
    private final int authLevel;
    private final Identity identity;

    ServerCall(RpcService service, AssociationGroup group, RemoteAddress client, int opnum, Uuid object,
               NdrReader in, NdrWriter out, int authLevel, Identity identity) {
        this.authLevel = authLevel;
        this.identity = identity;
        this.service = service;
        this.group = group;
        this.client = client;
        this.opnum = opnum;
        this.object = object;
        this.in = in;
        this.out = out;
    }

    /** The request's {@code [in]} stub, in the call's transfer syntax and byte order. */
    public NdrReader in() {
        return in;
    }

    /** Where the {@code [out]} parameters and the return value go. */
    public NdrWriter out() {
        return out;
    }

    public int opnum() {
        return opnum;
    }

    /** The object UUID of the request (PFC_OBJECT_UUID), or {@code null}. */
    public Uuid object() {
        return object;
    }

    public TransferSyntax syntax() {
        return in.syntax();
    }

    /** The client's transport address. */
    public RemoteAddress client() {
        return client;
    }

    /** The id of the association group the call arrived in. */
    public int associationGroupId() {
        return group.id;
    }

    /** Opens a context handle for {@code state}, valid on every connection of this association group. */
    public ContextHandle openContextHandle(Object state) {
        return group.open(service, state, identity);
    }

    /**
     * The state behind a context handle this service opened in this association group.
     *
     * @throws FaultException {@code nca_s_fault_context_mismatch} for an unknown, closed or foreign handle, or one
     *                        that another identity opened
     */
    public <T> T contextHandle(ContextHandle handle, Class<T> type) {
        Object state = group.lookup(service, handle, identity);
        if (!type.isInstance(state)) {
            throw new FaultException(dev.weft.pdu.FaultStatus.NCA_S_FAULT_CONTEXT_MISMATCH, "context handle of another type");
        }
        return type.cast(state);
    }

    /** Closes a context handle and returns its state; the operation then returns {@link ContextHandle#NULL}. */
    public Object closeContextHandle(ContextHandle handle) {
        return group.close(service, handle, identity);
    }

    /**
     * The auth level the call arrived at ({@code AuthLevel}): NONE (1) on an unauthenticated connection, else
     * CONNECT to PKT_PRIVACY. A service that needs protection checks it and answers access denied below its need.
     */
    public int authLevel() {
        return authLevel;
    }

    /** Who the client authenticated as, or {@code null} on an unauthenticated connection. */
    public Identity identity() {
        return identity;
    }

    /** Whether the client cancelled or orphaned the call, or its connection was lost. */
    public boolean isCancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }
}
