package dev.weft.interfaces.samr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.interfaces.samr.Samr.SamprEncryptedPasswordAes;
import dev.weft.interfaces.samr.Samr.SamprEncryptedUserPassword;
import dev.weft.interfaces.samr.Samr.SamprEncryptedUserPasswordNew;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known answers for {@link SamrPasswords}. MS-SAMR has no worked example with bytes for these forms, so the expected
 * values were computed with an independent implementation, Samba's ({@code samba.crypto.arcfour_crypt_blob},
 * {@code des_crypt_blob_16}, {@code md4_hash_blob}, {@code sha512_pbkdf2}, {@code aead_aes_256_cbc_hmac_sha512_blob}
 * from python3-samba 4.17), on the same inputs; the AES forms were computed a second time with Python's hashlib and
 * hmac and the cryptography package's AES-CBC and PKCS #7 padding, with the same result. The NT hash of "Password"
 * is MS-NLMP 4.2.2.1.2's. Samba's acceptance of what the helper makes is checked against the DC in
 * {@code SamrWriteAgainstSambaTest} and {@code SamrAesAgainstSambaTest}.
 */
class SamrPasswordsTest {
    static final HexFormat HEX = HexFormat.of();
    /** Filler bytes 00 01 02 ... and key bytes 00 .. 0f: inputs anyone can reproduce. */
    static final byte[] FILLER = new byte[512], KEY = new byte[16], SALT = new byte[16];

    static {
        for (int i = 0; i < FILLER.length; i++) FILLER[i] = (byte) i;
        for (int i = 0; i < 16; i++) {
            KEY[i] = (byte) i;
            SALT[i] = (byte) (0xa0 + i);
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void ntHashIsMsNlmpsExample() {
        assertEquals("a4f49c406510bdcab6824ee7c30fd852", HEX.formatHex(SamrPasswords.ntHash("Password")));
    }

    /** 2.2.6.21 / 3.2.2.1: the whole 516-byte RC4 output, checked through its SHA-256, plus its first and last bytes. */
    @Test
    void userPasswordBufferMatchesSambasRc4() throws Exception {
        SamprEncryptedUserPassword e = SamrPasswords.encryptUserPassword("Weft-Pw1!", KEY, FILLER);
        assertEquals(516, e.buffer().length);
        assertEquals("e99d42fa43e71fcb0ed29dcd02d02440", HEX.formatHex(e.buffer(), 0, 16));
        assertEquals("e7a7d274", HEX.formatHex(e.buffer(), 512, 516));
        assertEquals("b05272bc8a4f86b33e9f2965cf789a7fb877178637429d002a1805ed4ce3aa15", sha256(e.buffer()));
        assertEquals("Weft-Pw1!", SamrPasswords.decryptUserPassword(e, KEY));
    }

    /** 2.2.6.22: RC4 under MD5(salt ‖ key), the salt appended in the clear. */
    @Test
    void saltedUserPasswordMatchesSamba() throws Exception {
        SamprEncryptedUserPasswordNew e = SamrPasswords.encryptUserPasswordNew("Weft-Pw1!", KEY, FILLER, SALT);
        assertEquals(532, e.buffer().length);
        assertEquals("623c752bb525044faa9119b59940fb5e3543d4d7c765ae73606aa8312028089b", sha256(e.buffer()));
        assertEquals(HEX.formatHex(SALT), HEX.formatHex(e.buffer(), 516, 532));
        assertEquals("Weft-Pw1!", SamrPasswords.decryptUserPasswordNew(e, KEY));
    }

    /** 2.2.11.1.2 by hand for the key 01 02 .. 07: seven bits to a byte, then odd parity in the low bit. */
    @Test
    void sevenByteKeyIsSpreadWithOddParity() {
        assertEquals("018080614029190e", HEX.formatHex(SamrPasswords.desKey(HEX.parseHex("01020304050607"))));
    }

    /** 2.2.11.1.1 with the 16-byte key of 2.2.11.1.4 and with the RID key of 2.2.11.1.3 (500: f4 01 00 00). */
    @Test
    void hashEncryptionMatchesSambasDes() {
        byte[] nt = SamrPasswords.ntHash("Password");
        assertEquals("ba6486ca8e87293e366767a1e7875ee7", HEX.formatHex(SamrPasswords.encryptHash(nt, KEY).data()));
        assertEquals("0db623e8cd485ca75371e3a8fff4f383", HEX.formatHex(SamrPasswords.encryptHash(nt, 500).data()));
        assertArrayEquals(nt, SamrPasswords.decryptHash(SamrPasswords.encryptHash(nt, KEY), KEY));
        byte[] other = KEY.clone();
        other[14] ^= 0x55;   // the fifteenth and sixteenth bytes are not part of the key
        other[15] ^= 0x55;
        assertEquals("ba6486ca8e87293e366767a1e7875ee7", HEX.formatHex(SamrPasswords.encryptHash(nt, other).data()));
    }

    /** 3.1.5.10.3: the old NT hash under the new one, and the new password under the old NT hash. */
    @Test
    void unicodeChangeArgumentsMatchSamba() throws Exception {
        SamrPasswords.UnicodeChange c = SamrPasswords.unicodeChange("Password", "Weft-Pw1!", new SecureRandom());
        assertEquals("ea4ce022fbd19586bb8e8c25716c024f", HEX.formatHex(SamrPasswords.ntHash("Weft-Pw1!")));
        assertEquals("ef14ddfb8dfddf6180210abed772dc89", HEX.formatHex(c.oldNtOwfPasswordEncryptedWithNewNt().data()));
        assertEquals("Weft-Pw1!", SamrPasswords.decryptUserPassword(c.newPasswordEncryptedWithOldNt(),
                SamrPasswords.ntHash("Password")));
        assertEquals("5869e5f3e8a4e7e54587c068ff2c0d4ab3a25b41d840595516c99691c11eace8", sha256(
                SamrPasswords.encryptUserPassword("Weft-Pw1!", SamrPasswords.ntHash("Password"), FILLER).buffer()));
    }

    @Test
    void randomFillerAndSaltDifferEachTime() {
        SecureRandom random = new SecureRandom();
        assertNotEquals(HEX.formatHex(SamrPasswords.encryptUserPasswordNew("x", KEY, random).buffer()),
                HEX.formatHex(SamrPasswords.encryptUserPasswordNew("x", KEY, random).buffer()));
    }

    @Test
    void limitsAndWrongKeys() {
        String longest = "p".repeat(256);
        SamprEncryptedUserPassword e = SamrPasswords.encryptUserPassword(longest, KEY, FILLER);
        assertEquals(longest, SamrPasswords.decryptUserPassword(e, KEY));
        assertThrows(IllegalArgumentException.class, () -> SamrPasswords.encryptUserPassword(longest + "p", KEY, FILLER));
        // A wrong key decrypts the length to noise: refused, not an allocation or an exception of another kind.
        byte[] wrong = KEY.clone();
        wrong[0] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> SamrPasswords.decryptUserPassword(
                SamrPasswords.encryptUserPassword("Weft-Pw1!", KEY, FILLER), wrong));
        assertArrayEquals(KEY, SamrPasswords.sessionKey16(KEY));
        assertEquals(16, SamrPasswords.sessionKey16(new byte[32]).length);
        byte[] longer = java.util.Arrays.copyOf(KEY, 32);   // a Kerberos AES-256 key: only its first 16 bytes count
        longer[20] = 0x55;
        assertArrayEquals(SamrPasswords.encryptUserPassword("Weft-Pw1!", KEY, FILLER).buffer(),
                SamrPasswords.encryptUserPassword("Weft-Pw1!", longer, FILLER).buffer());
    }

    // ------------------------------------------------------------------ SAMPR_ENCRYPTED_PASSWORD_AES

    /** PBKDF2-HMAC-SHA-512 (RFC 8018 5.2): the published "password"/"salt" vectors, 1 and 2 iterations. */
    @Test
    void pbkdf2Sha512KnownAnswers() {
        byte[] password = "password".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] salt = "salt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f"
                + "050235d7d68b1da55e63f73b60a57fce", HEX.formatHex(SamrPasswords.pbkdf2Sha512(password, salt, 1, 64)));
        assertEquals("e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a"
                + "82be67335c77a6068e04112754f27ccf4e", HEX.formatHex(SamrPasswords.pbkdf2Sha512(password, salt, 2, 64)));
        // 3.2.2.5's CEK: the NT hash of "Password", the salt a0..af, 5,000 iterations, 16 bytes (Samba's sha512_pbkdf2).
        assertEquals("9061ea383e2ba9f6ea2c7d71775fa1a5",
                HEX.formatHex(SamrPasswords.pbkdf2Sha512(SamrPasswords.ntHash("Password"), SALT, 5000, 16)));
    }

    /**
     * UserInternal7/8's form (3.2.2.4 with the session key as CEK): 514 plaintext bytes padded to 528, Samba's cipher
     * and AuthData for the key 00..0f, the salt a0..af and the filler 00 01 02 ...
     */
    @Test
    void aesPasswordUnderASessionKeyMatchesSamba() throws Exception {
        SamprEncryptedPasswordAes e = SamrPasswords.encryptPasswordAes("Weft-Pw1!", KEY, FILLER, SALT);
        assertEquals(528, e.cbCipher());
        assertEquals(528, e.cipher().length);
        assertEquals(0, e.pbkdf2Iterations());
        assertArrayEquals(SALT, e.salt());
        assertEquals("75495061d16e63d9d4f937ed5ca33689", HEX.formatHex(e.cipher(), 0, 16));
        assertEquals("e3b1dbd95aad70f6d9e78291b13b184e3c3f2acebbcc8e33e946627ede7d555d", sha256(e.cipher()));
        assertEquals("a56933ca6f5883c574cac14c9dec0fca4e606ba497dd263413fb38a78b9f8272"
                + "9fb71be85d969f18b6945533967741769cc4e49eacc9ab0a0ad0dc9ad5fcc82a", HEX.formatHex(e.authData()));
        assertEquals("Weft-Pw1!", SamrPasswords.decryptPasswordAes(e, KEY));
        byte[] longer = java.util.Arrays.copyOf(KEY, 32);   // only the first 16 bytes of a longer session key count
        longer[31] = 0x55;
        assertArrayEquals(e.cipher(), SamrPasswords.encryptPasswordAes("Weft-Pw1!", longer, FILLER, SALT).cipher());
    }

    /** SamrUnicodeChangePasswordUser4's form: the CEK from the old password's NT hash by PBKDF2 (Samba's answer). */
    @Test
    void aesPasswordChangeMatchesSamba() throws Exception {
        SamprEncryptedPasswordAes e = SamrPasswords.changePasswordAes("Password", "Weft-Pw1!", 5000, FILLER, SALT);
        assertEquals(5000, e.pbkdf2Iterations());
        assertEquals("e45d9ae00904f849c1ba5bc64fd97f3c", HEX.formatHex(e.cipher(), 0, 16));
        assertEquals("74be1254539d320214b0683a15cafd0d729e3dd4873c23277bae20122d8cfebc", sha256(e.cipher()));
        assertEquals("f7f162b5ec6c39c532d963098d7239ce1b05936a78f53d96bcf98588226347c6"
                + "622a7e5a86a7bddf0e9ff0c5750e87041d5df6f0ce13c71a5f7fa3774236df6e", HEX.formatHex(e.authData()));
        assertEquals("Weft-Pw1!", SamrPasswords.decryptChangePasswordAes(e, SamrPasswords.ntHash("Password")));
        SamprEncryptedPasswordAes random = SamrPasswords.changePasswordAes("Password", "Weft-Pw1!", new SecureRandom());
        assertEquals(SamrPasswords.DEFAULT_PBKDF2_ITERATIONS, random.pbkdf2Iterations());
        assertEquals("Weft-Pw1!", SamrPasswords.decryptChangePasswordAes(random, SamrPasswords.ntHash("Password")));
    }

    /** A wrong key or an altered byte fails AuthData before anything is decrypted; hostile sizes are refused first. */
    @Test
    void aesFormRefusesWrongKeysAlteredBytesAndBadSizes() {
        SamprEncryptedPasswordAes e = SamrPasswords.encryptPasswordAes("Weft-Pw1!", KEY, FILLER, SALT);
        byte[] wrong = KEY.clone();
        wrong[0] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> SamrPasswords.decryptPasswordAes(e, wrong));
        byte[] altered = e.cipher().clone();
        altered[100] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> SamrPasswords.decryptPasswordAes(
                new SamprEncryptedPasswordAes(e.authData(), e.salt(), e.cbCipher(), altered, 0), KEY));
        assertThrows(IllegalArgumentException.class, () -> SamrPasswords.decryptPasswordAes(
                new SamprEncryptedPasswordAes(e.authData(), e.salt(), 16, new byte[16], 0), KEY));
        assertThrows(IllegalArgumentException.class, () -> SamrPasswords.decryptPasswordAes(
                new SamprEncryptedPasswordAes(e.authData(), e.salt(), 0, null, 0), KEY));
        SamprEncryptedPasswordAes change = SamrPasswords.changePasswordAes("Password", "Weft-Pw1!", 5000, FILLER, SALT);
        assertThrows(IllegalArgumentException.class, () -> SamrPasswords.decryptChangePasswordAes(change,
                SamrPasswords.ntHash("password")));
        for (long iterations : new long[] {0, 4999, 1_000_001, -1}) {
            assertThrows(IllegalArgumentException.class, () -> SamrPasswords.decryptChangePasswordAes(
                    new SamprEncryptedPasswordAes(change.authData(), change.salt(), change.cbCipher(), change.cipher(),
                            iterations), SamrPasswords.ntHash("Password")), "iterations " + iterations);
        }
        assertThrows(IllegalArgumentException.class, () -> SamrPasswords.changePasswordAes("a", "b", 4999,
                new SecureRandom()));
        String longest = "p".repeat(256);
        assertEquals(longest, SamrPasswords.decryptPasswordAes(SamrPasswords.encryptPasswordAes(longest, KEY,
                new SecureRandom()), KEY));
        assertThrows(IllegalArgumentException.class, () -> SamrPasswords.encryptPasswordAes(longest + "p", KEY,
                new SecureRandom()));
    }
}
