package dev.weft.security.internal;

import java.nio.charset.StandardCharsets;

/**
 * MD4 (RFC 1320), which the JDK does not provide and NTLM needs for the NT hash (MS-NLMP 3.3.1, NTOWFv1 =
 * MD4(UNICODE(password))). Written from the RFC; one-shot only, since NTLM hashes short passwords.
 */
public final class Md4 {

    private Md4() {
    }

    /** MD4 of {@code data}. */
    public static byte[] digest(byte[] data) {
        int a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
        // Padding (RFC 1320 3.1-3.2): 0x80, zeros to 56 mod 64, then the bit length as 64-bit little-endian.
        long bits = (long) data.length * 8;
        int padded = ((data.length + 8) / 64 + 1) * 64;
        byte[] m = new byte[padded];
        System.arraycopy(data, 0, m, 0, data.length);
        m[data.length] = (byte) 0x80;
        for (int i = 0; i < 8; i++) m[padded - 8 + i] = (byte) (bits >>> (8 * i));
        int[] x = new int[16];
        for (int block = 0; block < padded; block += 64) {
            for (int i = 0; i < 16; i++) x[i] = Le.u32(m, block + 4 * i);
            int aa = a, bb = b, cc = c, dd = d;
            // Round 1: F(x,y,z) = xy | ~x z
            for (int i = 0; i < 16; i += 4) {
                a = Integer.rotateLeft(a + ((b & c) | (~b & d)) + x[i], 3);
                d = Integer.rotateLeft(d + ((a & b) | (~a & c)) + x[i + 1], 7);
                c = Integer.rotateLeft(c + ((d & a) | (~d & b)) + x[i + 2], 11);
                b = Integer.rotateLeft(b + ((c & d) | (~c & a)) + x[i + 3], 19);
            }
            // Round 2: G(x,y,z) = xy | xz | yz, constant 0x5A827999, words in column order.
            for (int i = 0; i < 4; i++) {
                a = Integer.rotateLeft(a + ((b & c) | (b & d) | (c & d)) + x[i] + 0x5A827999, 3);
                d = Integer.rotateLeft(d + ((a & b) | (a & c) | (b & c)) + x[i + 4] + 0x5A827999, 5);
                c = Integer.rotateLeft(c + ((d & a) | (d & b) | (a & b)) + x[i + 8] + 0x5A827999, 9);
                b = Integer.rotateLeft(b + ((c & d) | (c & a) | (d & a)) + x[i + 12] + 0x5A827999, 13);
            }
            // Round 3: H(x,y,z) = x ^ y ^ z, constant 0x6ED9EBA1, words in bit-reversed order.
            int[] order = {0, 2, 1, 3};
            for (int i : order) {
                a = Integer.rotateLeft(a + (b ^ c ^ d) + x[i] + 0x6ED9EBA1, 3);
                d = Integer.rotateLeft(d + (a ^ b ^ c) + x[i + 8] + 0x6ED9EBA1, 9);
                c = Integer.rotateLeft(c + (d ^ a ^ b) + x[i + 4] + 0x6ED9EBA1, 11);
                b = Integer.rotateLeft(b + (c ^ d ^ a) + x[i + 12] + 0x6ED9EBA1, 15);
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }
        byte[] out = new byte[16];
        Le.put32(out, 0, a);
        Le.put32(out, 4, b);
        Le.put32(out, 8, c);
        Le.put32(out, 12, d);
        return out;
    }

    /** MD4 of the UTF-16LE encoding of {@code text}: the NT hash of a password. */
    public static byte[] ofUnicode(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_16LE));
    }
}
