/**
 * RPC authentication: the {@link dev.weft.security.SecurityProvider} SPI and its security contexts, NTLMSSP
 * (MS-NLMP), SPNEGO (RFC 4178, MS-SPNG) and Kerberos (RFC 4120/4121/4757, MS-KILE, the PAC of MS-PAC). The JDK and
 * Weft's NDR runtime (the PAC is NDR); MD4, RC4 and DER live in an unexported package.
 */
module dev.weft.security {
    exports dev.weft.security;
    exports dev.weft.security.ntlm;
    exports dev.weft.security.spnego;
    exports dev.weft.security.kerberos;

    requires dev.weft.ndr;
    requires java.security.jgss;
    requires jdk.security.jgss;
}
