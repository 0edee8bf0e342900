package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.security.Hex;
import dev.weft.security.Region;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4121 token layout and the MS-RPCE multi-buffer behaviour of {@link Cfx}. */
class CfxTest {

    static final byte[] KEY = AesCts.stringToKey("RpcTest-Passw0rd1".toCharArray(), "RPCTEST.LOCALrpcuser", 4096, AesCts.AES256);
    static final long CLIENT_SEQ = 0x12345678L, SERVER_SEQ = 0xCAFEBABEL;

    static Cfx client(boolean dce) {
        return new Cfx(KEY, true, true, dce, CLIENT_SEQ, SERVER_SEQ);
    }

    static Cfx server(boolean dce) {
        return new Cfx(KEY, false, true, dce, SERVER_SEQ, CLIENT_SEQ);
    }

    /** A PDU-shaped message: 24-byte header, 32-byte body, 8-byte sec_trailer. */
    static byte[] pdu() {
        byte[] b = new byte[64];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 7 + 1);
        return b;
    }

    static List<Region> regions(byte[] b, Region.Kind outside) {
        return List.of(new Region(b, 0, 24, outside), new Region(b, 24, 32, Region.Kind.DATA), new Region(b, 56, 8, outside));
    }

    @Test
    void micTokenLayoutIsRfc4121() {
        byte[] msg = "the mechListMIC input".getBytes(StandardCharsets.US_ASCII);
        byte[] token = client(false).getMic(List.of(Region.data(msg.clone())));
        assertEquals(28, token.length);
        // TOK_ID 04 04, flags AcceptorSubkey (initiator sends), filler, SND_SEQ big-endian
        assertEquals("0404" + "04" + "ffffffffff" + "0000000012345678", Hex.of(Arrays.copyOf(token, 16)));
        byte[] input = Arrays.copyOf(msg, msg.length + 16);
        System.arraycopy(token, 0, input, msg.length, 16);
        assertArrayEquals(AesCts.checksum(KEY, Cfx.INITIATOR_SIGN, input), Arrays.copyOfRange(token, 16, 28));
    }

    @Test
    void micRoundTripCoversSignOnlyButNotReadOnly() {
        Cfx c = client(false), s = server(false);
        byte[] b = pdu();
        byte[] mic = c.getMic(regions(b, Region.Kind.SIGN_ONLY));
        s.verifyMic(regions(b.clone(), Region.Kind.SIGN_ONLY), mic);
        byte[] b2 = pdu();
        byte[] mic2 = c.getMic(regions(b2, Region.Kind.READ_ONLY));
        b2[0] ^= 1; // READ_ONLY header: not covered
        s.verifyMic(regions(b2, Region.Kind.READ_ONLY), mic2);
        byte[] b3 = pdu();
        byte[] mic3 = c.getMic(regions(b3, Region.Kind.SIGN_ONLY));
        b3[0] ^= 1;
        SecurityContextException e = assertThrows(SecurityContextException.class,
                () -> s.verifyMic(regions(b3, Region.Kind.SIGN_ONLY), mic3));
        assertEquals(Reason.MESSAGE_ALTERED, e.reason());
    }

    @Test
    void replayedMicIsOutOfSequence() {
        Cfx c = client(false), s = server(false);
        byte[] mic = c.getMic(regions(pdu(), Region.Kind.SIGN_ONLY));
        s.verifyMic(regions(pdu(), Region.Kind.SIGN_ONLY), mic);
        SecurityContextException e = assertThrows(SecurityContextException.class,
                () -> s.verifyMic(regions(pdu(), Region.Kind.SIGN_ONLY), mic));
        assertEquals(Reason.OUT_OF_SEQUENCE, e.reason());
    }

    /**
     * With one DATA buffer the token is the RFC 4121 wrap token with RRC 28: un-rotated, the RFC 3961 ciphertext
     * decrypts (by the plain single-buffer decrypt) to data | filler | header with RRC 0.
     */
    @Test
    void wrapTokenIsARotatedRfc4121Token() {
        for (boolean dce : new boolean[] {false, true}) {
            byte[] data = pdu();
            byte[] token = client(dce).wrap(List.of(Region.data(data)));
            int ec = dce ? 16 : 0;
            assertEquals(dce ? 76 : 60, token.length);
            assertEquals("0504" + "06" + "ff" + String.format("%04x", ec) + "001c" + "0000000012345678",
                    Hex.of(Arrays.copyOf(token, 16)));
            assertFalse(Arrays.equals(pdu(), data), "encrypted in place");
            // rotated: header | E(tail: filler + header copy) | HMAC | E(confounder); data in between when unrotated
            byte[] ciphertext = new byte[16 + 64 + ec + 16 + 12];
            System.arraycopy(token, 16 + ec + 16 + 12, ciphertext, 0, 16);
            System.arraycopy(data, 0, ciphertext, 16, 64);
            System.arraycopy(token, 16, ciphertext, 80, ec + 16 + 12);
            byte[] plain = AesCts.decrypt(KEY, Cfx.INITIATOR_SEAL, ciphertext);
            assertArrayEquals(pdu(), Arrays.copyOf(plain, 64));
            byte[] header = Arrays.copyOf(token, 16);
            header[6] = 0;
            header[7] = 0;
            assertArrayEquals(header, Arrays.copyOfRange(plain, 64 + ec, 80 + ec));
        }
    }

    @Test
    void sealRoundTripEncryptsOnlyDataAndSignsHeaderAndTrailer() {
        for (boolean dce : new boolean[] {false, true}) {
            Cfx c = client(dce), s = server(dce);
            byte[] b = pdu();
            byte[] token = c.wrap(regions(b, Region.Kind.SIGN_ONLY));
            assertArrayEquals(Arrays.copyOf(pdu(), 24), Arrays.copyOf(b, 24), "header not encrypted");
            assertArrayEquals(Arrays.copyOfRange(pdu(), 56, 64), Arrays.copyOfRange(b, 56, 64), "trailer not encrypted");
            assertFalse(Arrays.equals(Arrays.copyOfRange(pdu(), 24, 56), Arrays.copyOfRange(b, 24, 56)));
            s.unwrap(regions(b, Region.Kind.SIGN_ONLY), token);
            assertArrayEquals(pdu(), b);

            byte[] b2 = pdu();
            byte[] t2 = c.wrap(regions(b2, Region.Kind.SIGN_ONLY));
            b2[60] ^= 1; // sec_trailer is signed
            assertEquals(Reason.MESSAGE_ALTERED, assertThrows(SecurityContextException.class,
                    () -> s.unwrap(regions(b2, Region.Kind.SIGN_ONLY), t2)).reason());
        }
    }

    @Test
    void theAcceptorCannotReadItsOwnTokens() {
        Cfx s = server(false);
        byte[] b = pdu();
        byte[] token = s.wrap(regions(b, Region.Kind.SIGN_ONLY));
        assertThrows(SecurityContextException.class, () -> server(false).unwrap(regions(b, Region.Kind.SIGN_ONLY), token));
        client(false).unwrap(regions(b, Region.Kind.SIGN_ONLY), token);
        assertArrayEquals(pdu(), b);
    }
}
