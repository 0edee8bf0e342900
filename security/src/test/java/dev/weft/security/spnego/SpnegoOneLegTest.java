package dev.weft.security.spnego;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityProvider;
import dev.weft.security.Step;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPNEGO over a mechanism that finishes in one round trip (Kerberos: AP-REQ, AP-REP): Samba's acceptor answers
 * accept-completed without a mechListMIC, and the client must complete there, as RFC 4178 section 5 allows when
 * the acceptor chose the initiator's preferred mechanism; a mechListMIC that is present must verify.
 */
class SpnegoOneLegTest {
    static final String ONE_LEG_OID = "1.3.6.1.4.1.99999.1";

    /** A client mechanism that sends "hello" and completes on "welcome". */
    static final class OneLeg implements SecurityContext {
        boolean complete;

        public int authType() {
            return 99;
        }

        public Step step(byte[] input) {
            if (input.length == 0) return new Step.Continue("hello".getBytes(StandardCharsets.US_ASCII));
            if (!new String(input, StandardCharsets.US_ASCII).equals("welcome")) {
                throw SecurityContextException.invalidToken("not welcome");
            }
            complete = true;
            return new Step.Complete(new byte[0]);
        }

        public boolean isComplete() {
            return complete;
        }

        public Protection negotiatedProtection() {
            return Protection.INTEGRITY;
        }

        public Identity identity() {
            return new Identity("", "one", false);
        }

        public byte[] sessionKey() {
            return new byte[16];
        }

        public int signatureLength() {
            return 16;
        }

        public byte[] sign(List<Region> regions) {
            return new byte[16];
        }

        public void verify(List<Region> regions, byte[] signature) {
            if (signature.length != 16 || signature[0] != 0) throw new SecurityContextException(SecurityContextException.Reason.MESSAGE_ALTERED, "bad");
        }

        public byte[] seal(List<Region> regions) {
            return new byte[16];
        }

        public void unseal(List<Region> regions, byte[] signature) {
        }
    }

    static SecurityProvider oneLeg() {
        return new SecurityProvider() {
            public int authType() {
                return 99;
            }

            public String name() {
                return "one-leg";
            }

            public SecurityContext newClientContext(Protection protection, String targetName) {
                return new OneLeg();
            }

            public SecurityContext newServerContext() {
                throw new IllegalStateException();
            }
        };
    }

    static SecurityContext client() {
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password("D", "u", "p"));
        return new SpnegoProvider(List.of(new SpnegoProvider.Mechanism(ONE_LEG_OID, oneLeg()),
                new SpnegoProvider.Mechanism(NtlmProvider.OID, ntlm))).newClientContext(Protection.INTEGRITY, "host/x");
    }

    @Test
    void acceptCompletedWithoutAMicOnThePreferredMechanismCompletes() {
        SecurityContext c = client();
        NegTokens.Init init = NegTokens.Init.decode(c.step(new byte[0]).token());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), init.mechToken(), "the optimistic token");
        byte[] resp = new NegTokens.Resp(NegTokens.ACCEPT_COMPLETED, ONE_LEG_OID,
                "welcome".getBytes(StandardCharsets.US_ASCII), null).encode();
        Step last = c.step(resp);
        assertInstanceOf(Step.Complete.class, last, "no further leg for a mechListMIC");
        assertTrue(c.isComplete());
    }

    @Test
    void aMicThatIsPresentMustVerify() {
        SecurityContext c = client();
        c.step(new byte[0]);
        byte[] resp = new NegTokens.Resp(NegTokens.ACCEPT_COMPLETED, ONE_LEG_OID,
                "welcome".getBytes(StandardCharsets.US_ASCII), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}).encode();
        assertThrows(SecurityContextException.class, () -> c.step(resp));
    }
}
