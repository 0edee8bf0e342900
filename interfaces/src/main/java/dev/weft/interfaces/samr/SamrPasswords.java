package dev.weft.interfaces.samr;

import dev.weft.interfaces.samr.Samr.EncryptedLmOwfPassword;
import dev.weft.interfaces.samr.Samr.SamprEncryptedUserPassword;
import dev.weft.interfaces.samr.Samr.SamprEncryptedUserPasswordNew;
import dev.weft.security.ntlm.NtlmCredentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets MS-SAMR carries inside its stubs, protected as the specification requires: the cleartext password
 * buffers of SamrUnicodeChangePasswordUser2 and of SamrSetInformationUser2's password levels, and the DES-encrypted
 * NT and LM hashes. Hand-written next to the generated {@link Samr}; JDK ciphers only ("ARCFOUR", "DES", "MD5"),
 * MD4 from {@link NtlmCredentials#ntHash}.
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
