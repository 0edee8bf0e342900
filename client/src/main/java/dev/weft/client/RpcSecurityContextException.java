package dev.weft.client;

import dev.weft.pdu.FaultStatus;

/**
 * A further security context (MS-RPCE 3.3.1.5.4, security context multiplexing; {@link RpcClient#withAuth}) could not
 * be built on a connection. {@link #reason()} says why; {@link #status()} is the server's fault status when it
 * refused the alter_context.
 *
 * <p>Only {@link Reason#REFUSED} and {@link Reason#AUTHENTICATION_FAILED} reached the server. Servers close the
 * connection after refusing one (Windows and Weft answer with a fault and hang up), so the calls of the connection's
 * other contexts fail then too; the two other reasons sent nothing and leave the connection as it was.
 */
public final class RpcSecurityContextException extends RpcException {

    /** Why the security context could not be built. */
    public enum Reason {
        /**
         * The server did not accept SecurityContextMultiplexingSupported in the bind-time feature negotiation, and a
         * client MUST NOT multiplex then (MS-RPCE 3.3.1.5.4). Nothing was sent.
         */
        NOT_NEGOTIATED,
        /** The connection holds 2,000 security contexts already, MS-RPCE's limit for a client. Nothing was sent. */
        LIMIT_REACHED,
        /** The server answered the alter_context with a fault ({@link #status()}), or rejected its presentation context. */
        REFUSED,
        /**
         * The security mechanism failed (a wrong password, no ticket for the target, a bad server token), here or at
         * the server, which then answered a later leg with a fault ({@link #status()}). An NTLMSSP context learns
         * the server's verdict only from its first call, which the server answers with a fault (access denied).
         */
        AUTHENTICATION_FAILED
    }

    private final Reason reason;
    private final int status;

    public RpcSecurityContextException(Reason reason, int status, String message) {
        super(message + (status != 0 ? " (fault " + FaultStatus.describe(status) + ")" : ""), null);
        this.reason = reason;
        this.status = status;
    }

    /** Why the security context could not be built. */
    public Reason reason() {
        return reason;
    }

    /** The fault status the server answered the alter_context with, or 0. */
    public int status() {
        return status;
    }
}
