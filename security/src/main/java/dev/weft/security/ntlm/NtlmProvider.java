package dev.weft.security.ntlm;

import dev.weft.security.Protection;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityProvider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Random;

/**
 * NTLMSSP (MS-NLMP), auth_type 10 (RPC_C_AUTHN_WINNT): NTLMv2 with extended session security, 128-bit keys, key
 * exchange and the MIC. A client provider holds {@link NtlmCredentials}; a server provider an
 * {@link NtlmCredentialSource} and its {@link NtlmServerConfig}. One provider may be both.
 */
public final class NtlmProvider implements SecurityProvider {

    /** RPC_C_AUTHN_WINNT. */
    public static final int AUTH_TYPE = NtlmContext.AUTH_TYPE;
    /** The NTLMSSP mechanism OID for SPNEGO (MS-NLMP 1.9). */
    public static final String OID = "1.3.6.1.4.1.311.2.2.10";

    private final NtlmCredentials credentials;
    private final NtlmCredentialSource source;
    private final NtlmServerConfig config;
    private final Random random;
    private final Clock clock;

    NtlmProvider(NtlmCredentials credentials, NtlmCredentialSource source, NtlmServerConfig config, Random random,
                 Clock clock) {
        this.credentials = credentials;
        this.source = source;
        this.config = config;
        this.random = random;
        this.clock = clock;
    }

    /** A client provider. */
    public static NtlmProvider client(NtlmCredentials credentials) {
        return new NtlmProvider(Objects.requireNonNull(credentials), null, null, new SecureRandom(), Clock.systemUTC());
    }

    /** A server provider with the default names (WORKGROUP, WEFT) and anonymous refused. */
    public static NtlmProvider server(NtlmCredentialSource source) {
        return server(source, NtlmServerConfig.defaults());
    }

    /** A server provider. */
    public static NtlmProvider server(NtlmCredentialSource source, NtlmServerConfig config) {
        return new NtlmProvider(null, Objects.requireNonNull(source), Objects.requireNonNull(config),
                new SecureRandom(), config.clock());
    }

    @Override
    public int authType() {
        return AUTH_TYPE;
    }

    @Override
    public String name() {
        return "NTLMSSP";
    }

    /**
     * @throws IllegalStateException    without client credentials
     * @throws IllegalArgumentException for anonymous credentials with INTEGRITY or CONFIDENTIALITY: a null session
     *                                  has no key to protect PDUs with
     */
    @Override
    public SecurityContext newClientContext(Protection protection, String targetName) {
        if (credentials == null) throw new IllegalStateException("this NTLM provider has no client credentials");
        if (credentials.isAnonymous() && protection != Protection.AUTHENTICATION) {
            throw new IllegalArgumentException("an anonymous NTLM context cannot sign or seal");
        }
        return new NtlmClientContext(credentials, Objects.requireNonNull(protection), targetName, random, clock);
    }

    @Override
    public SecurityContext newServerContext() {
        if (source == null) throw new IllegalStateException("this NTLM provider has no credential source");
        return new NtlmServerContext(source, config, random);
    }
}
