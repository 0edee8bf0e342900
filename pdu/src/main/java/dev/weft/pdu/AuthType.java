package dev.weft.pdu;

/** {@code auth_type} values of the sec_trailer (MS-RPCE 2.2.1.1.7; C706 chapter 13). */
public final class AuthType {
    public static final int RPC_C_AUTHN_NONE = 0;
    public static final int RPC_C_AUTHN_DCE_PRIVATE = 1;
    public static final int RPC_C_AUTHN_DCE_PUBLIC = 2;
    /** SPNEGO; an even number of legs over alter_context. */
    public static final int RPC_C_AUTHN_GSS_NEGOTIATE = 9;
    /** NTLMSSP; three legs, the third in rpc_auth_3. */
    public static final int RPC_C_AUTHN_WINNT = 10;
    public static final int RPC_C_AUTHN_GSS_SCHANNEL = 14;
    /** DCE-style Kerberos. */
    public static final int RPC_C_AUTHN_GSS_KERBEROS = 16;
    public static final int RPC_C_AUTHN_DPA = 17;
    public static final int RPC_C_AUTHN_MSN = 18;
    public static final int RPC_C_AUTHN_DIGEST = 21;
    public static final int RPC_C_AUTHN_NEGO_EXTENDER = 30;
    /** Netlogon secure channel (MS-NRPC). */
    public static final int RPC_C_AUTHN_NETLOGON = 68;
    public static final int RPC_C_AUTHN_MQ = 100;
    /** API-level only: MS-RPCE says a client MUST NOT send it. */
    public static final int RPC_C_AUTHN_DEFAULT = 0xFF;

    private AuthType() {
    }

    /** The spec name of an auth_type value, or {@code "auth_type(n)"}. */
    public static String name(int authType) {
        return switch (authType) {
            case RPC_C_AUTHN_NONE -> "RPC_C_AUTHN_NONE";
            case RPC_C_AUTHN_DCE_PRIVATE -> "RPC_C_AUTHN_DCE_PRIVATE";
            case RPC_C_AUTHN_DCE_PUBLIC -> "RPC_C_AUTHN_DCE_PUBLIC";
            case RPC_C_AUTHN_GSS_NEGOTIATE -> "RPC_C_AUTHN_GSS_NEGOTIATE";
            case RPC_C_AUTHN_WINNT -> "RPC_C_AUTHN_WINNT";
            case RPC_C_AUTHN_GSS_SCHANNEL -> "RPC_C_AUTHN_GSS_SCHANNEL";
            case RPC_C_AUTHN_GSS_KERBEROS -> "RPC_C_AUTHN_GSS_KERBEROS";
            case RPC_C_AUTHN_DPA -> "RPC_C_AUTHN_DPA";
            case RPC_C_AUTHN_MSN -> "RPC_C_AUTHN_MSN";
            case RPC_C_AUTHN_DIGEST -> "RPC_C_AUTHN_DIGEST";
            case RPC_C_AUTHN_NEGO_EXTENDER -> "RPC_C_AUTHN_NEGO_EXTENDER";
            case RPC_C_AUTHN_NETLOGON -> "RPC_C_AUTHN_NETLOGON";
            case RPC_C_AUTHN_MQ -> "RPC_C_AUTHN_MQ";
            case RPC_C_AUTHN_DEFAULT -> "RPC_C_AUTHN_DEFAULT";
            default -> "auth_type(" + authType + ")";
        };
    }
}
