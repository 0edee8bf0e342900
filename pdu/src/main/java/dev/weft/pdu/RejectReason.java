package dev.weft.pdu;

/**
 * {@code provider_reject_reason} values of a bind_nak (C706 12.6.3 {@code p_reject_reason_t}, extended by
 * MS-RPCE 2.2.2.5).
 */
public final class RejectReason {
    public static final int REASON_NOT_SPECIFIED = 0;
    /** MS-RPCE: clients treat it as {@link #LOCAL_LIMIT_EXCEEDED}. */
    public static final int TEMPORARY_CONGESTION = 1;
    public static final int LOCAL_LIMIT_EXCEEDED = 2;
    public static final int CALLED_PADDR_UNKNOWN = 3;
    /**
     * C706 protocol_version_not_supported; MS-RPCE 2.2.2.5 names it PROTOCOL_VERSION_NOT_SPECIFIED and uses it for
     * any malformed bind or alter_context.
     */
    public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 4;
    public static final int DEFAULT_CONTEXT_NOT_SUPPORTED = 5;
    public static final int USER_DATA_NOT_READABLE = 6;
    public static final int NO_PSAP_AVAILABLE = 7;
    /** MS-RPCE 2.2.2.5. */
    public static final int AUTHENTICATION_TYPE_NOT_RECOGNIZED = 8;
    /** MS-RPCE 2.2.2.5: an unrecoverable error in the security package. */
    public static final int INVALID_CHECKSUM = 9;

    private RejectReason() {
    }

    /** The spec name of a reject reason, or {@code "reject_reason(n)"}. */
    public static String name(int reason) {
        return switch (reason) {
            case REASON_NOT_SPECIFIED -> "reason_not_specified";
            case TEMPORARY_CONGESTION -> "temporary_congestion";
            case LOCAL_LIMIT_EXCEEDED -> "local_limit_exceeded";
            case CALLED_PADDR_UNKNOWN -> "called_paddr_unknown";
            case PROTOCOL_VERSION_NOT_SUPPORTED -> "protocol_version_not_supported";
            case DEFAULT_CONTEXT_NOT_SUPPORTED -> "default_context_not_supported";
            case USER_DATA_NOT_READABLE -> "user_data_not_readable";
            case NO_PSAP_AVAILABLE -> "no_psap_available";
            case AUTHENTICATION_TYPE_NOT_RECOGNIZED -> "authentication_type_not_recognized";
            case INVALID_CHECKSUM -> "invalid_checksum";
            default -> "reject_reason(" + reason + ")";
        };
    }
}
