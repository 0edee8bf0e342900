package dev.weft.security.spnego;

import dev.weft.security.Protection;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityProvider;
import dev.weft.security.ntlm.NtlmProvider;
import java.util.List;
import java.util.Objects;

/**
 * SPNEGO (RFC 4178, MS-SPNG), auth_type 9 (RPC_C_AUTHN_GSS_NEGOTIATE): negotiates one of its {@link Mechanism}s,
 * runs it inside negTokenInit/negTokenResp, and protects the mechanism list with mechListMIC in both directions.
 * Mechanisms are listed in preference order; Kerberos joins by adding a {@link Mechanism} with its OID.
 */
public final class SpnegoProvider implements SecurityProvider {

    /** RPC_C_AUTHN_GSS_NEGOTIATE. */
    public static final int AUTH_TYPE = 9;

    /** A mechanism SPNEGO can negotiate: its OID and the provider that makes its contexts. */
    public record Mechanism(String oid, SecurityProvider provider) {
        public Mechanism {
            Objects.requireNonNull(oid, "oid");
            Objects.requireNonNull(provider, "provider");
        }

        /** NTLMSSP under its OID 1.3.6.1.4.1.311.2.2.10. */
        public static Mechanism ntlm(NtlmProvider provider) {
            return new Mechanism(NtlmProvider.OID, provider);
        }
    }

    private final List<Mechanism> mechanisms;

    /** A provider over {@code mechanisms}, most preferred first. */
    public SpnegoProvider(List<Mechanism> mechanisms) {
        if (mechanisms.isEmpty()) throw new IllegalArgumentException("SPNEGO needs at least one mechanism");
        this.mechanisms = List.copyOf(mechanisms);
    }

    /** SPNEGO with NTLMSSP as its only mechanism. */
    public static SpnegoProvider ntlm(NtlmProvider ntlm) {
        return new SpnegoProvider(List.of(Mechanism.ntlm(ntlm)));
    }

    /** The mechanisms in preference order. */
    public List<Mechanism> mechanisms() {
        return mechanisms;
    }

    @Override
    public int authType() {
        return AUTH_TYPE;
    }

    @Override
    public String name() {
        return "SPNEGO";
    }

    @Override
    public SecurityContext newClientContext(Protection protection, String targetName) {
        return new SpnegoClientContext(mechanisms, protection, targetName);
    }

    @Override
    public SecurityContext newServerContext() {
        return new SpnegoServerContext(mechanisms);
    }
}
