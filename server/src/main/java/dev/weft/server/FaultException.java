package dev.weft.server;

import dev.weft.pdu.FaultStatus;

/**
 * Thrown by a service implementation (or the runtime on its behalf) to answer a call with a fault PDU carrying
 * {@code status} (MS-RPCE 2.2.2.8). MS-RPCE 3.3.3.5.1 forbids some statuses on the wire; the runtime replaces
 * those with {@code nca_s_fault_unspec}.
 */
public class FaultException extends RuntimeException {
    private final int status;

    public FaultException(int status, String message) {
        super(message);
        this.status = status;
    }

    public FaultException(FaultStatus status, String message) {
        this(status.code(), message);
    }

    /** The fault status the client receives. */
    public int status() {
        return status;
    }
}
