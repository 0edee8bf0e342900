package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.security.Hex;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.internal.Rc4;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RC4-HMAC (RFC 4757) from published values: the string-to-key is the NT hash (MS-NLMP 4.2.2.1.2), the HMAC-MD5
 * under every key derivation is RFC 2202's, and the encryption of section 4 is restated from those primitives.
 * RFC 4757 publishes no vectors of its own; {@link Rc4HmacAgainstJgssTest} and the interop tests check the rest
 * against the JDK's and Samba's implementations.
 */
class Rc4HmacKnownAnswerTest {

    @Test
    void theKeyIsTheNtHashOfThePassword() {
        // MS-NLMP 4.2.2.1.2: NTOWFv1("Password").
        assertEquals("a4f49c406510bdcab6824ee7c30fd852", Hex.of(Rc4Hmac.stringToKey("Password".toCharArray())));
    }

    @ParameterizedTest(name = "RFC 2202 HMAC-MD5 case {index}")
    @CsvSource({
            "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, 9294727a3638bb1c13f48ef8158bfc9d",
            "4a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f, 750c783e6ab0b503eaa86e310a5db738"})
    void hmacMd5(String key, String data, String mac) {
        assertEquals(mac, Hex.of(Rc4Hmac.hmacMd5(Hex.bytes(key), Hex.bytes(data))));
    }

    @Test
    void encryptionIsChecksumThenRc4OfConfounderAndPlaintextUnderUsageKeys() {
        byte[] key = Rc4Hmac.stringToKey("Password".toCharArray());
        byte[] confounder = Hex.bytes("0102030405060708");
        byte[] plain = "an Authenticator".getBytes(StandardCharsets.US_ASCII);
        byte[] out = Rc4Hmac.encrypt(key, ApMessages.USAGE_AP_REQ_AUTHENTICATOR, confounder, plain);

        // RFC 4757 section 4, step by step: K1 = HMAC(K, usage LE32), checksum = HMAC(K1, conf | plain),
        // K3 = HMAC(K1, checksum), data = RC4(K3, conf | plain).
        byte[] k1 = Rc4Hmac.hmacMd5(key, new byte[] {11, 0, 0, 0});
        byte[] confPlain = new byte[8 + plain.length];
        System.arraycopy(confounder, 0, confPlain, 0, 8);
        System.arraycopy(plain, 0, confPlain, 8, plain.length);
        byte[] checksum = Rc4Hmac.hmacMd5(k1, confPlain);
        byte[] expected = new byte[16 + confPlain.length];
        System.arraycopy(checksum, 0, expected, 0, 16);
        System.arraycopy(Rc4.once(Rc4Hmac.hmacMd5(k1, checksum), confPlain), 0, expected, 16, confPlain.length);
        assertArrayEquals(expected, out);

        assertArrayEquals(plain, Rc4Hmac.decrypt(key, ApMessages.USAGE_AP_REQ_AUTHENTICATOR, out));
        SecurityContextException wrongUsage = assertThrows(SecurityContextException.class,
                () -> Rc4Hmac.decrypt(key, ApMessages.USAGE_AP_REP_ENCPART, out));
        assertEquals(Reason.MESSAGE_ALTERED, wrongUsage.reason());
        out[out.length - 1] ^= 1;
        assertThrows(SecurityContextException.class, () -> Rc4Hmac.decrypt(key, ApMessages.USAGE_AP_REQ_AUTHENTICATOR, out));
        assertThrows(SecurityContextException.class, () -> Rc4Hmac.decrypt(key, 11, new byte[23]), "shorter than checksum and confounder");
    }

    @Test
    void windowsNumbersTheAsRepEncryptedPartEight() {
        assertEquals(8, Rc4Hmac.msUsage(3));
        for (int usage : new int[] {1, 2, 11, 12, 13, 15, 17}) assertEquals(usage, Rc4Hmac.msUsage(usage));
        byte[] key = Rc4Hmac.stringToKey("Password".toCharArray());
        byte[] conf = new byte[8];
        assertArrayEquals(Rc4Hmac.encrypt(key, 8, conf, new byte[4]), Rc4Hmac.encrypt(key, 3, conf, new byte[4]));
    }

    @Test
    void theChecksumIsHmacOfTheSignatureKeyOverMd5OfUsageAndData() throws Exception {
        byte[] key = Rc4Hmac.stringToKey("Password".toCharArray());
        byte[] data = "a PAC".getBytes(StandardCharsets.US_ASCII);
        var md5 = java.security.MessageDigest.getInstance("MD5");
        md5.update(new byte[] {17, 0, 0, 0});
        byte[] inner = md5.digest(data);
        byte[] ksign = Rc4Hmac.hmacMd5(key, "signaturekey\0".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(Rc4Hmac.hmacMd5(ksign, inner), Rc4Hmac.checksum(key, 17, data));
        assertEquals(-138, EncryptionType.RC4_HMAC.checksumType);
        assertArrayEquals(Rc4Hmac.checksum(key, 17, data), EncryptionType.RC4_HMAC.checksum(key, 17, data));
    }

    @Test
    void unsupportedTypesAreTyped() {
        SecurityContextException des = assertThrows(SecurityContextException.class, () -> EncryptionType.of(3));
        assertEquals(Reason.UNSUPPORTED, des.reason());
        assertThrows(SecurityContextException.class, () -> EncryptionType.RC4_HMAC.decrypt(new byte[32], 2, new byte[40]),
                "an AES-sized key for RC4");
    }
}
