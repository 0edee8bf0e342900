package dev.weft.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.security.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Rc4Test {

    @Test
    void classicVector() {
        // The widely published RC4 vector: key "Secret", plaintext "Attack at dawn". (SunJCE refuses keys under
        // 40 bits, so the 3-byte "Key" vector cannot run; NTLM's RC4 keys are always 16 bytes.)
        assertEquals("45a01f645fc35b383552544b9bf5", Hex.of(Rc4.once("Secret".getBytes(StandardCharsets.US_ASCII),
                "Attack at dawn".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void rfc6229FortyBitKey() {
        // RFC 6229 section 2, key 0x0102030405, key-stream bytes 0-15.
        assertEquals("b2396305f03dc027ccc3524a0a1118a8", Hex.of(Rc4.once(Hex.bytes("0102030405"), new byte[16])));
    }

    @Test
    void streamContinuesAcrossCalls() {
        byte[] key = Hex.bytes("0102030405");
        byte[] whole = Rc4.once(key, new byte[32]);
        Rc4 r = new Rc4(key);
        byte[] a = new byte[13];
        byte[] b = new byte[19];
        r.apply(a, 0, a.length);
        r.apply(b, 0, b.length);
        byte[] joined = new byte[32];
        System.arraycopy(a, 0, joined, 0, 13);
        System.arraycopy(b, 0, joined, 13, 19);
        assertArrayEquals(whole, joined);
    }
}
