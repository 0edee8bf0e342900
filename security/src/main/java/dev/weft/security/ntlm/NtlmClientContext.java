package dev.weft.security.ntlm;

import static dev.weft.security.ntlm.NtlmFlags.*;

import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Step;
import dev.weft.security.internal.Le;
import dev.weft.security.internal.Rc4;
import java.time.Clock;
import java.util.Random;

/**
 * The NTLM client (MS-NLMP 3.1.5): NEGOTIATE_MESSAGE, then, from the CHALLENGE_MESSAGE, an NTLMv2
 * AUTHENTICATE_MESSAGE with extended session security, key exchange and a MIC over the three messages
 * (MsvAvFlags 0x2 in the response's AV pairs). Anonymous credentials send the null-session AUTHENTICATE_MESSAGE.
 */
final class NtlmClientContext extends NtlmContext {

    private final NtlmCredentials credentials;
    private final Protection protection;
    private final String targetName;
    private final Random random;
    private final Clock clock;
    private byte[] negotiate; // the NEGOTIATE_MESSAGE as sent, for the MIC

    NtlmClientContext(NtlmCredentials credentials, Protection protection, String targetName, Random random,
                      Clock clock) {
        this.credentials = credentials;
        this.protection = protection;
        this.targetName = targetName;
        this.random = random;
        this.clock = clock;
    }

    /** The flags Weft asks for: NTLMv2 with ESS, 128-bit keys, key exchange, signing always, sealing for privacy. */
    private int requestedFlags() {
        int f = NEGOTIATE_UNICODE | REQUEST_TARGET | NEGOTIATE_NTLM | NEGOTIATE_ALWAYS_SIGN
                | NEGOTIATE_EXTENDED_SESSIONSECURITY | NEGOTIATE_VERSION | NEGOTIATE_128 | NEGOTIATE_56
                | NEGOTIATE_KEY_EXCH | NEGOTIATE_SIGN;
        if (protection == Protection.CONFIDENTIALITY) f |= NEGOTIATE_SEAL;
        return f;
    }

    @Override
    public Step step(byte[] input) {
        requireIncomplete();
        if (negotiate == null) {
            if (input != null && input.length != 0) {
                throw SecurityContextException.invalidToken("the NTLM client starts without an input token");
            }
            negotiate = new NtlmMessages.Negotiate(requestedFlags()).encode();
            return new Step.Continue(negotiate.clone());
        }
        byte[] challengeBytes = input.clone();
        NtlmMessages.Challenge challenge = NtlmMessages.Challenge.decode(challengeBytes);
        int negotiated = challenge.flags() & requestedFlags();
        checkCapabilities(negotiated);
        if (credentials.isAnonymous()) return anonymous(negotiated);

        byte[] responseKey = NtlmCrypto.ntowfv2(credentials.ntHash(), credentials.user(), credentials.domain());
        byte[] clientChallenge = randomBytes(8);
        byte[] serverTime = challenge.targetInfo().get(AvPairs.MSV_AV_TIMESTAMP);
        long time = serverTime != null && serverTime.length == 8 ? Le.u64(serverTime, 0)
                : NtlmCrypto.fileTime(clock.millis());
        // Our copy of the target info: the server's, plus MsvAvFlags saying a MIC follows (3.1.5.1.2), plus the
        // SPN of the target when known.
        AvPairs pairs = challenge.targetInfo().with(AvPairs.MSV_AV_FLAGS,
                AvPairs.u32(challenge.targetInfo().flags() | AvPairs.AV_FLAG_MIC_PRESENT));
        if (targetName != null && !targetName.isEmpty()) {
            pairs = pairs.with(AvPairs.MSV_AV_TARGET_NAME, AvPairs.text(targetName));
        }
        NtlmCrypto.V2Response r = NtlmCrypto.v2Response(responseKey, challenge.serverChallenge(), clientChallenge,
                time, pairs.encode());
        // With a server timestamp the client SHOULD send Z(24) as LmChallengeResponse (3.3.2).
        byte[] lm = serverTime != null ? new byte[24] : r.lmResponse();
        byte[] keyExchangeKey = r.sessionBaseKey(); // KXKEY for NTLMv2 (3.4.5.1)
        byte[] exported;
        byte[] encryptedKey;
        if (has(negotiated, NEGOTIATE_KEY_EXCH)) {
            exported = randomBytes(16);
            encryptedKey = Rc4.once(keyExchangeKey, exported);
        } else {
            exported = keyExchangeKey;
            encryptedKey = new byte[0];
        }
        NtlmMessages.Authenticate auth = new NtlmMessages.Authenticate(negotiated, lm, r.ntResponse(),
                credentials.domain(), credentials.user(), credentials.workstation(), encryptedKey, null);
        byte[] authBytes = auth.encode();
        byte[] mic = NtlmCrypto.hmacMd5(exported, negotiate, challengeBytes, authBytes);
        System.arraycopy(mic, 0, authBytes, NtlmMessages.MIC_OFFSET, 16);
        established(negotiated, exported, new Identity(credentials.domain(), credentials.user(), false), true, true);
        return new Step.Complete(authBytes);
    }

    /** The null session (3.2.5.1.2): empty names, LmChallengeResponse Z(1), no NT response, no key. */
    private Step anonymous(int negotiated) {
        int flags = (negotiated | ANONYMOUS) & ~NEGOTIATE_KEY_EXCH;
        byte[] auth = new NtlmMessages.Authenticate(flags, new byte[1], new byte[0], "", "",
                credentials.workstation(), new byte[0], null).encode();
        established(flags, null, Identity.ANONYMOUS, true, false);
        return new Step.Complete(auth);
    }

    /** The server's answer must allow what this context was asked to do (MS-RPCE 3.3.1.5.2.2). */
    private void checkCapabilities(int negotiated) {
        if (!has(negotiated, NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
            throw new SecurityContextException(Reason.UNSUPPORTED,
                    "the server refused extended session security (NTLMv1 session security is not supported)");
        }
        if (credentials.isAnonymous()) return;
        if (protection != Protection.AUTHENTICATION && !has(negotiated, NEGOTIATE_SIGN)) {
            throw new SecurityContextException(Reason.UNSUPPORTED, "the server refused signing");
        }
        if (protection == Protection.CONFIDENTIALITY
                && (!has(negotiated, NEGOTIATE_SEAL) || !has(negotiated, NEGOTIATE_128))) {
            throw new SecurityContextException(Reason.UNSUPPORTED, "the server refused 128-bit sealing");
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
