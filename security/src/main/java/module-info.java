/**
 * RPC authentication: the {@link dev.weft.security.SecurityProvider} SPI and its security contexts, NTLMSSP
 * (MS-NLMP) and SPNEGO (RFC 4178, MS-SPNG). JDK only; MD4, RC4 and DER live in an unexported package.
 */
module dev.weft.security {
    exports dev.weft.security;
    exports dev.weft.security.ntlm;
    exports dev.weft.security.spnego;
}
