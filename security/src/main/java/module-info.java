/**
 * RPC authentication: the {@link dev.weft.security.SecurityProvider} SPI and its security contexts, NTLMSSP
 * (MS-NLMP), SPNEGO (RFC 4178, MS-SPNG) and Kerberos (RFC 4121, MS-KILE; client only so far). JDK only; MD4, RC4 and DER live in an unexported package.
 */
module dev.weft.security {
    exports dev.weft.security;
    exports dev.weft.security.ntlm;
    exports dev.weft.security.spnego;
    exports dev.weft.security.kerberos;

    requires java.security.jgss;
    requires jdk.security.jgss;
}
