package dev.weft.interfaces.samr;

import dev.weft.interfaces.samr.Samr.EncryptedLmOwfPassword;
import dev.weft.interfaces.samr.Samr.SamprEncryptedPasswordAes;
import dev.weft.interfaces.samr.Samr.SamprEncryptedUserPassword;
import dev.weft.interfaces.samr.Samr.SamprEncryptedUserPasswordNew;
import dev.weft.security.ntlm.NtlmCredentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets MS-SAMR carries inside its stubs, protected as the specification requires: the cleartext password
 * buffers of SamrUnicodeChangePasswordUser2 and 4 and of SamrSetInformationUser2's password levels, and the
 * DES-encrypted NT and LM hashes. Hand-written next to the generated {@link Samr}; JDK ciphers only ("ARCFOUR",
 * "DES", "MD5", "AES/CBC/PKCS5Padding", "HmacSHA512"), MD4 from {@link NtlmCredentials#ntHash}.
 *
 * <ul>
 *   <li>SAMPR_ENCRYPTED_USER_PASSWORD (MS-SAMR 2.2.6.21): the UTF-16LE password at the end of a 512-byte buffer,
 *   random bytes before it, its byte length after it (32 bits, little-endian); all 516 bytes RC4-encrypted
 *   (3.2.2.1) with a key the method names: the old NT hash for SamrUnicodeChangePasswordUser2, the session key
 *   for UserInternal4Information and UserInternal5Information.</li>
 *   <li>SAMPR_ENCRYPTED_USER_PASSWORD_NEW (2.2.6.22): the same 516 bytes RC4-encrypted with MD5(ClearSalt ‖
 *   session key), then the 16-byte ClearSalt in the clear (UserInternal4InformationNew, UserInternal5InformationNew).</li>
 *   <li>ENCRYPTED_NT_OWF_PASSWORD and ENCRYPTED_LM_OWF_PASSWORD (2.2.11.1.1): each 8-byte half of a 16-byte hash
 *   DES-ECB-encrypted under a 7-byte key (2.2.11.1.2) taken from a 16-byte key (2.2.11.1.4) or from a RID
 *   (2.2.11.1.3).</li>
 *   <li>SAMPR_ENCRYPTED_PASSWORD_AES (2.2.6.32, 3.2.2.4): SAMPR_USER_PASSWORD_AES (the password's byte length in 16
 *   bits, little-endian, then a 512-byte buffer holding the UTF-16LE password from its start, random bytes after it)
 *   encrypted with AEAD-AES-256-CBC-HMAC-SHA512 under a content encryption key (CEK): AES-256-CBC with PKCS #7
 *   padding (514 bytes become 528) under the first 32 bytes of HMAC-SHA-512(CEK, "Microsoft SAM encryption key
 *   AEAD-AES-256-CBC-HMAC-SHA512 16" and its NUL), the salt as IV; AuthData is HMAC-SHA-512 under HMAC-SHA-512(CEK,
 *   "Microsoft SAM MAC key AEAD-AES-256-CBC-HMAC-SHA512 16" and its NUL) of 0x01 ‖ salt ‖ cipher ‖ 0x01. The CEK
 *   is the 16-byte session key for UserInternal7Information and UserInternal8Information (PBKDF2Iterations 0), and
 *   PBKDF2-HMAC-SHA-512 of the old password's NT hash with the salt and the iteration count, 16 bytes (3.2.2.5), for
 *   SamrUnicodeChangePasswordUser4.</li>
 * </ul>
 *
 * <p>The session key is the first 16 bytes of the transport's key (MS-SAMR 3.2.2.3): over SMB the SMB session
 * key; over TCP, where there is no SMB session, what a server takes is the server's choice. Samba's behaviour is
 * recorded in the README and in {@code SamrWriteAgainstSambaTest}.
 */
public final class SamrPasswords {
    /** The longest cleartext the buffer carries, in bytes (2.2.6.21: 256 UTF-16 code units). */
    public static final int MAX_PASSWORD_BYTES = 512;
    /** SAMPR_USER_PASSWORD: the 512-byte buffer and its 32-bit length. */
    private static final int USER_PASSWORD_SIZE = MAX_PASSWORD_BYTES + 4;
    private static final int SALT_SIZE = 16;
    /** SAMPR_USER_PASSWORD_AES: the 16-bit length, then the 512-byte buffer (2.2.6.32). */
    private static final int USER_PASSWORD_AES_SIZE = 2 + MAX_PASSWORD_BYTES;
    /** The PBKDF2 iteration counts a SamrUnicodeChangePasswordUser4 may carry (3.1.5.10.4, 3.2.2.5). */
    public static final int MIN_PBKDF2_ITERATIONS = 5_000, MAX_PBKDF2_ITERATIONS = 1_000_000;
    /** What {@link #changePasswordAes(String, String, SecureRandom)} uses: twice the least the server takes. */
    public static final int DEFAULT_PBKDF2_ITERATIONS = 10_000;
    /** SAM_AES256_ENC_KEY_STRING and SAM_AES256_MAC_KEY_STRING, each with its terminating NUL (61 and 54 bytes). */
    private static final byte[] AES_ENC_KEY_LABEL = "Microsoft SAM encryption key AEAD-AES-256-CBC-HMAC-SHA512 16\0"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AES_MAC_KEY_LABEL = "Microsoft SAM MAC key AEAD-AES-256-CBC-HMAC-SHA512 16\0"
            .getBytes(StandardCharsets.US_ASCII);
    /** versionbyte, which is also versionbyte_length, in the MAC's input (3.2.2.4). */
    private static final byte AES_VERSION = 1;
    /** The cipher of a SAMPR_USER_PASSWORD_AES: 514 bytes padded to AES blocks. */
    private static final int AES_CIPHER_SIZE = (USER_PASSWORD_AES_SIZE / 16 + 1) * 16;

    private SamrPasswords() {
    }

    /** The NT hash (NTOWFv1, MS-NLMP 3.3.1): MD4 of the UTF-16LE password. */
    public static byte[] ntHash(String password) {
        return NtlmCredentials.ntHash(password);
    }

    /**
     * The 16-byte key MS-SAMR encrypts with, from a security context's session key: its first 16 bytes (a
     * Kerberos AES-256 subkey is longer), right-padded with zeros if shorter.
     */
    public static byte[] sessionKey16(byte[] sessionKey) {
        return Arrays.copyOf(sessionKey, 16);
    }

    /**
     * SAMPR_ENCRYPTED_USER_PASSWORD: {@code password} encrypted under {@code key} (2.2.6.21), random filler. The key
     * is 16 bytes: an NT hash, or a session key (a longer one is cut to its first 16 bytes, {@link #sessionKey16}).
     */
    public static SamprEncryptedUserPassword encryptUserPassword(String password, byte[] key, SecureRandom random) {
        byte[] filler = new byte[MAX_PASSWORD_BYTES];
        random.nextBytes(filler);
        return encryptUserPassword(password, key, filler);
    }

    /** As {@link #encryptUserPassword(String, byte[], SecureRandom)} with the filler given (known-answer tests). */
    static SamprEncryptedUserPassword encryptUserPassword(String password, byte[] key, byte[] filler) {
        return new SamprEncryptedUserPassword(rc4(sessionKey16(key), userPassword(password, filler)));
    }

    /**
     * The cleartext of a SAMPR_ENCRYPTED_USER_PASSWORD.
     *
     * @throws IllegalArgumentException when the decrypted length is longer than 512 bytes or odd (a wrong key)
     */
    public static String decryptUserPassword(SamprEncryptedUserPassword encrypted, byte[] key) {
        return cleartext(rc4(sessionKey16(key), encrypted.buffer()));
    }

    /**
     * SAMPR_ENCRYPTED_USER_PASSWORD_NEW: {@code password} encrypted under MD5(salt ‖ the 16-byte session key),
     * with a random salt and filler (2.2.6.22).
     */
    public static SamprEncryptedUserPasswordNew encryptUserPasswordNew(String password, byte[] sessionKey,
                                                                       SecureRandom random) {
        byte[] filler = new byte[MAX_PASSWORD_BYTES];
        byte[] salt = new byte[SALT_SIZE];
        random.nextBytes(filler);
        random.nextBytes(salt);
        return encryptUserPasswordNew(password, sessionKey, filler, salt);
    }

    /** As {@link #encryptUserPasswordNew(String, byte[], SecureRandom)} with filler and salt given. */
    static SamprEncryptedUserPasswordNew encryptUserPasswordNew(String password, byte[] sessionKey, byte[] filler,
                                                                byte[] salt) {
        byte[] out = Arrays.copyOf(rc4(saltedKey(salt, sessionKey), userPassword(password, filler)),
                USER_PASSWORD_SIZE + SALT_SIZE);
        System.arraycopy(salt, 0, out, USER_PASSWORD_SIZE, SALT_SIZE);
        return new SamprEncryptedUserPasswordNew(out);
    }

    /** The cleartext of a SAMPR_ENCRYPTED_USER_PASSWORD_NEW; as {@link #decryptUserPassword}. */
    public static String decryptUserPasswordNew(SamprEncryptedUserPasswordNew encrypted, byte[] sessionKey) {
        byte[] b = encrypted.buffer();
        byte[] salt = Arrays.copyOfRange(b, USER_PASSWORD_SIZE, USER_PASSWORD_SIZE + SALT_SIZE);
        return cleartext(rc4(saltedKey(salt, sessionKey), Arrays.copyOf(b, USER_PASSWORD_SIZE)));
    }

    /** An NT or LM hash encrypted under a 16-byte key (2.2.11.1.1 with 2.2.11.1.4). */
    public static EncryptedLmOwfPassword encryptHash(byte[] hash, byte[] key16) {
        return new EncryptedLmOwfPassword(desHalves(hash, keysFrom16(key16), Cipher.ENCRYPT_MODE));
    }

    /** An NT or LM hash encrypted under a RID (2.2.11.1.1 with 2.2.11.1.3), as SamrSetDSRMPassword sends it. */
    public static EncryptedLmOwfPassword encryptHash(byte[] hash, int rid) {
        return new EncryptedLmOwfPassword(desHalves(hash, keysFromInteger(rid), Cipher.ENCRYPT_MODE));
    }

    /** The hash inside an ENCRYPTED_NT_OWF_PASSWORD or ENCRYPTED_LM_OWF_PASSWORD encrypted under a 16-byte key. */
    public static byte[] decryptHash(EncryptedLmOwfPassword encrypted, byte[] key16) {
        return desHalves(encrypted.data(), keysFrom16(key16), Cipher.DECRYPT_MODE);
    }

    /** The two encrypted arguments of SamrUnicodeChangePasswordUser2 that carry a password change (3.1.5.10.3). */
    public record UnicodeChange(SamprEncryptedUserPassword newPasswordEncryptedWithOldNt,
                                EncryptedLmOwfPassword oldNtOwfPasswordEncryptedWithNewNt) {
    }

    /**
     * SamrUnicodeChangePasswordUser2's proof of the old password: the new password encrypted under the old NT hash,
     * and the old NT hash encrypted under the new one. No session key is involved, so any connection will do.
     */
    public static UnicodeChange unicodeChange(String oldPassword, String newPassword, SecureRandom random) {
        byte[] oldNt = ntHash(oldPassword);
        byte[] newNt = ntHash(newPassword);
        return new UnicodeChange(encryptUserPassword(newPassword, oldNt, random), encryptHash(oldNt, newNt));
    }

    /**
     * SAMPR_ENCRYPTED_PASSWORD_AES for SamrSetInformationUser2's UserInternal7Information and UserInternal8Information
     * (3.1.5.6.4.1, 3.1.5.6.4.6): {@code password} encrypted under the 16-byte session key as the CEK (a longer key is
     * cut, {@link #sessionKey16}), a random salt and filler, PBKDF2Iterations 0.
     */
    public static SamprEncryptedPasswordAes encryptPasswordAes(String password, byte[] sessionKey,
                                                               SecureRandom random) {
        byte[] filler = new byte[MAX_PASSWORD_BYTES];
        byte[] salt = new byte[SALT_SIZE];
        random.nextBytes(filler);
        random.nextBytes(salt);
        return encryptPasswordAes(password, sessionKey, filler, salt);
    }

    /** As {@link #encryptPasswordAes(String, byte[], SecureRandom)} with filler and salt given (known answers). */
    static SamprEncryptedPasswordAes encryptPasswordAes(String password, byte[] sessionKey, byte[] filler,
                                                        byte[] salt) {
        return aesEncrypt(sessionKey16(sessionKey), userPasswordAes(password, filler), salt, 0);
    }

    /**
     * The cleartext of a SAMPR_ENCRYPTED_PASSWORD_AES sent with UserInternal7Information or UserInternal8Information
     * (what a server does with it): AuthData checked first.
     *
     * @throws IllegalArgumentException when AuthData does not match (a wrong key or altered bytes), or the sizes,
     *                                  padding or length inside are not a SAMPR_USER_PASSWORD_AES's
     */
    public static String decryptPasswordAes(SamprEncryptedPasswordAes encrypted, byte[] sessionKey) {
        return aesDecrypt(encrypted, sessionKey16(sessionKey));
    }

    /**
     * SamrUnicodeChangePasswordUser4's EncryptedPassword (3.1.5.10.4): {@code newPassword} encrypted under the CEK
     * PBKDF2-HMAC-SHA-512(NT hash of {@code oldPassword}, salt, {@link #DEFAULT_PBKDF2_ITERATIONS}, 16 bytes). No
     * session key is involved: the call proves the old password by itself.
     */
    public static SamprEncryptedPasswordAes changePasswordAes(String oldPassword, String newPassword,
                                                              SecureRandom random) {
        return changePasswordAes(oldPassword, newPassword, DEFAULT_PBKDF2_ITERATIONS, random);
    }

    /**
     * As {@link #changePasswordAes(String, String, SecureRandom)} with the iteration count given.
     *
     * @throws IllegalArgumentException for a count outside 5,000 to 1,000,000, which a server refuses
     */
    public static SamprEncryptedPasswordAes changePasswordAes(String oldPassword, String newPassword, int iterations,
                                                              SecureRandom random) {
        byte[] filler = new byte[MAX_PASSWORD_BYTES];
        byte[] salt = new byte[SALT_SIZE];
        random.nextBytes(filler);
        random.nextBytes(salt);
        return changePasswordAes(oldPassword, newPassword, iterations, filler, salt);
    }

    /** As {@link #changePasswordAes(String, String, int, SecureRandom)} with filler and salt given. */
    static SamprEncryptedPasswordAes changePasswordAes(String oldPassword, String newPassword, int iterations,
                                                       byte[] filler, byte[] salt) {
        checkIterations(iterations);
        byte[] cek = pbkdf2Sha512(ntHash(oldPassword), salt, iterations, 16);
        return aesEncrypt(cek, userPasswordAes(newPassword, filler), salt, iterations);
    }

    /**
     * The new password inside SamrUnicodeChangePasswordUser4's EncryptedPassword, given the NT hash the server
     * stores for the account (what a server does with it).
     *
     * @throws IllegalArgumentException as {@link #decryptPasswordAes}, and for an iteration count outside 5,000 to
     *                                  1,000,000 (checked before any work: the count is the client's)
     */
    public static String decryptChangePasswordAes(SamprEncryptedPasswordAes encrypted, byte[] oldNtHash) {
        long iterations = encrypted.pbkdf2Iterations();
        if (iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2Iterations " + Long.toUnsignedString(iterations)
                    + " outside 5,000 to 1,000,000");
        }
        checkAesSizes(encrypted);
        return aesDecrypt(encrypted, pbkdf2Sha512(oldNtHash, encrypted.salt(), (int) iterations, 16));
    }

    /** SAMPR_USER_PASSWORD_AES in the clear: the byte length, the UTF-16LE password from the start, filler after. */
    private static byte[] userPasswordAes(String password, byte[] filler) {
        byte[] text = password.getBytes(StandardCharsets.UTF_16LE);
        if (text.length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("a password is at most " + MAX_PASSWORD_BYTES / 2 + " UTF-16 units");
        }
        byte[] b = new byte[USER_PASSWORD_AES_SIZE];
        b[0] = (byte) text.length;
        b[1] = (byte) (text.length >>> 8);
        System.arraycopy(filler, 0, b, 2, MAX_PASSWORD_BYTES);
        System.arraycopy(text, 0, b, 2, text.length);
        return b;
    }

    /** 3.2.2.4: AES-256-CBC under the derived encryption key with the salt as IV, then AuthData over it. */
    private static SamprEncryptedPasswordAes aesEncrypt(byte[] cek, byte[] plaintext, byte[] salt, long iterations) {
        if (salt.length != SALT_SIZE) throw new IllegalArgumentException("the salt is 16 bytes");
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesEncryptionKey(cek), "AES"), new IvParameterSpec(salt));
            byte[] cipher = aes.doFinal(plaintext);
            return new SamprEncryptedPasswordAes(authData(cek, salt, cipher), salt.clone(), cipher.length, cipher,
                    iterations);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's AES-CBC is unavailable", e);
        }
    }

    private static String aesDecrypt(SamprEncryptedPasswordAes encrypted, byte[] cek) {
        checkAesSizes(encrypted);
        if (!MessageDigest.isEqual(authData(cek, encrypted.salt(), encrypted.cipher()), encrypted.authData())) {
            throw new IllegalArgumentException("AuthData does not match (wrong key, or the bytes were altered)");
        }
        byte[] plain;
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesEncryptionKey(cek), "AES"),
                    new IvParameterSpec(encrypted.salt()));
            plain = aes.doFinal(encrypted.cipher());
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new IllegalArgumentException("the cipher does not decrypt to a padded SAMPR_USER_PASSWORD_AES", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's AES-CBC is unavailable", e);
        }
        if (plain.length != USER_PASSWORD_AES_SIZE) {
            throw new IllegalArgumentException("a SAMPR_USER_PASSWORD_AES is 514 bytes, not " + plain.length);
        }
        int n = (plain[0] & 0xff) | (plain[1] & 0xff) << 8;
        if (n > MAX_PASSWORD_BYTES || n % 2 != 0) {
            throw new IllegalArgumentException("the decrypted length " + n + " is not a password's");
        }
        return new String(plain, 2, n, StandardCharsets.UTF_16LE);
    }

    /** The sizes a SAMPR_ENCRYPTED_PASSWORD_AES must have before anything is computed over it (its bytes are the peer's). */
    private static void checkAesSizes(SamprEncryptedPasswordAes e) {
        byte[] cipher = e.cipher();
        if (e.authData().length != 64 || e.salt().length != SALT_SIZE || cipher == null
                || cipher.length != AES_CIPHER_SIZE || e.cbCipher() != cipher.length) {
            throw new IllegalArgumentException("not a SAMPR_ENCRYPTED_PASSWORD_AES of a 514-byte password buffer"
                    + " (AuthData 64, Salt 16, Cipher " + AES_CIPHER_SIZE + " bytes)");
        }
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be 5,000 to 1,000,000, not " + iterations);
        }
    }

    /** enc_key: HMAC-SHA-512(CEK, SAM_AES256_ENC_KEY_STRING) cut to 32 bytes, an AES-256 key. */
    private static byte[] aesEncryptionKey(byte[] cek) {
        return Arrays.copyOf(hmacSha512(cek, AES_ENC_KEY_LABEL), 32);
    }

    /** AuthData: HMAC-SHA-512(mac_key, versionbyte ‖ IV ‖ Cipher ‖ versionbyte_length), mac_key the whole 64 bytes. */
    private static byte[] authData(byte[] cek, byte[] salt, byte[] cipher) {
        byte[] macKey = hmacSha512(cek, AES_MAC_KEY_LABEL);
        return hmacSha512(macKey, new byte[] {AES_VERSION}, salt, cipher, new byte[] {AES_VERSION});
    }

    private static byte[] hmacSha512(byte[] key, byte[]... data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key, "HmacSHA512"));
            for (byte[] d : data) mac.update(d);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's HmacSHA512 is unavailable", e);
        }
    }

    /**
     * PBKDF2 (RFC 8018 5.2) with HMAC-SHA-512 over a binary password (an NT hash), which the JDK's
     * "PBKDF2WithHmacSHA512" cannot take: it encodes a char[] password as UTF-8.
     */
    static byte[] pbkdf2Sha512(byte[] password, byte[] salt, int iterations, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(password, "HmacSHA512"));
            byte[] out = new byte[length];
            for (int block = 1, offset = 0; offset < length; block++, offset += 64) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                byte[] u = mac.doFinal();
                byte[] t = u.clone();
                for (int i = 1; i < iterations; i++) {
                    u = mac.doFinal(u);
                    for (int j = 0; j < t.length; j++) t[j] ^= u[j];
                }
                System.arraycopy(t, 0, out, offset, Math.min(64, length - offset));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's HmacSHA512 is unavailable", e);
        }
    }

    /** SAMPR_USER_PASSWORD in the clear: filler, the UTF-16LE password at the end of the buffer, its length. */
    private static byte[] userPassword(String password, byte[] filler) {
        byte[] text = password.getBytes(StandardCharsets.UTF_16LE);
        if (text.length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("a password is at most " + MAX_PASSWORD_BYTES / 2 + " UTF-16 units");
        }
        byte[] b = Arrays.copyOf(filler, USER_PASSWORD_SIZE);
        System.arraycopy(text, 0, b, MAX_PASSWORD_BYTES - text.length, text.length);
        int n = text.length;
        b[MAX_PASSWORD_BYTES] = (byte) n;
        b[MAX_PASSWORD_BYTES + 1] = (byte) (n >>> 8);
        b[MAX_PASSWORD_BYTES + 2] = 0;
        b[MAX_PASSWORD_BYTES + 3] = 0;
        return b;
    }

    private static String cleartext(byte[] plain) {
        long n = (plain[MAX_PASSWORD_BYTES] & 0xffL) | (plain[MAX_PASSWORD_BYTES + 1] & 0xffL) << 8
                | (plain[MAX_PASSWORD_BYTES + 2] & 0xffL) << 16 | (plain[MAX_PASSWORD_BYTES + 3] & 0xffL) << 24;
        if (n > MAX_PASSWORD_BYTES || n % 2 != 0) {
            throw new IllegalArgumentException("the decrypted length " + n + " is not a password's (wrong key?)");
        }
        return new String(plain, MAX_PASSWORD_BYTES - (int) n, (int) n, StandardCharsets.UTF_16LE);
    }

    /** 3.2.2.2: the RC4 key of the _NEW forms, MD5 over the clear salt then the 16-byte session key. */
    private static byte[] saltedKey(byte[] salt, byte[] sessionKey) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(salt);
            md5.update(sessionKey16(sessionKey));
            return md5.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    private static byte[] rc4(byte[] key, byte[] data) {
        try {
            Cipher rc4 = Cipher.getInstance("ARCFOUR");
            rc4.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
            return rc4.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's ARCFOUR cipher is unavailable", e);
        }
    }

    /** 2.2.11.1.4: Key1 is bytes 0..6 of the 16-byte key, Key2 bytes 7..13; the last two are not used. */
    private static byte[][] keysFrom16(byte[] key16) {
        if (key16.length < 14) throw new IllegalArgumentException("a 16-byte key is needed");
        return new byte[][] {Arrays.copyOfRange(key16, 0, 7), Arrays.copyOfRange(key16, 7, 14)};
    }

    /** 2.2.11.1.3: the little-endian bytes I of the integer: Key1 = I0 I1 I2 I3 I0 I1 I2, Key2 = I3 I0 I1 I2 I3 I0 I1. */
    private static byte[][] keysFromInteger(int value) {
        byte[] i = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        return new byte[][] {{i[0], i[1], i[2], i[3], i[0], i[1], i[2]}, {i[3], i[0], i[1], i[2], i[3], i[0], i[1]}};
    }

    private static byte[] desHalves(byte[] block16, byte[][] keys, int mode) {
        if (block16.length != 16) throw new IllegalArgumentException("a hash is 16 bytes");
        byte[] out = new byte[16];
        for (int half = 0; half < 2; half++) {
            try {
                Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
                des.init(mode, new SecretKeySpec(desKey(keys[half]), "DES"));
                des.doFinal(block16, 8 * half, 8, out, 8 * half);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's DES cipher is unavailable", e);
            }
        }
        return out;
    }

    /**
     * 2.2.11.1.2: the 56 key bits spread over 8 bytes, seven to a byte in the high bits, each low bit set for odd
     * parity (the JDK's DES ignores parity; it is set so the key is the one the specification writes).
     */
    static byte[] desKey(byte[] k7) {
        byte[] k = new byte[8];
        k[0] = (byte) ((k7[0] & 0xff) >>> 1);
        k[1] = (byte) ((k7[0] & 0x01) << 6 | (k7[1] & 0xff) >>> 2);
        k[2] = (byte) ((k7[1] & 0x03) << 5 | (k7[2] & 0xff) >>> 3);
        k[3] = (byte) ((k7[2] & 0x07) << 4 | (k7[3] & 0xff) >>> 4);
        k[4] = (byte) ((k7[3] & 0x0f) << 3 | (k7[4] & 0xff) >>> 5);
        k[5] = (byte) ((k7[4] & 0x1f) << 2 | (k7[5] & 0xff) >>> 6);
        k[6] = (byte) ((k7[5] & 0x3f) << 1 | (k7[6] & 0xff) >>> 7);
        k[7] = (byte) (k7[6] & 0x7f);
        for (int i = 0; i < 8; i++) {
            int b = (k[i] << 1) & 0xfe;
            k[i] = (byte) (Integer.bitCount(b) % 2 == 0 ? b | 1 : b);
        }
        return k;
    }
}
