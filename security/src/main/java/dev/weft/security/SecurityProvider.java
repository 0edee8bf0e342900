package dev.weft.security;

/**
 * An authentication mechanism as the RPC runtime sees it (MS-RPCE 3.3.1.5.2): it has an {@code auth_type} and makes
 * security contexts for either role. Credentials are given to the provider when it is built (a client provider
 * holds the user's credentials, a server provider its credential source), so the runtime only chooses the role and
 * the protection it needs.
 */
public interface SecurityProvider {

    /** The sec_trailer {@code auth_type} of this mechanism (MS-RPCE 2.2.1.1.7), e.g. 10 for NTLMSSP, 9 for SPNEGO. */
    int authType();

    /** A short name for logs ("NTLMSSP", "SPNEGO"). */
    String name();

    /**
     * A new initiator context.
     *
     * @param protection what the context must be able to do; a peer that cannot is an error
     * @param targetName the service principal of the server (for example {@code host/dc.example.com}), or
     *                   {@code null}
     * @throws IllegalStateException when this provider has no client credentials
     */
    SecurityContext newClientContext(Protection protection, String targetName);

    /**
     * A new acceptor context.
     *
     * @throws IllegalStateException when this provider has no credential source
     */
    SecurityContext newServerContext();
}
