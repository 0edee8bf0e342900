package dev.weft.fuzz;

import dev.weft.security.Protection;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityProvider;
import dev.weft.security.Step;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real NTLMSSP and SPNEGO exchanges between Weft's own client and server contexts, for seeds. */
final class Tokens {
    private Tokens() {
    }

    static final String USER = "alice";
    static final String PASSWORD = "Secret#1";
    static final NtlmProvider NTLM_SERVER = NtlmProvider.server(NtlmCredentialSource.ofPasswords(Map.of(USER, PASSWORD)));
    static final NtlmProvider NTLM_CLIENT = NtlmProvider.client(NtlmCredentials.password("WEFT", USER, PASSWORD));
    static final SpnegoProvider SPNEGO_SERVER = SpnegoProvider.ntlm(NTLM_SERVER);
    static final SpnegoProvider SPNEGO_CLIENT = SpnegoProvider.ntlm(NTLM_CLIENT);

    /** An NTLMSSP NEGOTIATE_MESSAGE from a real client. */
    static byte[] ntlmNegotiate() {
        return NTLM_CLIENT.newClientContext(Protection.INTEGRITY, "host/weft").step(new byte[0]).token();
    }

    /**
     * Every token of a whole exchange, in order: client, server, client, server ... until both are complete (the
     * last server token may be empty).
     */
    static List<byte[]> exchange(SecurityProvider client, SecurityProvider server, Protection protection) {
        SecurityContext c = client.newClientContext(protection, "host/weft");
        SecurityContext s = server.newServerContext();
        List<byte[]> tokens = new ArrayList<>();
        byte[] in = new byte[0];
        for (int leg = 0; leg < 8 && !(c.isComplete() && s.isComplete()); leg++) {
            SecurityContext who = leg % 2 == 0 ? c : s;
            if (who.isComplete()) break;
            Step step = who.step(in);
            tokens.add(step.token());
            in = step.token();
        }
        if (!c.isComplete() || !s.isComplete()) throw new IllegalStateException("exchange did not complete");
        return tokens;
    }
}
