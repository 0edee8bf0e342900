package dev.weft.security.ntlm;

import dev.weft.security.internal.Md4;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The NTLMv2 one-way functions and key derivations (MS-NLMP 3.3.2, 3.4.5, section 6). */
final class NtlmCrypto {

    private static final byte[] CLIENT_SIGN = magic("session key to client-to-server signing key magic constant");
    private static final byte[] SERVER_SIGN = magic("session key to server-to-client signing key magic constant");
    private static final byte[] CLIENT_SEAL = magic("session key to client-to-server sealing key magic constant");
    private static final byte[] SERVER_SEAL = magic("session key to server-to-client sealing key magic constant");

    private NtlmCrypto() {
    }

    /** The constant with its terminating NUL, which MS-NLMP 3.4.5.2 includes in the MD5 input. */
    private static byte[] magic(String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[a.length + 1];
        System.arraycopy(a, 0, z, 0, a.length);
        return z;
    }

    static byte[] ntHash(String password) {
        return Md4.ofUnicode(password);
    }

    /**
     * NTOWFv2 (3.3.2): HMAC_MD5(NT hash, UNICODE(Uppercase(User) + UserDom)). The domain keeps its case. Uppercasing
     * uses the root locale, as Windows' invariant upper-casing does.
     */
    static byte[] ntowfv2(byte[] ntHash, String user, String domain) {
        return hmacMd5(ntHash, (user.toUpperCase(Locale.ROOT) + domain).getBytes(StandardCharsets.UTF_16LE));
    }

    static byte[] hmacMd5(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            for (byte[] p : parts) mac.update(p);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 is missing from the JDK", e);
        }
    }

    static byte[] md5(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) md.update(p);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is missing from the JDK", e);
        }
    }

    /** SIGNKEY (3.4.5.2) for the client-to-server ({@code clientToServer}) or the other direction. */
    static byte[] signKey(byte[] exportedSessionKey, boolean clientToServer) {
        return md5(exportedSessionKey, clientToServer ? CLIENT_SIGN : SERVER_SIGN);
    }

    /**
     * SEALKEY (3.4.5.3) with extended session security: the session key cut to 16, 7 or 5 bytes by the 128 and 56
     * flags, then MD5 with the direction's constant.
     */
    static byte[] sealKey(byte[] exportedSessionKey, int flags, boolean clientToServer) {
        int n = NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_128) ? 16 : NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_56) ? 7 : 5;
        byte[] k = java.util.Arrays.copyOf(exportedSessionKey, n);
        return md5(k, clientToServer ? CLIENT_SEAL : SERVER_SEAL);
    }

    /** Windows FILETIME (100 ns since 1601-01-01) of a Java epoch-millisecond time. */
    static long fileTime(long epochMillis) {
        return (epochMillis + 11_644_473_600_000L) * 10_000L;
    }

    /**
     * The NTLMv2 response of 3.3.2 for given inputs.
     *
     * @param ntResponse     NTProofStr ‖ temp
     * @param lmResponse     HMAC_MD5(ResponseKeyLM, ServerChallenge ‖ ClientChallenge) ‖ ClientChallenge
     * @param sessionBaseKey HMAC_MD5(ResponseKeyNT, NTProofStr)
     */
    record V2Response(byte[] ntProofStr, byte[] ntResponse, byte[] lmResponse, byte[] sessionBaseKey) {
    }

    /**
     * ComputeResponse for NTLMv2 (3.3.2): temp = RespType 1, HiRespType 1, Z(6), Time, ClientChallenge,
     * Z(4), ServerName (the AV pairs, ending in MsvAvEOL), Z(4).
     */
    static V2Response v2Response(byte[] responseKeyNT, byte[] serverChallenge, byte[] clientChallenge, long time,
                                 byte[] avPairs) {
        byte[] temp = new byte[28 + avPairs.length + 4];
        temp[0] = 1;
        temp[1] = 1;
        dev.weft.security.internal.Le.put64(temp, 8, time);
        System.arraycopy(clientChallenge, 0, temp, 16, 8);
        System.arraycopy(avPairs, 0, temp, 28, avPairs.length);
        byte[] proof = hmacMd5(responseKeyNT, serverChallenge, temp);
        byte[] nt = new byte[16 + temp.length];
        System.arraycopy(proof, 0, nt, 0, 16);
        System.arraycopy(temp, 0, nt, 16, temp.length);
        byte[] lmMac = hmacMd5(responseKeyNT, serverChallenge, clientChallenge);
        byte[] lm = new byte[24];
        System.arraycopy(lmMac, 0, lm, 0, 16);
        System.arraycopy(clientChallenge, 0, lm, 16, 8);
        return new V2Response(proof, nt, lm, hmacMd5(responseKeyNT, proof));
    }
}
