package dev.weft.security.kerberos;

import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import java.security.SecureRandom;

/**
 * The Kerberos encryption types Weft implements, by their RFC 3961 numbers: what encrypts the ticket, the
 * Authenticator and the AP-REP, which keyed checksum goes with the key (the PAC's), and which per-message tokens a
 * context keyed with it speaks (MS-KILE 3.4.5.4: RFC 4121 for AES, RFC 4757 for RC4-HMAC).
 */
enum EncryptionType {
    /** aes128-cts-hmac-sha1-96, RFC 3962; checksum hmac-sha1-96-aes128 (15). */
    AES128_CTS_HMAC_SHA1_96(AesCts.AES128, 16, 15),
    /** aes256-cts-hmac-sha1-96, RFC 3962; checksum hmac-sha1-96-aes256 (16). */
    AES256_CTS_HMAC_SHA1_96(AesCts.AES256, 32, 16),
    /** rc4-hmac, RFC 4757; checksum hmac-md5 (-138). */
    RC4_HMAC(Rc4Hmac.ETYPE, Rc4Hmac.KEY_LENGTH, Rc4Hmac.CHECKSUM_TYPE);

    private static final SecureRandom RANDOM = new SecureRandom();

    final int etype;
    final int keyLength;
    final int checksumType;

    EncryptionType(int etype, int keyLength, int checksumType) {
        this.etype = etype;
        this.keyLength = keyLength;
        this.checksumType = checksumType;
    }

    /** The implementation of {@code etype}, or UNSUPPORTED (DES and the SHA-2 AES types are not implemented). */
    static EncryptionType of(int etype) {
        for (EncryptionType t : values()) if (t.etype == etype) return t;
        throw new SecurityContextException(Reason.UNSUPPORTED, "Kerberos encryption type " + etype
                + " (Weft implements aes256-cts-hmac-sha1-96 (18), aes128-cts-hmac-sha1-96 (17) and rc4-hmac (23))");
    }

    static boolean isSupported(int etype) {
        for (EncryptionType t : values()) if (t.etype == etype) return true;
        return false;
    }

    /** RFC 3961 encrypt with a fresh confounder. */
    byte[] encrypt(byte[] key, int usage, byte[] plaintext) {
        checkKey(key);
        return switch (this) {
            case AES128_CTS_HMAC_SHA1_96, AES256_CTS_HMAC_SHA1_96 -> AesCts.encrypt(key, usage, AesCts.confounder(), plaintext);
            case RC4_HMAC -> Rc4Hmac.encrypt(key, usage, random(Rc4Hmac.CONFOUNDER), plaintext);
        };
    }

    /** RFC 3961 decrypt: the plaintext, or MESSAGE_ALTERED when the integrity check fails. */
    byte[] decrypt(byte[] key, int usage, byte[] ciphertext) {
        checkKey(key);
        return switch (this) {
            case AES128_CTS_HMAC_SHA1_96, AES256_CTS_HMAC_SHA1_96 -> AesCts.decrypt(key, usage, ciphertext);
            case RC4_HMAC -> Rc4Hmac.decrypt(key, usage, ciphertext);
        };
    }

    /** The keyed checksum that goes with this key ({@link #checksumType}) over {@code data}. */
    byte[] checksum(byte[] key, int usage, byte[] data) {
        checkKey(key);
        return switch (this) {
            case AES128_CTS_HMAC_SHA1_96, AES256_CTS_HMAC_SHA1_96 -> AesCts.checksum(key, usage, data);
            case RC4_HMAC -> Rc4Hmac.checksum(key, usage, data);
        };
    }

    /** The length of {@link #checksum}. */
    int checksumLength() {
        return this == RC4_HMAC ? Rc4Hmac.CHECKSUM : AesCts.MAC;
    }

    /** A fresh random key (an acceptor subkey). */
    byte[] randomKey() {
        return random(keyLength);
    }

    private void checkKey(byte[] key) {
        if (key.length != keyLength) {
            throw new SecurityContextException(Reason.INVALID_TOKEN, "a key of " + key.length + " bytes for " + this);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
