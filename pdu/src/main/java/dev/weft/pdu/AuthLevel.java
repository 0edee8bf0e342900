package dev.weft.pdu;

/** {@code auth_level} values of the sec_trailer (MS-RPCE 2.2.1.1.8; C706 chapter 13). */
public final class AuthLevel {
    /** API-level; resolves to CONNECT. */
    public static final int RPC_C_AUTHN_LEVEL_DEFAULT = 0;
    public static final int RPC_C_AUTHN_LEVEL_NONE = 1;
    /** Authenticates the bind only; requests carry no per-PDU protection. */
    public static final int RPC_C_AUTHN_LEVEL_CONNECT = 2;
    /** Upgraded to PKT on connection-oriented transports (MS-RPCE). */
    public static final int RPC_C_AUTHN_LEVEL_CALL = 3;
    public static final int RPC_C_AUTHN_LEVEL_PKT = 4;
    /** Sign every PDU. */
    public static final int RPC_C_AUTHN_LEVEL_PKT_INTEGRITY = 5;
    /** Sign and seal every PDU. */
    public static final int RPC_C_AUTHN_LEVEL_PKT_PRIVACY = 6;

    private AuthLevel() {
    }

    /** The spec name of an auth_level value, or {@code "auth_level(n)"}. */
    public static String name(int level) {
        return switch (level) {
            case RPC_C_AUTHN_LEVEL_DEFAULT -> "RPC_C_AUTHN_LEVEL_DEFAULT";
            case RPC_C_AUTHN_LEVEL_NONE -> "RPC_C_AUTHN_LEVEL_NONE";
            case RPC_C_AUTHN_LEVEL_CONNECT -> "RPC_C_AUTHN_LEVEL_CONNECT";
            case RPC_C_AUTHN_LEVEL_CALL -> "RPC_C_AUTHN_LEVEL_CALL";
            case RPC_C_AUTHN_LEVEL_PKT -> "RPC_C_AUTHN_LEVEL_PKT";
            case RPC_C_AUTHN_LEVEL_PKT_INTEGRITY -> "RPC_C_AUTHN_LEVEL_PKT_INTEGRITY";
            case RPC_C_AUTHN_LEVEL_PKT_PRIVACY -> "RPC_C_AUTHN_LEVEL_PKT_PRIVACY";
            default -> "auth_level(" + level + ")";
        };
    }
}
