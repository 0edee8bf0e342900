package dev.weft.security.spnego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.SecurityProvider;
import dev.weft.security.Step;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acceptor's side of RFC 4178 section 5: when it chose the initiator's first mechanism the mechListMIC is
 * optional (Samba's initiator sends none for Kerberos with an RC4-HMAC key), one that is sent must verify and is
 * answered with the acceptor's own, and when another mechanism was chosen a missing one is a downgrade and refused.
 */
class SpnegoAcceptorMechListMicTest {
    static final String TWO_LEG_OID = "1.3.6.1.4.1.99999.2";
    static final String OTHER_OID = "1.3.6.1.4.1.99999.3";
    static final byte[] GOOD_MIC = new byte[16];

    /** An acceptor mechanism in the DCE-style Kerberos shape: a first token, an answer, a last token. */
    static final class TwoLegAcceptor implements SecurityContext {
        int legs;

        public int authType() {
            return 99;
        }

        public Step step(byte[] input) {
            if (++legs == 1) return new Step.Continue("reply".getBytes(StandardCharsets.US_ASCII));
            return new Step.Complete(new byte[0]);
        }

        public boolean isComplete() {
            return legs == 2;
        }

        public Protection negotiatedProtection() {
            return Protection.INTEGRITY;
        }

        public Identity identity() {
            return new Identity("", "two", false);
        }

        public byte[] sessionKey() {
            return new byte[16];
        }

        public int signatureLength() {
            return 16;
        }

        public byte[] sign(List<Region> regions) {
            return GOOD_MIC.clone();
        }

        public void verify(List<Region> regions, byte[] signature) {
            if (signature.length != 16 || signature[0] != 0) throw new SecurityContextException(Reason.MESSAGE_ALTERED, "bad MIC");
        }

        public byte[] seal(List<Region> regions) {
            return new byte[16];
        }

        public void unseal(List<Region> regions, byte[] signature) {
        }
    }

    static SecurityContext acceptor() {
        SecurityProvider twoLeg = new SecurityProvider() {
            public int authType() {
                return 99;
            }

            public String name() {
                return "two-leg";
            }

            public SecurityContext newClientContext(Protection protection, String targetName) {
                throw new IllegalStateException();
            }

            public SecurityContext newServerContext() {
                return new TwoLegAcceptor();
            }
        };
        return new SpnegoProvider(List.of(new SpnegoProvider.Mechanism(TWO_LEG_OID, twoLeg))).newServerContext();
    }

    static byte[] init(List<String> oids) {
        return NegTokens.Init.of(oids, "first".getBytes(StandardCharsets.US_ASCII)).encode();
    }

    static byte[] last(byte[] mic) {
        return new NegTokens.Resp(null, null, "last".getBytes(StandardCharsets.US_ASCII), mic).encode();
    }

    @Test
    void theInitiatorsFirstChoiceCompletesWithoutAMechListMic() {
        SecurityContext s = acceptor();
        s.step(init(List.of(TWO_LEG_OID, OTHER_OID)));
        Step done = s.step(last(null));
        assertInstanceOf(Step.Complete.class, done);
        NegTokens.Resp resp = NegTokens.Resp.decode(done.token());
        assertEquals(NegTokens.ACCEPT_COMPLETED, resp.negState());
        assertNull(resp.mechListMic(), "none asked, none given");
        assertTrue(s.isComplete());
    }

    @Test
    void aMechListMicThatIsSentMustVerifyAndIsAnswered() {
        SecurityContext s = acceptor();
        s.step(init(List.of(TWO_LEG_OID, OTHER_OID)));
        NegTokens.Resp resp = NegTokens.Resp.decode(s.step(last(GOOD_MIC)).token());
        assertNotNull(resp.mechListMic());

        SecurityContext bad = acceptor();
        bad.step(init(List.of(TWO_LEG_OID, OTHER_OID)));
        byte[] wrong = GOOD_MIC.clone();
        wrong[0] = 1;
        SecurityContextException e = assertThrows(SecurityContextException.class, () -> bad.step(last(wrong)));
        assertEquals(Reason.MESSAGE_ALTERED, e.reason());
    }

    @Test
    void anotherThanTheFirstChoiceNeedsTheMechListMic() {
        SecurityContext s = acceptor();
        NegTokens.Resp select = NegTokens.Resp.decode(s.step(init(List.of(OTHER_OID, TWO_LEG_OID))).token());
        assertEquals(TWO_LEG_OID, select.supportedMech());
        s.step(new NegTokens.Resp(null, null, "first".getBytes(StandardCharsets.US_ASCII), null).encode());
        SecurityContextException e = assertThrows(SecurityContextException.class, () -> s.step(last(null)));
        assertEquals(Reason.MESSAGE_ALTERED, e.reason());
    }
}
