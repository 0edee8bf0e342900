package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.security.Hex;
import dev.weft.security.Identity;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Sid;
import dev.weft.security.internal.Der;
import dev.weft.security.internal.Le;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PAC (MS-PAC): the published example of MS-PAC section 3 decodes to what the specification says it holds, and
 * PACs made and signed here go through the acceptor, which exposes the SIDs and refuses a PAC that was changed,
 * signed with another type, names another client, is malformed, or comes twice.
 */
class PacTest {

    static final String DOMAIN = "S-1-5-21-397955417-626881126-188441444";

    /** MS-PAC section 3: the annotated dump, from the AuthorizationData inside AD-IF-RELEVANT. */
    static byte[] msExample() throws IOException {
        try (InputStream in = PacTest.class.getResourceAsStream("ms-pac-example.hex")) {
            return Hex.bytes(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    /** The example's logon information buffer: PAC_INFO_BUFFER 0 says type 1, 0x4b0 bytes at offset 0x48. */
    static byte[] msLogonInfo() throws IOException {
        byte[] pac = Pac.pacData(Der.Reader.of(msExample()).next(), 0);
        assertEquals(4, Le.u32(pac, 0), "cBuffers");
        assertEquals(1, Le.u32(pac, 8), "ulType logon information");
        assertEquals(0x4b0, Le.u32(pac, 12));
        assertEquals(0x48, Le.u64(pac, 16));
        return Arrays.copyOfRange(pac, 0x48, 0x48 + 0x4b0);
    }

    @Test
    void theSpecificationsExampleDecodes() throws IOException {
        KerbValidationInfo info = KerbValidationInfo.decode(msLogonInfo());
        assertEquals("lzhu", info.effectiveName());
        assertEquals("NTDEV", info.logonDomainName());
        assertEquals(DOMAIN, info.logonDomainId().toString());
        assertEquals(2914711, info.userId());
        assertEquals(513, info.primaryGroupId());
        assertEquals(26, info.groupIds().size());
        assertEquals(3392609L, info.groupIds().get(0));
        assertTrue(info.groupIds().contains(513L));
        assertEquals(0x20, info.userFlags(), "LOGON_EXTRA_SIDS");
        assertEquals(13, info.extraSids().size());
        assertEquals("S-1-5-21-773533881-1816936887-355810188-513", info.extraSids().get(0).toString());
        assertEquals(DOMAIN + "-3101812", info.extraSids().get(1).toString());
        assertEquals(DOMAIN + "-3038983", info.extraSids().get(12).toString());
        assertNull(info.resourceGroupDomainSid());

        assertEquals(DOMAIN + "-2914711", info.userSid().toString());
        List<Sid> groups = info.groupSids();
        assertEquals(Sid.parse(DOMAIN + "-513"), groups.get(0), "the primary group first");
        assertEquals(1 + 25 + 13, groups.size(), "primary group, the 25 other groups, the extra SIDs, once each");
        assertTrue(groups.contains(Sid.parse("S-1-5-21-773533881-1816936887-355810188-513")));
    }

    @Test
    void theExampleIsRefusedWithoutItsKey() throws IOException {
        // Its server signature is HMAC-MD5 under a key the specification does not give.
        byte[] pac = Pac.pacData(Der.Reader.of(msExample()).next(), 0);
        SecurityContextException e = assertThrows(SecurityContextException.class,
                () -> Pac.verify(pac, Rc4Hmac.ETYPE, new byte[16], "lzhu"));
        assertEquals(Reason.LOGON_DENIED, e.reason());
    }

    // ------------------------------------------------------------------ PACs made here

    /** A PAC: logon information, client information, server and KDC signatures, the server one made with the key. */
    static byte[] signedPac(int keyType, byte[] key, int signatureType, String clientName, byte[] logonInfo) {
        EncryptionType type = EncryptionType.of(keyType);
        byte[] name = clientName.getBytes(StandardCharsets.UTF_16LE);
        byte[] clientInfo = new byte[10 + name.length];
        Le.put64(clientInfo, 0, 0x01c66a650ed94900L);
        Le.put16(clientInfo, 8, name.length);
        System.arraycopy(name, 0, clientInfo, 10, name.length);
        byte[] server = new byte[4 + type.checksumLength()];
        Le.put32(server, 0, signatureType);
        byte[] kdc = new byte[4 + 16];
        Le.put32(kdc, 0, Rc4Hmac.CHECKSUM_TYPE);
        byte[][] buffers = {logonInfo, clientInfo, server, kdc};
        int[] types = {Pac.LOGON_INFO, Pac.CLIENT_INFO, Pac.SERVER_CHECKSUM, Pac.PRIVSVR_CHECKSUM};
        int[] offsets = new int[4];
        int at = 8 + 16 * buffers.length;
        for (int i = 0; i < buffers.length; i++) {
            offsets[i] = at;
            at = (at + buffers[i].length + 7) & ~7;
        }
        byte[] pac = new byte[at];
        Le.put32(pac, 0, buffers.length);
        for (int i = 0; i < buffers.length; i++) {
            Le.put32(pac, 8 + 16 * i, types[i]);
            Le.put32(pac, 12 + 16 * i, buffers[i].length);
            Le.put64(pac, 16 + 16 * i, offsets[i]);
            System.arraycopy(buffers[i], 0, pac, offsets[i], buffers[i].length);
        }
        byte[] signature = type.checksum(key, Pac.USAGE_PAC_SIGNATURE, pac);
        System.arraycopy(signature, 0, pac, offsets[2] + 4, signature.length);
        Arrays.fill(pac, offsets[3] + 4, offsets[3] + 20, (byte) 0x5A);          // a KDC signature, never zero
        return pac;
    }

    static byte[] adEntry(int type, byte[] data) {
        return Der.constructed(Der.SEQUENCE, Der.tlv(Der.context(0), ApMessages.integer(type)),
                Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, data)));
    }

    /** AuthorizationData { AD-IF-RELEVANT { AD-WIN2K-PAC pac } } for each PAC given. */
    static byte[] authorizationData(byte[]... pacs) {
        byte[][] entries = new byte[pacs.length][];
        for (int i = 0; i < pacs.length; i++) {
            entries[i] = adEntry(Pac.AD_IF_RELEVANT, Der.constructed(Der.SEQUENCE, adEntry(Pac.AD_WIN2K_PAC, pacs[i])));
        }
        return Der.constructed(Der.SEQUENCE, entries);
    }

    static final byte[] AES_KEY = KerberosAcceptorTest.SERVICE_KEY;
    static final byte[] RC4_KEY = Rc4Hmac.stringToKey("Service-Passw0rd1".toCharArray());

    static ServiceKeys keys() {
        return new ServiceKeys("host/weft.test@TEST", List.of(new ServiceKeys.Key(AesCts.AES256, 3, AES_KEY),
                new ServiceKeys.Key(Rc4Hmac.ETYPE, 3, RC4_KEY)));
    }

    /** Runs the acceptor over a DCE-style AP-REQ whose ticket, encrypted with the service key of keyType, carries ad. */
    static Identity accept(int keyType, byte[] ad) {
        byte[] serviceKey = keyType == Rc4Hmac.ETYPE ? RC4_KEY : AES_KEY;
        byte[] sessionKey = EncryptionType.of(keyType).randomKey();
        byte[] ticket = HandMade.ticket(keyType, serviceKey, 3, keyType, sessionKey, "alice", Instant.now().plusSeconds(3600), ad);
        byte[] apReq = HandMade.apReq(ticket, keyType, sessionKey,
                HandMade.authenticator("alice", Instant.now(), KerberosAcceptorTest.DCE_SEALING, 5, 0, null));
        KerberosServerContext server = new KerberosServerContext(keys());
        ApMessages.KeyAndSeq acceptor = ApMessages.apRep(server.step(apReq).token(), keyType, sessionKey);
        server.step(ApMessages.dceStyleApRep(new ApMessages.DceApReq(apReq, acceptor), acceptor, keyType, sessionKey));
        return server.identity();
    }

    static byte[] pac(int keyType) throws IOException {
        EncryptionType type = EncryptionType.of(keyType);
        return signedPac(keyType, keyType == Rc4Hmac.ETYPE ? RC4_KEY : AES_KEY, type.checksumType, "alice", msLogonInfo());
    }

    @ParameterizedTest(name = "service key of type {0}")
    @ValueSource(ints = {18, 23})
    void theAcceptorExposesTheSidsOfAVerifiedPac(int keyType) throws IOException {
        Identity caller = accept(keyType, authorizationData(pac(keyType)));
        assertEquals("alice", caller.user(), "the ticket's client name");
        assertEquals(Sid.parse(DOMAIN + "-2914711"), caller.userSid());
        assertEquals(Sid.parse(DOMAIN + "-513"), caller.groupSids().get(0));
        assertTrue(caller.isMemberOf(Sid.parse("S-1-5-21-773533881-1816936887-355810188-513")));
    }

    @Test
    void withoutAPacThereAreNoSids() {
        Identity caller = accept(18, null);
        assertNull(caller.userSid());
        assertTrue(caller.groupSids().isEmpty());
    }

    static void assertRefused(Reason reason, byte[] ad, int keyType) {
        SecurityContextException e = assertThrows(SecurityContextException.class, () -> accept(keyType, ad));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void aChangedPacIsRefused() throws IOException {
        byte[] pac = pac(18);
        pac[0x48 + 0x100] ^= 1;                                   // somewhere in the logon information
        assertRefused(Reason.LOGON_DENIED, authorizationData(pac), 18);
    }

    @Test
    void aSignatureOfAnotherTypeThanTheKeysIsRefused() throws IOException {
        byte[] pac = signedPac(18, AES_KEY, 15, "alice", msLogonInfo());   // AES128's checksum type with an AES256 key
        assertRefused(Reason.LOGON_DENIED, authorizationData(pac), 18);
    }

    @Test
    void aPacForAnotherClientIsRefused() throws IOException {
        byte[] pac = signedPac(18, AES_KEY, 16, "mallory", msLogonInfo());
        assertRefused(Reason.LOGON_DENIED, authorizationData(pac), 18);
    }

    @Test
    void twoPacsAreRefused() throws IOException {
        assertRefused(Reason.INVALID_TOKEN, authorizationData(pac(18), pac(18)), 18);
    }

    @Test
    void malformedPacsAreTypedErrors() throws IOException {
        byte[] good = pac(18);
        byte[] outside = good.clone();
        Le.put64(outside, 16, good.length - 8);                   // the logon information runs past the end
        assertRefused(Reason.INVALID_TOKEN, authorizationData(outside), 18);
        byte[] many = good.clone();
        Le.put32(many, 0, 100_000);                               // cBuffers far beyond the PAC
        assertRefused(Reason.INVALID_TOKEN, authorizationData(many), 18);
        assertRefused(Reason.INVALID_TOKEN, authorizationData(Arrays.copyOf(good, 7)), 18);

        // A logon information whose group count lies: a correct signature over bad NDR is still refused, typed.
        byte[] logon = msLogonInfo();
        Le.put32(logon, 16 + 4 + 48 + 48 + 2 + 2 + 4 + 4, 1_000_000);    // GroupCount, after the counts and RIDs
        assertRefused(Reason.INVALID_TOKEN, authorizationData(signedPac(18, AES_KEY, 16, "alice", logon)), 18);
        byte[] truncated = Arrays.copyOf(msLogonInfo(), 200);
        Le.put32(truncated, 8, 200 - 16);                         // ObjectBufferLength consistent with the cut
        assertRefused(Reason.INVALID_TOKEN, authorizationData(signedPac(18, AES_KEY, 16, "alice", truncated)), 18);
    }
}
