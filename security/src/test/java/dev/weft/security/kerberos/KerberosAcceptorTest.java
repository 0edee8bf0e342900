package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContextException;
import dev.weft.security.Step;
import dev.weft.security.internal.Der;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acceptor against hand-made tickets: what a KDC and an initiator would send, encrypted with a known service
 * key, so that every check of RFC 4120 3.2.3 can be made to fail on purpose.
 */
class KerberosAcceptorTest {

    static final byte[] SERVICE_KEY = HexFormat.of().parseHex("5a5b5c5d5e5f606162636465666768696a6b6c6d6e6f70717273747576777879");
    static final byte[] SESSION_KEY = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    static final int AES256 = AesCts.AES256;
    static ServiceKeys keys() {
        return new ServiceKeys("host/weft.test@TEST", List.of(new ServiceKeys.Key(AES256, 3, SERVICE_KEY)));
    }

    static byte[] ticket(String client, Instant end, byte[] serviceKey) {
        return HandMade.ticket(AES256, serviceKey, 3, AES256, SESSION_KEY, client, end, null);
    }

    static byte[] authenticator(String client, Instant ctime, int flags, int seq) {
        return HandMade.authenticator(client, ctime, flags, seq, 0, null);
    }

    static byte[] apReq(byte[] ticket, byte[] authenticator) {
        return HandMade.apReq(ticket, AES256, SESSION_KEY, authenticator);
    }

    static final int DCE_SEALING = 0x3E | ApMessages.GSS_C_DCE_STYLE;

    static byte[] goodApReq(int flags) {
        return apReq(ticket("alice", Instant.now().plusSeconds(3600), SERVICE_KEY),
                authenticator("alice", Instant.now(), flags, 1000));
    }

    /** The three DCE-style legs; returns the established acceptor and the initiator's view of the keys. */
    static KerberosServerContext establish(ServiceKeys keys, byte[] apReq) {
        KerberosServerContext server = new KerberosServerContext(keys);
        Step first = server.step(apReq);
        assertInstanceOf(Step.Continue.class, first, "DCE style wants a third leg");
        assertEquals(0x6F, first.token()[0] & 0xFF, "an unframed AP-REP");
        ApMessages.KeyAndSeq acceptor = ApMessages.apRep(first.token(), AES256, SESSION_KEY);
        ApMessages.DceApReq sent = new ApMessages.DceApReq(apReq, acceptor);
        Step last = server.step(ApMessages.dceStyleApRep(sent, acceptor, AES256, SESSION_KEY));
        assertInstanceOf(Step.Complete.class, last);
        assertTrue(server.isComplete());
        return server;
    }

    @Test
    void aDceStyleExchangeEstablishesASealingContextKeyedWithTheAcceptorSubkey() {
        byte[] apReq = goodApReq(DCE_SEALING);
        KerberosServerContext server = new KerberosServerContext(keys());
        byte[] apRep = server.step(apReq).token();
        ApMessages.KeyAndSeq acceptor = ApMessages.apRep(apRep, AES256, SESSION_KEY);
        assertEquals(32, acceptor.subkey().length, "a fresh AES256 acceptor subkey");
        ApMessages.DceApReq sent = new ApMessages.DceApReq(apReq, acceptor);
        server.step(ApMessages.dceStyleApRep(sent, acceptor, AES256, SESSION_KEY));

        assertEquals("TEST\\alice", server.identity().toString());
        assertEquals(Protection.CONFIDENTIALITY, server.negotiatedProtection());
        assertEquals(76, server.signatureLength(true), "DCE style: EC of one block");
        assertEquals(28, server.signatureLength(false));

        // The initiator's side of the same context seals; the acceptor opens it.
        Cfx initiator = new Cfx(acceptor.subkey(), true, true, true, 1000, acceptor.seq());
        byte[] header = "header--".getBytes(), data = "the stub data, sixteen aligned..".getBytes();
        byte[] plain = data.clone();
        List<Region> regions = List.of(new Region(header, 0, header.length, Region.Kind.SIGN_ONLY), Region.data(data));
        byte[] token = initiator.wrap(regions);
        assertFalse(java.util.Arrays.equals(plain, data), "encrypted in place");
        server.unseal(regions, token);
        assertArrayEquals(plain, data);
    }

    @Test
    void aReplayedAuthenticatorIsRefused() {
        ServiceKeys keys = keys();
        byte[] apReq = goodApReq(DCE_SEALING);
        establish(keys, apReq);
        SecurityContextException e = assertThrows(SecurityContextException.class, () -> new KerberosServerContext(keys).step(apReq));
        assertTrue(e.getMessage().contains("KRB_AP_ERR_REPEAT"), e.getMessage());
    }

    @Test
    void aTicketForAnotherKeyIsRefused() {
        byte[] otherKey = SESSION_KEY.clone();
        byte[] apReq = apReq(ticket("alice", Instant.now().plusSeconds(3600), otherKey),
                authenticator("alice", Instant.now(), DCE_SEALING, 1));
        assertThrows(SecurityContextException.class, () -> new KerberosServerContext(keys()).step(apReq));
    }

    @Test
    void anExpiredTicketIsRefused() {
        byte[] apReq = apReq(ticket("alice", Instant.now().minusSeconds(3600), SERVICE_KEY),
                authenticator("alice", Instant.now(), DCE_SEALING, 1));
        SecurityContextException e = assertThrows(SecurityContextException.class, () -> new KerberosServerContext(keys()).step(apReq));
        assertTrue(e.getMessage().contains("TKT_EXPIRED"), e.getMessage());
    }

    @Test
    void anAuthenticatorForAnotherClientIsRefused() {
        byte[] apReq = apReq(ticket("alice", Instant.now().plusSeconds(3600), SERVICE_KEY),
                authenticator("mallory", Instant.now(), DCE_SEALING, 1));
        SecurityContextException e = assertThrows(SecurityContextException.class, () -> new KerberosServerContext(keys()).step(apReq));
        assertTrue(e.getMessage().contains("BADMATCH"), e.getMessage());
    }

    @Test
    void anAuthenticatorOutsideTheSkewIsRefused() {
        byte[] apReq = apReq(ticket("alice", Instant.now().plusSeconds(3600), SERVICE_KEY),
                authenticator("alice", Instant.now().minusSeconds(3600), DCE_SEALING, 1));
        SecurityContextException e = assertThrows(SecurityContextException.class, () -> new KerberosServerContext(keys()).step(apReq));
        assertTrue(e.getMessage().contains("SKEW"), e.getMessage());
    }

    @Test
    void aThirdLegThatDoesNotEchoTheSequenceNumberIsRefused() {
        byte[] apReq = goodApReq(DCE_SEALING);
        KerberosServerContext server = new KerberosServerContext(keys());
        ApMessages.KeyAndSeq acceptor = ApMessages.apRep(server.step(apReq).token(), AES256, SESSION_KEY);
        var wrong = new ApMessages.KeyAndSeq(AES256, null, acceptor.seq() + 1,
                java.math.BigInteger.valueOf(acceptor.seq() + 1).toByteArray(), acceptor.ctime(), acceptor.cusec());
        byte[] third = ApMessages.dceStyleApRep(new ApMessages.DceApReq(apReq, acceptor), wrong,
                AES256, SESSION_KEY);
        assertThrows(SecurityContextException.class, () -> server.step(third));
        assertFalse(server.isComplete());
    }

    @Test
    void withoutDceStyleTheAcceptorCompletesOnTheFirstTokenWithAFramedApRep() {
        KerberosServerContext server = new KerberosServerContext(keys());
        Step step = server.step(ApMessages.frame(goodApReq(0x3E), 0x0100));
        assertInstanceOf(Step.Complete.class, step);
        assertEquals(0x60, step.token()[0] & 0xFF, "RFC 4121 framing");
        assertEquals(60, server.signatureLength(true), "no DCE style: EC 0");
    }
    /** Fuzz findings (fuzz/src/test/resources/findings/fixed/krb-*): these escaped as JDK exceptions before. */
    @Test
    void malformedFieldsBehindTheDecryptionAreTypedErrors() {
        Instant now = Instant.now();
        // a KerberosTime with a 13th month
        byte[] badTime = Der.tlv(0x18, "20241301000000Z".getBytes(StandardCharsets.US_ASCII));
        byte[] ticket = ticketWith(SESSION_KEY, badTime);
        assertTyped(apReq(ticket, authenticator("alice", now, DCE_SEALING, 1)), "KerberosTime");
        // a session key too short for its type
        assertTyped(apReq(ticketWith(java.util.Arrays.copyOf(SESSION_KEY, 15), HandMade.time(now.plusSeconds(3600))),
                authenticator("alice", now, DCE_SEALING, 1)), "session key of 15 bytes");
        // an Authenticator without its time
        byte[] noTime = Der.tlv(Der.application(2), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {5})),
                Der.tlv(Der.context(1), HandMade.gs("TEST")),
                Der.tlv(Der.context(2), HandMade.name(1, "alice")),
                Der.tlv(Der.context(3), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {0, (byte) 0x80, 0x03})),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, new byte[24]))))));
        assertTyped(apReq(ticketWith(SESSION_KEY, HandMade.time(now.plusSeconds(3600))), noTime), "without its time");
    }

    private static void assertTyped(byte[] apReq, String message) {
        SecurityContextException e = assertThrows(SecurityContextException.class,
                () -> new KerberosServerContext(keys()).step(apReq));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** A ticket for alice whose EncTicketPart holds {@code sessionKey} (as AES256) and end time {@code end}. */
    private static byte[] ticketWith(byte[] sessionKey, byte[] end) {
        byte[] encTicketPart = Der.tlv(Der.application(3), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(Der.BIT_STRING, new byte[] {0, 0, 0, 0, 0})),
                Der.tlv(Der.context(1), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {AES256})),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, sessionKey)))),
                Der.tlv(Der.context(2), HandMade.gs("TEST")),
                Der.tlv(Der.context(3), HandMade.name(1, "alice")),
                Der.tlv(Der.context(5), HandMade.time(Instant.now().minusSeconds(60))),
                Der.tlv(Der.context(7), end)));
        byte[] cipher = AesCts.encrypt(SERVICE_KEY, ApMessages.USAGE_TICKET, AesCts.confounder(), encTicketPart);
        return Der.tlv(Der.application(1), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {5})),
                Der.tlv(Der.context(1), HandMade.gs("TEST")),
                Der.tlv(Der.context(2), HandMade.name(2, "host", "weft.test")),
                Der.tlv(Der.context(3), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {AES256})),
                        Der.tlv(Der.context(1), Der.tlv(0x02, new byte[] {3})),
                        Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, cipher))))));
    }

    @Test
    void anRc4TicketGivesAnRfc4757ContextKeyedWithTheInitiatorsSubkey() {
        byte[] serviceKey = Rc4Hmac.stringToKey("WeftRc4-Passw0rd1".toCharArray());
        byte[] sessionKey = HexFormat.of().parseHex("101112131415161718191a1b1c1d1e1f");
        byte[] subkey = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        ServiceKeys keys = new ServiceKeys("host/weft.test@TEST", List.of(new ServiceKeys.Key(AES256, 3, SERVICE_KEY),
                new ServiceKeys.Key(Rc4Hmac.ETYPE, 3, serviceKey)));
        byte[] apReq = HandMade.apReq(HandMade.ticket(Rc4Hmac.ETYPE, serviceKey, 3, Rc4Hmac.ETYPE, sessionKey, "alice",
                Instant.now().plusSeconds(3600), null), Rc4Hmac.ETYPE, sessionKey,
                HandMade.authenticator("alice", Instant.now(), DCE_SEALING, 77, Rc4Hmac.ETYPE, subkey));
        KerberosServerContext server = new KerberosServerContext(keys);
        ApMessages.KeyAndSeq acceptor = ApMessages.apRep(server.step(apReq).token(), Rc4Hmac.ETYPE, sessionKey);
        assertEquals(Rc4Hmac.ETYPE, acceptor.etype());
        assertArrayEquals(subkey, acceptor.subkey(), "the initiator's subkey comes back as the acceptor's, as Windows does");
        server.step(ApMessages.dceStyleApRep(new ApMessages.DceApReq(apReq, acceptor), acceptor, Rc4Hmac.ETYPE, sessionKey));

        assertEquals(Rc4Hmac.ETYPE, server.keyType());
        assertEquals(45, server.signatureLength(true), "an RFC 4757 wrap token");
        assertEquals(37, server.signatureLength(false), "an RFC 4757 MIC token");
        Rc4HmacTokens initiator = new Rc4HmacTokens(subkey, true, 77, acceptor.seq());
        byte[] header = "header--".getBytes(), data = "the stub data, sixteen aligned..".getBytes();
        byte[] plain = data.clone();
        List<Region> regions = List.of(new Region(header, 0, header.length, Region.Kind.SIGN_ONLY), Region.data(data));
        byte[] token = initiator.wrap(regions);
        server.unseal(regions, token);
        assertArrayEquals(plain, data);
        byte[] answer = server.seal(regions);
        initiator.unwrap(regions, answer);
        assertArrayEquals(plain, data);
    }

    @Test
    void aSessionKeyOfAnUnimplementedTypeIsRefusedAsUnsupported() {
        byte[] desTicket = HandMade.ticket(AES256, SERVICE_KEY, 3, 3, new byte[8], "alice", Instant.now().plusSeconds(3600), null);
        byte[] apReq = apReq(desTicket, authenticator("alice", Instant.now(), DCE_SEALING, 1));
        SecurityContextException e = assertThrows(SecurityContextException.class, () -> new KerberosServerContext(keys()).step(apReq));
        assertEquals(SecurityContextException.Reason.UNSUPPORTED, e.reason(), e.getMessage());
    }
}
