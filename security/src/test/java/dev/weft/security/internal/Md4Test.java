package dev.weft.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.security.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The test suite of RFC 1320 appendix A.5, and the NT hash of MS-NLMP 4.2.2.1.2. */
class Md4Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|31d6cfe0d16ae931b73c59d7e0c089c0",
            "a|bde52cb31de33e46245e05fbdbd6fb24",
            "abc|a448017aaf21d8525fc10ae87aa6729d",
            "message digest|d9130a8164549fe818874806e1c7014b",
            "abcdefghijklmnopqrstuvwxyz|d79e1c308aa5bbcdeea8ed63df412da9",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789|043f8582f241db351ce627e153e7f0e4",
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890"
                    + "|e33b4ddc9c38f2199c3e7b164fcc0536"})
    void rfc1320(String input, String digest) {
        assertEquals(digest, Hex.of(Md4.digest(input.getBytes(StandardCharsets.US_ASCII))));
    }

    @ParameterizedTest
    @CsvSource({"55", "56", "63", "64", "119", "120"})
    void paddingBoundariesMatchByteAtATimeDefinition(int length) {
        // Messages around the 56-byte padding boundary: the digest of n zero bytes must differ from n+1 and be stable.
        byte[] a = Md4.digest(new byte[length]);
        byte[] b = Md4.digest(new byte[length + 1]);
        assertEquals(16, a.length);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(a, b));
        assertEquals(Hex.of(a), Hex.of(Md4.digest(new byte[length])));
    }

    @org.junit.jupiter.api.Test
    void ntHashOfPassword() {
        // MS-NLMP 4.2.2.1.2, NTOWFv1("Password").
        assertEquals("a4f49c406510bdcab6824ee7c30fd852", Hex.of(Md4.ofUnicode("Password")));
    }
}
