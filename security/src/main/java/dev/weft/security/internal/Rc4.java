package dev.weft.security.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * An RC4 key stream that continues across calls, as NTLMSSP's connection-oriented sealing needs (MS-NLMP 3.4: one
 * handle per direction for the whole context). Backed by the JDK's SunJCE "ARCFOUR" cipher, present and enabled by
 * default from JDK 21 to 25 (the TLS algorithm restrictions do not apply to javax.crypto). Not thread-safe: each
 * direction's owner guards it.
 */
public final class Rc4 {

    private final Cipher cipher;

    /** A key stream for {@code key} (5 to 128 bytes; SunJCE needs at least 40 bits). */
    public Rc4(byte[] key) {
        try {
            cipher = Cipher.getInstance("ARCFOUR");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's ARCFOUR cipher is not available", e);
        }
    }

    /** XORs {@code b[off, off+len)} with the next key-stream bytes, in place. */
    public void apply(byte[] b, int off, int len) {
        if (len == 0) return;
        try {
            int n = cipher.update(b, off, len, b, off);
            if (n != len) throw new IllegalStateException("ARCFOUR returned " + n + " of " + len + " bytes");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A transformed copy of {@code b}. */
    public byte[] apply(byte[] b) {
        byte[] out = b.clone();
        apply(out, 0, out.length);
        return out;
    }

    /** One-shot RC4 of {@code data} under {@code key} (MS-NLMP 6, RC4K). */
    public static byte[] once(byte[] key, byte[] data) {
        return new Rc4(key).apply(data);
    }
}
