package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.security.Hex;
import dev.weft.security.SecurityContextException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 3961 appendix A.1 (n-fold) and RFC 3962 appendix B (string-to-key, CTS) known answers. */
class AesCtsKnownAnswerTest {

    @ParameterizedTest(name = "{1}-fold({0})")
    @CsvSource({
            "012345, 64, be072631276b1955",
            "password, 56, 78a07b6caf85fa",
            "'Rough Consensus, and Running Code', 64, bb6ed30870b7f0e0",
            "password, 168, 59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e",
            "MASSACHVSETTS INSTITVTE OF TECHNOLOGY, 192, db3b0d8f0b061e603282b308a50841229ad798fab9540c1b",
            "Q, 168, 518a54a215a8452a518a54a215a8452a518a54a215",
            "ba, 168, fb25d531ae8974499f52fd92ea9857c4ba24cf297e",
            "kerberos, 64, 6b65726265726f73",
            "kerberos, 128, 6b65726265726f737b9b5b2b93132b93",
            "kerberos, 168, 8372c236344e5f1550cd0747e15d62ca7a5a3bcea4",
            "kerberos, 256, 6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4"})
    void nfold(String input, int bits, String expected) {
        assertEquals(expected, Hex.of(AesCts.nfold(input.getBytes(StandardCharsets.US_ASCII), bits / 8)));
    }

    @ParameterizedTest(name = "{0} iterations, etype {1}")
    @CsvSource({
            "1, 17, 42263c6e89f4fc28b8df68ee09799f15",
            "1, 18, fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161",
            "2, 17, c651bf29e2300ac27fa469d693bdda13",
            "2, 18, a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff",
            "1200, 17, 4c01cd46d632d01e6dbe230a01ed642a",
            "1200, 18, 55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff16280382b8c2a"})
    void stringToKey(int iterations, int etype, String expected) {
        assertEquals(expected, Hex.of(AesCts.stringToKey("password".toCharArray(), "ATHENA.MIT.EDUraeburn", iterations,
                etype)));
    }

    /** RFC 3962 appendix B: AES-128 "chicken teriyaki", IV zero, the first vectors (17 and 32 bytes). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "4920776f756c64206c696b652074686520, c6353568f2bf8cb4d8a580362da7ff7f97",
            "4920776f756c64206c696b65207468652047656e6572616c20476175277320,"
                    + " fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5",
            "4920776f756c64206c696b65207468652047656e6572616c2047617527732043,"
                    + " 39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584"})
    void cts(String plain, String cipher) {
        byte[] key = "chicken teriyaki".getBytes(StandardCharsets.US_ASCII);
        byte[] b = Hex.bytes(plain);
        AesCts.cts(key, b, true);
        assertEquals(cipher, Hex.of(b));
        AesCts.cts(key, b, false);
        assertEquals(plain, Hex.of(b));
    }

    @Test
    void encryptDecryptRoundTripAndTamperDetection() {
        byte[] key = AesCts.stringToKey("x".toCharArray(), "REALMuser", 4096, AesCts.AES256);
        byte[] ct = AesCts.encrypt(key, 11, AesCts.confounder(), "hello kerberos".getBytes(StandardCharsets.US_ASCII));
        assertEquals(16 + 14 + 12, ct.length);
        assertArrayEquals("hello kerberos".getBytes(StandardCharsets.US_ASCII), AesCts.decrypt(key, 11, ct));
        assertThrows(SecurityContextException.class, () -> AesCts.decrypt(key, 12, ct));
        ct[20] ^= 1;
        assertThrows(SecurityContextException.class, () -> AesCts.decrypt(key, 11, ct));
    }
}
