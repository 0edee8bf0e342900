package dev.weft.security.kerberos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fuzzer's way to the Kerberos acceptor's package-private pieces: a service key set made in memory (instead of a
 * keytab file), the RFC 3961/3962 encryption to make tickets and Authenticators with, and the acceptor's sequence
 * number read back from its AP-REP. It sits in the security module's package inside the class-path-only fuzz module
 * (never deployed), as {@code KerberosAcceptorTest} does in the security module's tests; if those pieces change,
 * this fails to compile rather than at run time.
 */
public final class KerberosFuzzAccess {
    public static final int AES128 = AesCts.AES128;
    public static final int AES256 = AesCts.AES256;
    public static final int RC4_HMAC = Rc4Hmac.ETYPE;
    public static final int USAGE_TICKET = ApMessages.USAGE_TICKET;
    public static final int USAGE_AUTHENTICATOR = ApMessages.USAGE_AP_REQ_AUTHENTICATOR;
    public static final int USAGE_AP_REP = ApMessages.USAGE_AP_REP_ENCPART;
    public static final int GSS_C_DCE_STYLE = ApMessages.GSS_C_DCE_STYLE;

    /** Fixed confounders: the fuzzer's inputs decide everything, so an execution can be replayed exactly. */
    private static final byte[] CONFOUNDER = new byte[AesCts.BLOCK];
    private static final byte[] RC4_CONFOUNDER = new byte[Rc4Hmac.CONFOUNDER];

    private KerberosFuzzAccess() {
    }

    /** An acceptor for {@code principal} with these keys (etype → key), all of key version {@code kvno}. */
    public static KerberosProvider acceptor(String principal, int kvno, Map<Integer, byte[]> keys) {
        List<ServiceKeys.Key> list = new ArrayList<>();
        keys.forEach((etype, key) -> list.add(new ServiceKeys.Key(etype, kvno, key)));
        return KerberosProvider.server(new ServiceKeys(principal, list));
    }

    /** RFC 3961 encryption with a key of type {@code etype} (AES128, AES256 or RC4-HMAC) for key usage {@code usage}. */
    public static byte[] encrypt(int etype, byte[] key, int usage, byte[] plaintext) {
        return etype == RC4_HMAC ? Rc4Hmac.encrypt(key, usage, RC4_CONFOUNDER, plaintext)
                : AesCts.encrypt(key, usage, CONFOUNDER, plaintext);
    }

    /** The acceptor's sequence number in its AP-REP (framed or not), decrypted with the ticket session key. */
    public static long acceptorSeq(byte[] apRep, int etype, byte[] sessionKey) {
        return ApMessages.apRep(apRep, etype, sessionKey).seq();
    }

    /** RFC 4121 4.1 framing of a Kerberos message. */
    public static byte[] frame(byte[] message, int tokId) {
        return ApMessages.frame(message, tokId);
    }
}
