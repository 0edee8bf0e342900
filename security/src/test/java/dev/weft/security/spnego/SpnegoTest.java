package dev.weft.security.spnego;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.security.Hex;
import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Step;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SPNEGO with NTLMSSP inside, Weft client against Weft server. */
class SpnegoTest {

    static final String KERBEROS = "1.2.840.113554.1.2.2";
    static final NtlmProvider SERVER_NTLM = NtlmProvider.server(NtlmCredentialSource.ofPasswords(Map.of("bob", "pw2")));

    static SpnegoProvider client(String password) {
        return SpnegoProvider.ntlm(NtlmProvider.client(NtlmCredentials.password("WEFT", "bob", password)));
    }

    /** Runs legs until both are complete; returns the tokens exchanged. */
    static List<byte[]> run(SecurityContext c, SecurityContext s) {
        List<byte[]> legs = new ArrayList<>();
        byte[] token = c.step(new byte[0]).token();
        legs.add(token);
        SecurityContext[] turn = {s, c};
        int who = 0;
        while (!(c.isComplete() && s.isComplete())) {
            Step step = turn[who].step(token);
            token = step.token();
            legs.add(token);
            who ^= 1;
            if (legs.size() > 10) throw new AssertionError("no end");
        }
        return legs;
    }

    @Test
    void fourLegsThenSealBothWays() {
        SecurityContext c = client("pw2").newClientContext(Protection.CONFIDENTIALITY, "host/weft");
        SecurityContext s = SpnegoProvider.ntlm(SERVER_NTLM).newServerContext();
        List<byte[]> legs = run(c, s);
        // bind, bind_ack, alter_context, alter_context_resp; the client has nothing after the fourth.
        assertEquals(5, legs.size());
        assertEquals(0, legs.get(4).length);
        assertEquals(0x60, legs.get(0)[0] & 0xFF, "GSS-API framed negTokenInit");
        assertEquals(0xA1, legs.get(1)[0] & 0xFF, "negTokenResp");
        assertArrayEquals(c.sessionKey(), s.sessionKey());
        assertEquals("bob", s.identity().user());
        assertEquals(NtlmProvider.OID, ((SpnegoContext) s).mechanism());
        assertEquals(SpnegoProvider.AUTH_TYPE, s.authType());
        for (int i = 0; i < 3; i++) {
            byte[] data = {1, 2, 3, (byte) i};
            byte[] sig = c.seal(List.of(Region.data(data)));
            s.unseal(List.of(Region.data(data)), sig);
            assertArrayEquals(new byte[] {1, 2, 3, (byte) i}, data);
            sig = s.seal(List.of(Region.data(data)));
            c.unseal(List.of(Region.data(data)), sig);
            assertArrayEquals(new byte[] {1, 2, 3, (byte) i}, data);
        }
    }

    @Test
    void firstMessageAfterTheMechListMicContinuesTheSequence() {
        // Once SPNEGO's mechListMIC exchange is over NTLM restarts its RC4 streams but not its sequence numbers
        // (checked against Samba's client and server): the mechListMIC was SeqNum 0, the first message is SeqNum 1.
        SecurityContext c = client("pw2").newClientContext(Protection.INTEGRITY, null);
        SecurityContext s = SpnegoProvider.ntlm(SERVER_NTLM).newServerContext();
        run(c, s);
        byte[] sig = c.sign(List.of(Region.data(new byte[] {9})));
        assertEquals(1, sig[12] | sig[13] << 8 | sig[14] << 16 | sig[15] << 24);
        s.verify(List.of(Region.data(new byte[] {9})), sig);
    }

    @Test
    void wrongPasswordIsLogonDenied() {
        SecurityContext c = client("nope").newClientContext(Protection.INTEGRITY, null);
        SecurityContext s = SpnegoProvider.ntlm(SERVER_NTLM).newServerContext();
        var e = assertThrows(SecurityContextException.class, () -> run(c, s));
        assertEquals(Reason.LOGON_DENIED, e.reason());
    }

    @Test
    void tamperedMechListMicIsRefused() {
        SecurityContext c = client("pw2").newClientContext(Protection.INTEGRITY, null);
        SecurityContext s = SpnegoProvider.ntlm(SERVER_NTLM).newServerContext();
        byte[] init = c.step(new byte[0]).token();
        byte[] resp1 = s.step(init).token();
        byte[] resp2 = c.step(resp1).token();
        NegTokens.Resp r = NegTokens.Resp.decode(resp2);
        byte[] mic = r.mechListMic().clone();
        mic[6] ^= 1;
        byte[] forged = new NegTokens.Resp(r.negState(), r.supportedMech(), r.responseToken(), mic).encode();
        assertThrows(SecurityContextException.class, () -> s.step(forged));
    }

    @Test
    void downgradedMechListIsDetectedByTheMic() {
        // An attacker removes Kerberos from the initiator's list; the acceptor's view of the list then differs from
        // the one the initiator's mechListMIC covers.
        SpnegoProvider two = new SpnegoProvider(List.of(
                SpnegoProvider.Mechanism.ntlm(NtlmProvider.client(NtlmCredentials.password("WEFT", "bob", "pw2"))),
                new SpnegoProvider.Mechanism(KERBEROS, NtlmProvider.client(NtlmCredentials.password("W", "x", "y")))));
        SecurityContext c = two.newClientContext(Protection.INTEGRITY, null);
        SecurityContext s = SpnegoProvider.ntlm(SERVER_NTLM).newServerContext();
        NegTokens.Init init = NegTokens.Init.decode(c.step(new byte[0]).token());
        NegTokens.Init stripped = NegTokens.Init.of(List.of(NtlmProvider.OID), init.mechToken());
        byte[] resp1 = s.step(stripped.encode()).token();
        byte[] resp2 = c.step(resp1).token();
        var e = assertThrows(SecurityContextException.class, () -> s.step(resp2));
        assertEquals(Reason.MESSAGE_ALTERED, e.reason());
    }

    @Test
    void acceptorPicksItsMechanismWhenTheOptimisticOneIsUnknown() {
        // The client prefers "Kerberos" (here a stand-in), the server has only NTLM: six legs, NTLM wins.
        SpnegoProvider prefersKerberos = new SpnegoProvider(List.of(
                new SpnegoProvider.Mechanism(KERBEROS, NtlmProvider.client(NtlmCredentials.password("W", "x", "y"))),
                SpnegoProvider.Mechanism.ntlm(NtlmProvider.client(NtlmCredentials.password("WEFT", "bob", "pw2")))));
        SecurityContext c = prefersKerberos.newClientContext(Protection.INTEGRITY, null);
        SecurityContext s = SpnegoProvider.ntlm(SERVER_NTLM).newServerContext();
        List<byte[]> legs = run(c, s);
        assertEquals(7, legs.size());
        assertEquals(NtlmProvider.OID, ((SpnegoContext) c).mechanism());
        assertEquals("bob", s.identity().user());
    }

    @Test
    void noCommonMechanism() {
        SpnegoProvider onlyKerberos = new SpnegoProvider(List.of(
                new SpnegoProvider.Mechanism(KERBEROS, NtlmProvider.client(NtlmCredentials.password("W", "x", "y")))));
        var e = assertThrows(SecurityContextException.class,
                () -> run(onlyKerberos.newClientContext(Protection.INTEGRITY, null),
                        SpnegoProvider.ntlm(SERVER_NTLM).newServerContext()));
        assertEquals(Reason.NO_COMMON_MECHANISM, e.reason());
    }

    @Test
    void negTokenInitLayout() {
        byte[] t = NegTokens.Init.of(List.of(NtlmProvider.OID), new byte[] {0x11}).encode();
        // [APPLICATION 0] { spnego OID, [0] { SEQUENCE { [0] { SEQUENCE { ntlm OID } }, [2] { OCTET STRING 11 } } } }
        assertEquals("6021" + "06062b0601050502" + "a017" + "3015" + "a00e" + "300c" + "060a2b06010401823702020a"
                + "a203" + "040111", Hex.of(t));
    }

    @Test
    void hostileTokensGiveTypedErrorsOnly() {
        SecurityContext c = client("pw2").newClientContext(Protection.INTEGRITY, null);
        SecurityContext s = SpnegoProvider.ntlm(SERVER_NTLM).newServerContext();
        byte[] init = c.step(new byte[0]).token();
        byte[] resp = s.step(init).token();
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            boolean toServer = (i & 1) == 0;
            byte[] base = toServer ? init : resp;
            byte[] m = java.util.Arrays.copyOf(base, random.nextInt(base.length + 4));
            for (int k = 0; k < 1 + random.nextInt(3) && m.length > 0; k++) m[random.nextInt(m.length)] ^= (byte) (1 + random.nextInt(255));
            try {
                if (toServer) {
                    SpnegoProvider.ntlm(SERVER_NTLM).newServerContext().step(m);
                } else {
                    SecurityContext cc = client("pw2").newClientContext(Protection.INTEGRITY, null);
                    cc.step(new byte[0]);
                    cc.step(m);
                }
            } catch (SecurityContextException expected) {
                // the only acceptable failure
            }
        }
        assertTrue(true);
    }

    @Test
    void firstStepIsAContinue() {
        assertInstanceOf(Step.Continue.class, client("pw2").newClientContext(Protection.INTEGRITY, null)
                .step(new byte[0]));
    }
}
