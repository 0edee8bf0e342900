package dev.weft.security;

/**
 * The one failure type of the security module: a malformed token, refused credentials, an altered or replayed
 * message. {@link #reason()} says which, with the SSPI status Windows reports and the fault status an RPC server
 * answers with (MS-RPCE 3.3.3.5; RPCE-FACTS §4.5: an authentication failure is answered with access denied).
 */
public final class SecurityContextException extends RuntimeException {

    /** Why the security context failed. */
    public enum Reason {
        /** Wrong password, unknown user, expired or refused logon (SEC_E_LOGON_DENIED). */
        LOGON_DENIED(0x8009030C, FAULT_ACCESS_DENIED),
        /** A token that does not parse or contradicts itself (SEC_E_INVALID_TOKEN). */
        INVALID_TOKEN(0x80090308, FAULT_SEC_PKG_ERROR),
        /** The peer lacks a capability the context needs, e.g. sealing or 128-bit keys (SEC_E_UNSUPPORTED_FUNCTION). */
        UNSUPPORTED(0x80090302, FAULT_SEC_PKG_ERROR),
        /** A signature that does not match (SEC_E_MESSAGE_ALTERED). */
        MESSAGE_ALTERED(0x8009030F, FAULT_SEC_PKG_ERROR),
        /** A message with an unexpected sequence number: replayed, dropped or reordered (SEC_E_OUT_OF_SEQUENCE). */
        OUT_OF_SEQUENCE(0x80090310, FAULT_SEC_PKG_ERROR),
        /** SPNEGO found no mechanism both sides support (SEC_E_NO_CREDENTIALS / reject). */
        NO_COMMON_MECHANISM(0x8009030E, FAULT_ACCESS_DENIED);

        private final int sspiStatus;
        private final int rpcFaultStatus;

        Reason(int sspiStatus, int rpcFaultStatus) {
            this.sspiStatus = sspiStatus;
            this.rpcFaultStatus = rpcFaultStatus;
        }

        /** The SSPI SECURITY_STATUS value. */
        public int sspiStatus() {
            return sspiStatus;
        }

        /** The status an RPC server puts in the fault PDU it answers with. */
        public int rpcFaultStatus() {
            return rpcFaultStatus;
        }
    }

    /** ERROR_ACCESS_DENIED, the fault Windows sends when authentication failed (RPCE-FACTS §4.5). */
    public static final int FAULT_ACCESS_DENIED = 0x00000005;
    /** RPC_S_SEC_PKG_ERROR (nca_s_fault_sec_pkg_error): the security package failed on a PDU. */
    public static final int FAULT_SEC_PKG_ERROR = 0x00000721;

    private final Reason reason;

    public SecurityContextException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }

    /** A malformed token. */
    public static SecurityContextException invalidToken(String message) {
        return new SecurityContextException(Reason.INVALID_TOKEN, message);
    }
}
