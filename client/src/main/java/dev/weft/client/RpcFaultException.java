package dev.weft.client;

import dev.weft.pdu.FaultStatus;

/** The server answered a call with a fault PDU (MS-RPCE 2.2.2.8); {@link #status()} says why. */
public final class RpcFaultException extends RpcException {
    private final int status;

    public RpcFaultException(int status) {
        super("RPC fault " + FaultStatus.describe(status), null);
        this.status = status;
    }

    /** The fault status, e.g. 0x1C010002 {@code nca_s_op_rng_error} or 5 {@code ERROR_ACCESS_DENIED}. */
    public int status() {
        return status;
    }

    /** The status's name from the spec, or {@code null} for a status Weft does not know. */
    public String statusName() {
        FaultStatus s = FaultStatus.of(status);
        return s == null ? null : s.name();
    }
}
