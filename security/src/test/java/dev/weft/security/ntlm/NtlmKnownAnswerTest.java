package dev.weft.security.ntlm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.security.Hex;
import dev.weft.security.Region;
import dev.weft.security.internal.Rc4;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NTLMv2 examples of MS-NLMP 4.2.4 with the common values of 4.2.1: user "User", domain "Domain", password
 * "Password", server challenge 0123456789abcdef, client challenge aa*8, time 0, RandomSessionKey 55*16, target info
 * NetBIOS domain "Domain" and NetBIOS server "Server".
 */
class NtlmKnownAnswerTest {

    static final byte[] SERVER_CHALLENGE = Hex.bytes("0123456789abcdef");
    static final byte[] CLIENT_CHALLENGE = Hex.bytes("aaaaaaaaaaaaaaaa");
    static final byte[] RANDOM_SESSION_KEY = Hex.bytes("55555555555555555555555555555555");
    /** The challenge flags of 4.2.4: KEY_EXCH, 56, 128, VERSION, TARGET_INFO, ESS, TARGET_TYPE_SERVER, ALWAYS_SIGN,
     * NTLM, SEAL, SIGN, OEM, UNICODE. */
    static final int FLAGS = 0xe28a8233;

    static byte[] targetInfo() {
        return new AvPairs(List.of(
                new AvPairs.Pair(AvPairs.MSV_AV_NB_DOMAIN_NAME, AvPairs.text("Domain")),
                new AvPairs.Pair(AvPairs.MSV_AV_NB_COMPUTER_NAME, AvPairs.text("Server")))).encode();
    }

    static byte[] responseKey() {
        return NtlmCrypto.ntowfv2(NtlmCrypto.ntHash("Password"), "User", "Domain");
    }

    @Test
    void ntowfv2() { // 4.2.4.1.1
        assertEquals("0c868a403bfd7a93a3001ef22ef02e3f", Hex.of(responseKey()));
    }

    @Test
    void lmv2Response() { // 4.2.4.2.1
        var r = NtlmCrypto.v2Response(responseKey(), SERVER_CHALLENGE, CLIENT_CHALLENGE, 0, targetInfo());
        assertEquals("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa", Hex.of(r.lmResponse()));
    }

    @Test
    void ntProofStr() { // 4.2.4.2.2
        var r = NtlmCrypto.v2Response(responseKey(), SERVER_CHALLENGE, CLIENT_CHALLENGE, 0, targetInfo());
        assertEquals("68cd0ab851e51c96aabc927bebef6a1c", Hex.of(r.ntProofStr()));
    }

    @Test
    void sessionBaseKey() { // 4.2.4.1.2
        var r = NtlmCrypto.v2Response(responseKey(), SERVER_CHALLENGE, CLIENT_CHALLENGE, 0, targetInfo());
        assertEquals("8de40ccadbc14a82f15cb0ad0de95ca3", Hex.of(r.sessionBaseKey()));
    }

    @Test
    void encryptedSessionKey() { // 4.2.4.2.3: RC4K(KeyExchangeKey = SessionBaseKey, RandomSessionKey)
        var r = NtlmCrypto.v2Response(responseKey(), SERVER_CHALLENGE, CLIENT_CHALLENGE, 0, targetInfo());
        assertEquals("c5dad2544fc9799094ce1ce90bc9d03e", Hex.of(Rc4.once(r.sessionBaseKey(), RANDOM_SESSION_KEY)));
    }

    @Test
    void signAndSealKeys() { // 4.2.4.4
        assertEquals("59f600973cc4960a25480a7c196e4c58", Hex.of(NtlmCrypto.sealKey(RANDOM_SESSION_KEY, FLAGS, true)));
        assertEquals("4788dc861b4782f35d43fd98fe1a2d39", Hex.of(NtlmCrypto.signKey(RANDOM_SESSION_KEY, true)));
    }

    @Test
    void gssWrapEx() { // 4.2.4.4: "Plaintext" in UTF-16LE, sequence number 0, client to server
        NtlmSession session = new NtlmSession(RANDOM_SESSION_KEY, FLAGS, true);
        byte[] data = "Plaintext".getBytes(StandardCharsets.UTF_16LE);
        byte[] signature = session.seal(List.of(Region.data(data)));
        assertEquals("54e50165bf1936dc996020c1811b0f06fb5f", Hex.of(data));
        assertEquals("010000007fb38ec5c55d497600000000", Hex.of(signature));
    }

    @Test
    void gssWrapExUnsealsOnTheServer() {
        NtlmSession client = new NtlmSession(RANDOM_SESSION_KEY, FLAGS, true);
        NtlmSession server = new NtlmSession(RANDOM_SESSION_KEY, FLAGS, false);
        byte[] data = "Plaintext".getBytes(StandardCharsets.UTF_16LE);
        byte[] signature = client.seal(List.of(Region.data(data)));
        server.unseal(List.of(Region.data(data)), signature);
        assertEquals("Plaintext", new String(data, StandardCharsets.UTF_16LE));
    }

    @Test
    void checksumBeforeRc4() { // 4.2.4.4: HMAC_MD5(SigningKey, SeqNum ‖ Message)[0..7]
        byte[] mac = NtlmCrypto.hmacMd5(NtlmCrypto.signKey(RANDOM_SESSION_KEY, true), new byte[4],
                "Plaintext".getBytes(StandardCharsets.UTF_16LE));
        assertEquals("7035285 1f2564309".replace(" ", ""), Hex.of(java.util.Arrays.copyOf(mac, 8)));
    }
}
