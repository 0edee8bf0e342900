package dev.weft.security;

/**
 * What a security context must provide once established, from the RPC authentication level (MS-RPCE
 * 3.3.1.5.2.2, first table): CONNECT needs authentication only, CALL, PKT and PKT_INTEGRITY need integrity,
 * PKT_PRIVACY needs confidentiality as well.
 */
public enum Protection {
    /** Authenticate the peer; PDUs are not protected. */
    AUTHENTICATION,
    /** Sign every PDU. */
    INTEGRITY,
    /** Sign and seal every PDU. */
    CONFIDENTIALITY;

    /** The protection an RPC {@code auth_level} needs: 0..2 authentication, 3..5 integrity, 6 confidentiality. */
    public static Protection forAuthLevel(int authLevel) {
        if (authLevel <= 2) return AUTHENTICATION;
        return authLevel >= 6 ? CONFIDENTIALITY : INTEGRITY;
    }
}
