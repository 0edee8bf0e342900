package dev.weft.security.ntlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Step;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Weft's NTLM client against Weft's NTLM server: the three legs, then signing and sealing both ways. */
class NtlmRoundTripTest {

    static final NtlmCredentialSource USERS = NtlmCredentialSource.ofPasswords(Map.of("alice", "Secret#1"));

    /** Runs the handshake; returns {client, server}. */
    static SecurityContext[] handshake(NtlmCredentials creds, Protection protection, NtlmProvider server) {
        SecurityContext c = NtlmProvider.client(creds).newClientContext(protection, "host/weft.example");
        SecurityContext s = server.newServerContext();
        Step negotiate = c.step(new byte[0]);
        assertInstanceOf(Step.Continue.class, negotiate);
        Step challenge = s.step(negotiate.token());
        assertInstanceOf(Step.Continue.class, challenge);
        Step authenticate = c.step(challenge.token());
        assertInstanceOf(Step.Complete.class, authenticate);
        Step done = s.step(authenticate.token());
        assertInstanceOf(Step.Complete.class, done);
        assertFalse(done.hasToken(), "NTLM's third leg has no answer (rpc_auth_3)");
        return new SecurityContext[] {c, s};
    }

    static SecurityContext[] handshake(Protection protection) {
        return handshake(NtlmCredentials.password("WEFT", "Alice", "Secret#1"), protection,
                NtlmProvider.server(USERS));
    }

    @Test
    void establishesWithTheSameKeyAndIdentity() {
        SecurityContext[] p = handshake(Protection.CONFIDENTIALITY);
        assertTrue(p[0].isComplete() && p[1].isComplete());
        assertArrayEquals(p[0].sessionKey(), p[1].sessionKey());
        assertEquals(new Identity("WEFT", "Alice", false), p[1].identity());
        assertEquals(Protection.CONFIDENTIALITY, p[0].negotiatedProtection());
        assertEquals(Protection.CONFIDENTIALITY, p[1].negotiatedProtection());
        int flags = ((NtlmContext) p[1]).negotiatedFlags();
        assertTrue(NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_KEY_EXCH | NtlmFlags.NEGOTIATE_128
                | NtlmFlags.NEGOTIATE_EXTENDED_SESSIONSECURITY));
    }

    @Test
    void integrityDoesNotNegotiateSealing() {
        SecurityContext[] p = handshake(Protection.INTEGRITY);
        assertEquals(Protection.INTEGRITY, p[1].negotiatedProtection());
        assertThrows(SecurityContextException.class, () -> p[0].seal(List.of(Region.data(new byte[4]))));
    }

    @Test
    void signsAndSealsManyMessagesBothWays() {
        SecurityContext[] p = handshake(Protection.CONFIDENTIALITY);
        for (int i = 0; i < 5; i++) {
            for (int dir = 0; dir < 2; dir++) {
                SecurityContext from = p[dir];
                SecurityContext to = p[1 - dir];
                byte[] header = ("header" + i).getBytes(StandardCharsets.US_ASCII);
                byte[] body = ("body of message " + i + " going " + dir).getBytes(StandardCharsets.US_ASCII);
                byte[] plain = body.clone();
                List<Region> regions = List.of(new Region(header, 0, header.length, Region.Kind.READ_ONLY),
                        Region.data(body));
                byte[] sig = from.seal(regions);
                assertFalse(java.util.Arrays.equals(plain, body), "sealed in place");
                to.unseal(regions, sig);
                assertArrayEquals(plain, body);
                byte[] mic = from.sign(regions);
                to.verify(regions, mic);
            }
        }
    }

    @Test
    void wrongPasswordIsLogonDenied() {
        var e = assertThrows(SecurityContextException.class, () -> handshake(
                NtlmCredentials.password("WEFT", "alice", "wrong"), Protection.INTEGRITY, NtlmProvider.server(USERS)));
        assertEquals(Reason.LOGON_DENIED, e.reason());
        assertEquals(SecurityContextException.FAULT_ACCESS_DENIED, e.reason().rpcFaultStatus());
    }

    @Test
    void unknownUserIsLogonDenied() {
        var e = assertThrows(SecurityContextException.class, () -> handshake(
                NtlmCredentials.password("WEFT", "mallory", "Secret#1"), Protection.INTEGRITY,
                NtlmProvider.server(USERS)));
        assertEquals(Reason.LOGON_DENIED, e.reason());
    }

    @Test
    void ntHashCredentialsWork() {
        var creds = NtlmCredentials.hash("WEFT", "alice", NtlmCredentials.ntHash("Secret#1"));
        SecurityContext[] p = handshake(creds, Protection.INTEGRITY, NtlmProvider.server(USERS));
        assertArrayEquals(p[0].sessionKey(), p[1].sessionKey());
    }

    @Test
    void tamperedSignatureIsMessageAltered() {
        SecurityContext[] p = handshake(Protection.INTEGRITY);
        byte[] body = "stub".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = p[0].sign(List.of(Region.data(body)));
        sig[5] ^= 1;
        var e = assertThrows(SecurityContextException.class, () -> p[1].verify(List.of(Region.data(body)), sig));
        assertEquals(Reason.MESSAGE_ALTERED, e.reason());
    }

    @Test
    void tamperedSealedBodyIsMessageAltered() {
        SecurityContext[] p = handshake(Protection.CONFIDENTIALITY);
        byte[] body = "stub data here".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = p[0].seal(List.of(Region.data(body)));
        body[3] ^= 0x40;
        var e = assertThrows(SecurityContextException.class, () -> p[1].unseal(List.of(Region.data(body)), sig));
        assertEquals(Reason.MESSAGE_ALTERED, e.reason());
    }

    @Test
    void tamperedReadOnlyRegionIsDetectedBecauseNtlmV2SignsAllBuffers() {
        SecurityContext[] p = handshake(Protection.INTEGRITY);
        byte[] header = {1, 2, 3, 4};
        byte[] body = {5, 6, 7, 8};
        byte[] sig = p[0].sign(List.of(new Region(header, 0, 4, Region.Kind.READ_ONLY), Region.data(body)));
        header[0] = 9;
        assertThrows(SecurityContextException.class,
                () -> p[1].verify(List.of(new Region(header, 0, 4, Region.Kind.READ_ONLY), Region.data(body)), sig));
    }

    @Test
    void replayedMessageIsOutOfSequence() {
        SecurityContext[] p = handshake(Protection.INTEGRITY);
        byte[] body = "first".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = p[0].sign(List.of(Region.data(body)));
        p[1].verify(List.of(Region.data(body)), sig);
        var e = assertThrows(SecurityContextException.class, () -> p[1].verify(List.of(Region.data(body)), sig));
        assertEquals(Reason.OUT_OF_SEQUENCE, e.reason());
    }

    @Test
    void skippedMessageIsOutOfSequence() {
        SecurityContext[] p = handshake(Protection.INTEGRITY);
        byte[] body = {1};
        p[0].sign(List.of(Region.data(body))); // sequence 0, never delivered
        byte[] second = p[0].sign(List.of(Region.data(body)));
        var e = assertThrows(SecurityContextException.class, () -> p[1].verify(List.of(Region.data(body)), second));
        assertEquals(Reason.OUT_OF_SEQUENCE, e.reason());
    }

    @Test
    void micIsChecked() {
        SecurityContext c = NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", "Secret#1"))
                .newClientContext(Protection.INTEGRITY, null);
        SecurityContext s = NtlmProvider.server(USERS).newServerContext();
        byte[] challenge = s.step(c.step(new byte[0]).token()).token();
        byte[] auth = c.step(challenge).token();
        auth[NtlmMessages.MIC_OFFSET] ^= 1;
        var e = assertThrows(SecurityContextException.class, () -> s.step(auth));
        assertEquals(Reason.MESSAGE_ALTERED, e.reason());
    }

    @Test
    void anonymousIsRefusedByDefaultAndAcceptedWhenAllowed() {
        var anonymous = NtlmCredentials.anonymous();
        var e = assertThrows(SecurityContextException.class,
                () -> handshake(anonymous, Protection.AUTHENTICATION, NtlmProvider.server(USERS)));
        assertEquals(Reason.LOGON_DENIED, e.reason());
        SecurityContext[] p = handshake(anonymous, Protection.AUTHENTICATION,
                NtlmProvider.server(USERS, NtlmServerConfig.defaults().withAnonymous(true)));
        assertEquals(Identity.ANONYMOUS, p[1].identity());
        assertEquals(Protection.AUTHENTICATION, p[1].negotiatedProtection());
        assertThrows(SecurityContextException.class, () -> p[1].sign(List.of(Region.data(new byte[1]))));
        assertThrows(IllegalArgumentException.class,
                () -> NtlmProvider.client(anonymous).newClientContext(Protection.INTEGRITY, null));
    }

    @Test
    void staleTimestampIsRefused() {
        // The server's clock is two days ahead of the time it put in its own challenge: the response is too old.
        Clock start = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        Clock[] now = {start};
        Clock moving = new Clock() {
            public ZoneOffset getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId z) { return this; }
            public Instant instant() { return now[0].instant(); }
        };
        NtlmProvider server = NtlmProvider.server(USERS, NtlmServerConfig.defaults().withClock(moving));
        SecurityContext c = NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", "Secret#1"))
                .newClientContext(Protection.INTEGRITY, null);
        SecurityContext s = server.newServerContext();
        byte[] challenge = s.step(c.step(new byte[0]).token()).token();
        byte[] auth = c.step(challenge).token();
        now[0] = Clock.offset(start, Duration.ofDays(2));
        var e = assertThrows(SecurityContextException.class, () -> s.step(auth));
        assertEquals(Reason.LOGON_DENIED, e.reason());
    }

    @Test
    void completeContextRefusesMoreSteps() {
        SecurityContext[] p = handshake(Protection.INTEGRITY);
        assertThrows(IllegalStateException.class, () -> p[1].step(new byte[] {1}));
    }

    @Test
    void hostileTokensGiveTypedErrorsOnly() {
        Random random = new Random(7);
        // A real CHALLENGE and AUTHENTICATE to mutate, plus random garbage.
        SecurityContext c = NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", "Secret#1"))
                .newClientContext(Protection.INTEGRITY, null);
        SecurityContext s = NtlmProvider.server(USERS).newServerContext();
        byte[] negotiate = c.step(new byte[0]).token();
        byte[] challenge = s.step(negotiate).token();
        byte[] auth = c.step(challenge).token();
        for (int i = 0; i < 20_000; i++) {
            byte[] base = switch (i % 3) {
                case 0 -> negotiate;
                case 1 -> challenge;
                default -> auth;
            };
            byte[] m = java.util.Arrays.copyOf(base, random.nextInt(base.length + 8));
            for (int k = 0, n = 1 + random.nextInt(4); k < n && m.length > 0; k++) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            try {
                switch (i % 3) {
                    case 0 -> NtlmProvider.server(USERS).newServerContext().step(m);
                    case 1 -> {
                        SecurityContext cc = NtlmProvider.client(NtlmCredentials.password("W", "a", "b"))
                                .newClientContext(Protection.INTEGRITY, null);
                        cc.step(new byte[0]);
                        cc.step(m);
                    }
                    default -> {
                        SecurityContext ss = NtlmProvider.server(USERS).newServerContext();
                        ss.step(negotiate);
                        ss.step(m);
                    }
                }
            } catch (SecurityContextException expected) {
                // the only acceptable failure
            }
        }
    }
}
