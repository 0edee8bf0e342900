package dev.weft.security.kerberos;

import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Kerberos encryption types aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18): RFC 3961's
 * simplified profile (n-fold, DK key derivation, confounder, HMAC-SHA1-96 integrity) over AES in CBC mode with
 * ciphertext stealing (RFC 3962). Built on the JDK's AES ("AES/CTS/NoPadding" is CBC-CS3, which is what RFC 3962
 * specifies), HmacSHA1 and PBKDF2WithHmacSHA1.
 */
final class AesCts {

    static final int AES128 = 17;
    static final int AES256 = 18;
    /** Confounder and cipher block size. */
    static final int BLOCK = 16;
    /** HMAC-SHA1-96. */
    static final int MAC = 12;

    /** RFC 3961 key usage constants' last octet: checksum, encryption, integrity. */
    private static final int KC = 0x99, KE = 0xAA, KI = 0x55;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AesCts() {
    }

    /** The key length in bytes of an AES enctype. */
    static int keyLength(int etype) {
        return switch (etype) {
            case AES128 -> 16;
            case AES256 -> 32;
            default -> throw new SecurityContextException(Reason.UNSUPPORTED, "encryption type " + etype
                    + " (only aes128/aes256-cts-hmac-sha1-96 are implemented)");
        };
    }

    /**
     * RFC 3961 section 5.1 n-fold: the input repeated to lcm(|in|, n) bits, each repetition rotated right by 13
     * more bits than the one before, cut into n-bit blocks that are added with end-around carry.
     */
    static byte[] nfold(byte[] in, int outBytes) {
        int inBits = in.length * 8, outBits = outBytes * 8;
        int lcmBits = lcm(inBits, outBits);
        // The long bit string, as a boolean-per-bit array: small (the inputs are usage constants and test strings).
        boolean[] bits = new boolean[lcmBits];
        for (int copy = 0; copy < lcmBits / inBits; copy++) {
            int rot = (13 * copy) % inBits;
            for (int j = 0; j < inBits; j++) {
                int src = Math.floorMod(j - rot, inBits); // rotate right by rot
                bits[copy * inBits + j] = ((in[src >> 3] >> (7 - (src & 7))) & 1) != 0;
            }
        }
        int[] sum = new int[outBytes];
        for (int block = 0; block < lcmBits / outBits; block++) {
            int carry = 0;
            for (int b = outBytes - 1; b >= 0; b--) {
                int v = 0;
                for (int k = 0; k < 8; k++) v = (v << 1) | (bits[block * outBits + b * 8 + k] ? 1 : 0);
                int t = sum[b] + v + carry;
                sum[b] = t & 0xFF;
                carry = t >> 8;
            }
            // one's-complement addition: the carry out of the top wraps around to the bottom
            for (int b = outBytes - 1; carry != 0 && b >= 0; b--) {
                int t = sum[b] + carry;
                sum[b] = t & 0xFF;
                carry = t >> 8;
                if (b == 0 && carry != 0) b = outBytes; // wrap again (loop decrements to outBytes - 1)
            }
        }
        byte[] out = new byte[outBytes];
        for (int i = 0; i < outBytes; i++) out[i] = (byte) sum[i];
        return out;
    }

    private static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    /** RFC 3961 section 5.1 DK(base, constant) = random-to-key(DR(base, constant)); random-to-key is identity for AES. */
    static byte[] derive(byte[] base, byte[] constant) {
        byte[] block = constant.length == BLOCK ? constant.clone() : nfold(constant, BLOCK);
        byte[] out = new byte[base.length];
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(base, "AES"));
            for (int n = 0; n < out.length; n += BLOCK) {
                block = aes.doFinal(block);
                System.arraycopy(block, 0, out, n, Math.min(BLOCK, out.length - n));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** DK(base, usage | kind) for a key usage number (big-endian) and one of 0x99, 0xAA, 0x55. */
    static byte[] derive(byte[] base, int usage, int kind) {
        return derive(base, new byte[] {(byte) (usage >>> 24), (byte) (usage >>> 16), (byte) (usage >>> 8), (byte) usage,
                (byte) kind});
    }

    /** RFC 3962 section 4 string-to-key: DK(PBKDF2-HMAC-SHA1(password, salt, iterations), "kerberos"). */
    static byte[] stringToKey(char[] password, String salt, int iterations, int etype) {
        int len = keyLength(etype);
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1");
            byte[] tkey = f.generateSecret(new PBEKeySpec(password, salt.getBytes(StandardCharsets.UTF_8), iterations,
                    len * 8)).getEncoded();
            return derive(tkey, "kerberos".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The encryption subkey Ke for a usage. */
    static byte[] ke(byte[] key, int usage) {
        return derive(key, usage, KE);
    }

    /** The integrity subkey Ki for a usage. */
    static byte[] ki(byte[] key, int usage) {
        return derive(key, usage, KI);
    }

    /** The checksum subkey Kc for a usage. */
    static byte[] kc(byte[] key, int usage) {
        return derive(key, usage, KC);
    }

    /** AES-CBC-CS3 with a zero IV over all of {@code data} (at least one block), in place. */
    static void cts(byte[] aesKey, byte[] data, boolean encrypt) {
        if (data.length < BLOCK) throw new IllegalArgumentException("CTS needs at least one block");
        try {
            Cipher c = Cipher.getInstance("AES/CTS/NoPadding");
            c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"),
                    new IvParameterSpec(new byte[BLOCK]));
            byte[] out = c.doFinal(data);
            System.arraycopy(out, 0, data, 0, data.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new HMAC-SHA1 keyed with {@code key}. */
    static Mac hmac(byte[] key) {
        try {
            Mac m = Mac.getInstance("HmacSHA1");
            m.init(new SecretKeySpec(key, "HmacSHA1"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HMAC-SHA1-96 of {@code data} with the checksum key of {@code usage} (RFC 3961 get_mic, RFC 3962). */
    static byte[] checksum(byte[] key, int usage, byte[] data) {
        return Arrays.copyOf(hmac(kc(key, usage)).doFinal(data), MAC);
    }

    static byte[] confounder() {
        byte[] c = new byte[BLOCK];
        RANDOM.nextBytes(c);
        return c;
    }

    /** RFC 3961 encrypt: CTS(Ke, confounder | plaintext) | HMAC-SHA1-96(Ki, confounder | plaintext). */
    static byte[] encrypt(byte[] key, int usage, byte[] confounder, byte[] plaintext) {
        byte[] p = new byte[BLOCK + plaintext.length];
        System.arraycopy(confounder, 0, p, 0, BLOCK);
        System.arraycopy(plaintext, 0, p, BLOCK, plaintext.length);
        byte[] mac = Arrays.copyOf(hmac(ki(key, usage)).doFinal(p), MAC);
        cts(ke(key, usage), p, true);
        byte[] out = Arrays.copyOf(p, p.length + MAC);
        System.arraycopy(mac, 0, out, p.length, MAC);
        return out;
    }

    /** RFC 3961 decrypt: the plaintext without the confounder, or MESSAGE_ALTERED when the HMAC does not match. */
    static byte[] decrypt(byte[] key, int usage, byte[] ciphertext) {
        if (ciphertext.length < BLOCK + MAC) throw SecurityContextException.invalidToken("ciphertext too short");
        byte[] p = Arrays.copyOf(ciphertext, ciphertext.length - MAC);
        cts(ke(key, usage), p, false);
        byte[] mac = Arrays.copyOf(hmac(ki(key, usage)).doFinal(p), MAC);
        if (!MessageDigest.isEqual(mac, Arrays.copyOfRange(ciphertext, p.length, ciphertext.length))) {
            throw new SecurityContextException(Reason.MESSAGE_ALTERED, "Kerberos ciphertext integrity check failed");
        }
        return Arrays.copyOfRange(p, BLOCK, p.length);
    }
}
