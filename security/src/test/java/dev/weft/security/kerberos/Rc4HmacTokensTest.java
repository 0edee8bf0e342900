package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.security.Hex;
import dev.weft.security.Region;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4757 token layout and the MS-RPCE multi-buffer behaviour of {@link Rc4HmacTokens} (DCE style). */
class Rc4HmacTokensTest {

    static final byte[] KEY = Rc4Hmac.stringToKey("RpcTest-Passw0rd1".toCharArray());
    static final long CLIENT_SEQ = 0x12345678L, SERVER_SEQ = 0x0CAFEBABL;

    static Rc4HmacTokens client() {
        return new Rc4HmacTokens(KEY, true, CLIENT_SEQ, SERVER_SEQ);
    }

    static Rc4HmacTokens server() {
        return new Rc4HmacTokens(KEY, false, SERVER_SEQ, CLIENT_SEQ);
    }

    /** A PDU-shaped message: 24-byte header, 32-byte body, 8-byte sec_trailer. */
    static byte[] pdu() {
        byte[] b = new byte[64];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 7 + 1);
        return b;
    }

    static List<Region> regions(byte[] b, Region.Kind outside) {
        return List.of(new Region(b, 0, 24, outside), new Region(b, 24, 32, Region.Kind.DATA), new Region(b, 56, 8, outside));
    }

    @Test
    void tokensAreFramedWithTheKerberosOidAndHaveTheRfc4757Fields() {
        byte[] b = pdu();
        byte[] wrap = client().wrap(regions(b, Region.Kind.SIGN_ONLY));
        assertEquals(45, wrap.length);
        // [APPLICATION 0], length 43 (the token only: the data stays in the PDU), OID 1.2.840.113554.1.2.2
        assertEquals("602b06092a864886f712010202", Hex.of(Arrays.copyOf(wrap, 13)));
        assertEquals("0201" + "1100" + "1000" + "ffff", Hex.of(Arrays.copyOfRange(wrap, 13, 21)),
                "TOK_ID, SGN_ALG HMAC-MD5, SEAL_ALG RC4, filler");
        byte[] mic = client().getMic(regions(pdu(), Region.Kind.SIGN_ONLY));
        assertEquals(37, mic.length);
        assertEquals("602306092a864886f712010202" + "0101" + "1100" + "ffffffff", Hex.of(Arrays.copyOf(mic, 21)));
        assertEquals(45, client().wrapLength());
        assertEquals(37, client().micLength());
    }

    @Test
    void sealedDataIsEncryptedInPlaceAndSignOnlyRegionsAreNot() {
        byte[] b = pdu(), plain = b.clone();
        byte[] token = client().wrap(regions(b, Region.Kind.SIGN_ONLY));
        assertArrayEquals(Arrays.copyOf(plain, 24), Arrays.copyOf(b, 24), "the header is not sealed");
        assertArrayEquals(Arrays.copyOfRange(plain, 56, 64), Arrays.copyOfRange(b, 56, 64), "the sec_trailer is not sealed");
        assertFalse(Arrays.equals(Arrays.copyOfRange(plain, 24, 56), Arrays.copyOfRange(b, 24, 56)), "the body is");
        server().unwrap(regions(b, Region.Kind.SIGN_ONLY), token);
        assertArrayEquals(plain, b);
    }

    @Test
    void theChecksumCoversSignOnlyRegionsButNotReadOnlyOnes() {
        byte[] signed = pdu();
        byte[] token = client().wrap(regions(signed, Region.Kind.SIGN_ONLY));
        signed[3] ^= 1;                                           // a header bit changed on the way
        SecurityContextException e = assertThrows(SecurityContextException.class,
                () -> server().unwrap(regions(signed, Region.Kind.SIGN_ONLY), token));
        assertEquals(Reason.MESSAGE_ALTERED, e.reason());

        byte[] readOnly = pdu(), plain = readOnly.clone();
        byte[] token2 = client().wrap(regions(readOnly, Region.Kind.READ_ONLY));
        readOnly[3] ^= 1;
        server().unwrap(regions(readOnly, Region.Kind.READ_ONLY), token2);
        assertArrayEquals(Arrays.copyOfRange(plain, 24, 56), Arrays.copyOfRange(readOnly, 24, 56));
    }

    @Test
    void micsVerifyInOrderAndNotTwice() {
        Rc4HmacTokens c = client(), s = server();
        byte[] m1 = c.getMic(regions(pdu(), Region.Kind.SIGN_ONLY));
        byte[] m2 = c.getMic(regions(pdu(), Region.Kind.SIGN_ONLY));
        SecurityContextException skipped = assertThrows(SecurityContextException.class,
                () -> s.verifyMic(regions(pdu(), Region.Kind.SIGN_ONLY), m2));
        assertEquals(Reason.OUT_OF_SEQUENCE, skipped.reason());
        s.verifyMic(regions(pdu(), Region.Kind.SIGN_ONLY), m1);
        s.verifyMic(regions(pdu(), Region.Kind.SIGN_ONLY), m2);
        SecurityContextException replayed = assertThrows(SecurityContextException.class,
                () -> s.verifyMic(regions(pdu(), Region.Kind.SIGN_ONLY), m2));
        assertEquals(Reason.OUT_OF_SEQUENCE, replayed.reason());
        byte[] other = pdu();
        other[30] ^= 1;
        assertThrows(SecurityContextException.class, () -> server().verifyMic(regions(other, Region.Kind.SIGN_ONLY),
                client().getMic(regions(pdu(), Region.Kind.SIGN_ONLY))));
    }

    @Test
    void aTokenReflectedBackToItsSenderIsRefused() {
        // The direction bytes of SND_SEQ say who sent it: an initiator does not accept its own tokens.
        Rc4HmacTokens c = client();
        Rc4HmacTokens mirror = new Rc4HmacTokens(KEY, true, CLIENT_SEQ, CLIENT_SEQ);
        byte[] b = pdu();
        byte[] token = c.wrap(regions(b, Region.Kind.SIGN_ONLY));
        SecurityContextException e = assertThrows(SecurityContextException.class,
                () -> mirror.unwrap(regions(b, Region.Kind.SIGN_ONLY), token));
        assertEquals(Reason.MESSAGE_ALTERED, e.reason());
    }

    @Test
    void malformedTokensAreTypedErrors() {
        Rc4HmacTokens s = server();
        byte[] b = pdu();
        byte[] token = client().wrap(regions(b, Region.Kind.SIGN_ONLY));
        for (byte[] bad : List.of(new byte[0], Arrays.copyOf(token, 44), Arrays.copyOf(token, 46),
                client().getMic(regions(pdu(), Region.Kind.SIGN_ONLY)))) {
            SecurityContextException e = assertThrows(SecurityContextException.class,
                    () -> s.unwrap(regions(b.clone(), Region.Kind.SIGN_ONLY), bad));
            assertEquals(Reason.MESSAGE_ALTERED, e.reason());
        }
        byte[] unsealed = token.clone();
        unsealed[17] = (byte) 0xFF;                               // SEAL_ALG ffff: integrity only
        unsealed[18] = (byte) 0xFF;
        assertThrows(SecurityContextException.class, () -> s.unwrap(regions(b.clone(), Region.Kind.SIGN_ONLY), unsealed));
        byte[] body = token.clone();
        body[40] ^= 1;                                            // the confounder
        assertThrows(SecurityContextException.class, () -> s.unwrap(regions(b.clone(), Region.Kind.SIGN_ONLY), body));
    }
}
