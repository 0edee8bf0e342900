package dev.weft.security.kerberos;

import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.internal.Le;
import dev.weft.security.internal.Md4;
import dev.weft.security.internal.Rc4;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Kerberos encryption type rc4-hmac (23) of RFC 4757, which Windows domains still use where an account has no
 * AES keys: the key is the NT hash of the password (section 2), a message is encrypted as
 * {@code HMAC-MD5 checksum | RC4(confounder | plaintext)} under keys derived from the key usage (section 4), and the
 * keyed checksum is HMAC-MD5 (type -138, section 4). Built on the JDK's HmacMD5, MD5 and ARCFOUR.
 */
final class Rc4Hmac {

    static final int ETYPE = 23;
    /** KERB_CHECKSUM_HMAC_MD5. */
    static final int CHECKSUM_TYPE = -138;
    static final int KEY_LENGTH = 16;
    static final int CONFOUNDER = 8;
    /** The HMAC-MD5 checksum in front of every ciphertext. */
    static final int CHECKSUM = 16;
    private static final byte[] SIGNATURE_KEY = "signaturekey\0".getBytes(StandardCharsets.US_ASCII);

    private Rc4Hmac() {
    }

    /** RFC 4757 section 2: the key is MD4 of the UTF-16LE password, that is, the NT hash. */
    static byte[] stringToKey(char[] password) {
        return Md4.ofUnicode(new String(password));
    }

    /**
     * RFC 4757 section 3: Windows numbers one key usage differently, the AS-REP's encrypted part (3) is 8. The AP
     * exchange, the PAC and the GSS tokens use their usages unchanged.
     */
    static int msUsage(int usage) {
        return usage == 3 ? 8 : usage;
    }

    static byte[] hmacMd5(byte[] key, byte[]... parts) {
        try {
            Mac m = Mac.getInstance("HmacMD5");
            m.init(new SecretKeySpec(key, "HmacMD5"));
            for (byte[] p : parts) m.update(p);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] le32(int v) {
        byte[] b = new byte[4];
        Le.put32(b, 0, v);
        return b;
    }

    /** K1 of RFC 4757 section 4: HMAC-MD5(key, usage as a little-endian 32-bit number). */
    static byte[] usageKey(byte[] key, int usage) {
        return hmacMd5(key, le32(msUsage(usage)));
    }

    /** RFC 4757 section 4 encryption: {@code checksum | RC4(K3, confounder | plaintext)}. */
    static byte[] encrypt(byte[] key, int usage, byte[] confounder, byte[] plaintext) {
        if (confounder.length != CONFOUNDER) throw new IllegalArgumentException("confounder of " + confounder.length);
        byte[] k1 = usageKey(key, usage);
        byte[] out = new byte[CHECKSUM + CONFOUNDER + plaintext.length];
        System.arraycopy(confounder, 0, out, CHECKSUM, CONFOUNDER);
        System.arraycopy(plaintext, 0, out, CHECKSUM + CONFOUNDER, plaintext.length);
        byte[] checksum = hmacMd5(k1, Arrays.copyOfRange(out, CHECKSUM, out.length));
        System.arraycopy(checksum, 0, out, 0, CHECKSUM);
        new Rc4(hmacMd5(k1, checksum)).apply(out, CHECKSUM, out.length - CHECKSUM);
        return out;
    }

    /** RFC 4757 section 4 decryption: the plaintext without the confounder, or MESSAGE_ALTERED. */
    static byte[] decrypt(byte[] key, int usage, byte[] ciphertext) {
        if (ciphertext.length < CHECKSUM + CONFOUNDER) throw SecurityContextException.invalidToken("ciphertext too short");
        byte[] k1 = usageKey(key, usage);
        byte[] checksum = Arrays.copyOf(ciphertext, CHECKSUM);
        byte[] plain = Arrays.copyOfRange(ciphertext, CHECKSUM, ciphertext.length);
        new Rc4(hmacMd5(k1, checksum)).apply(plain, 0, plain.length);
        if (!MessageDigest.isEqual(checksum, hmacMd5(k1, plain))) {
            throw new SecurityContextException(Reason.MESSAGE_ALTERED, "Kerberos ciphertext integrity check failed");
        }
        return Arrays.copyOfRange(plain, CONFOUNDER, plain.length);
    }

    /**
     * The keyed checksum HMAC-MD5 (RFC 4757 section 4, type -138):
     * {@code HMAC-MD5(HMAC-MD5(key, "signaturekey\0"), MD5(usage | data))}, 16 bytes.
     */
    static byte[] checksum(byte[] key, int usage, byte[] data) {
        MessageDigest md5 = checksumDigest(usage);
        md5.update(data);
        return checksum(key, md5);
    }

    /** The MD5 of the checksum, started with the usage; the caller adds the data, then calls {@link #checksum(byte[], MessageDigest)}. */
    static MessageDigest checksumDigest(int usage) {
        MessageDigest md5 = md5();
        md5.update(le32(msUsage(usage)));
        return md5;
    }

    /** The checksum over what {@code digest} (from {@link #checksumDigest}) has seen. */
    static byte[] checksum(byte[] key, MessageDigest digest) {
        return hmacMd5(hmacMd5(key, SIGNATURE_KEY), digest.digest());
    }
}
