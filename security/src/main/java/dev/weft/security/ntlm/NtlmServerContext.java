package dev.weft.security.ntlm;

import static dev.weft.security.ntlm.NtlmFlags.*;

import dev.weft.security.Identity;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Step;
import dev.weft.security.internal.Le;
import dev.weft.security.internal.Rc4;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The NTLM server (MS-NLMP 3.2.5): answers a NEGOTIATE_MESSAGE with a CHALLENGE_MESSAGE carrying the target info
 * and a timestamp, then checks the client's NTLMv2 response against the {@link NtlmCredentialSource}, the
 * timestamp against the allowed skew, and the MIC when the client announced one. Only NTLMv2 with extended
 * session security is accepted; an NTLMv1 response is a refused logon.
 */
final class NtlmServerContext extends NtlmContext {

    /** NTProofStr (16) + the fixed part of NTLMv2_CLIENT_CHALLENGE (28) + MsvAvEOL (4). */
    private static final int MIN_V2_RESPONSE = 16 + 28 + 4;

    /** The bits a server grants when the client asks for them. */
    private static final int GRANTABLE = NEGOTIATE_SIGN | NEGOTIATE_SEAL | NEGOTIATE_ALWAYS_SIGN | NEGOTIATE_128
            | NEGOTIATE_56 | NEGOTIATE_KEY_EXCH | NEGOTIATE_VERSION | REQUEST_TARGET;

    private final NtlmCredentialSource source;
    private final NtlmServerConfig config;
    private final Random random;
    private byte[] negotiate;
    private byte[] challenge;
    private byte[] serverChallenge;
    private int challengeFlags;

    NtlmServerContext(NtlmCredentialSource source, NtlmServerConfig config, Random random) {
        this.source = source;
        this.config = config;
        this.random = random;
    }

    @Override
    public Step step(byte[] input) {
        requireIncomplete();
        if (input == null || input.length == 0) throw SecurityContextException.invalidToken("empty NTLM token");
        return negotiate == null ? challenge(input.clone()) : authenticate(input.clone());
    }

    private Step challenge(byte[] negotiateBytes) {
        int client = NtlmMessages.Negotiate.decode(negotiateBytes).flags();
        if (!has(client, NEGOTIATE_UNICODE)) {
            throw new SecurityContextException(Reason.UNSUPPORTED, "the client does not offer Unicode");
        }
        if (!has(client, NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
            throw new SecurityContextException(Reason.UNSUPPORTED,
                    "the client does not offer extended session security (NTLMv1 session security is refused)");
        }
        negotiate = negotiateBytes;
        challengeFlags = NEGOTIATE_UNICODE | NEGOTIATE_NTLM | NEGOTIATE_TARGET_INFO
                | NEGOTIATE_EXTENDED_SESSIONSECURITY | TARGET_TYPE_DOMAIN | (client & GRANTABLE);
        serverChallenge = new byte[8];
        random.nextBytes(serverChallenge);
        List<AvPairs.Pair> info = new ArrayList<>();
        info.add(new AvPairs.Pair(AvPairs.MSV_AV_NB_DOMAIN_NAME, AvPairs.text(config.netbiosDomain())));
        info.add(new AvPairs.Pair(AvPairs.MSV_AV_NB_COMPUTER_NAME, AvPairs.text(config.netbiosComputer())));
        if (!config.dnsDomain().isEmpty()) {
            info.add(new AvPairs.Pair(AvPairs.MSV_AV_DNS_DOMAIN_NAME, AvPairs.text(config.dnsDomain())));
        }
        if (!config.dnsComputer().isEmpty()) {
            info.add(new AvPairs.Pair(AvPairs.MSV_AV_DNS_COMPUTER_NAME, AvPairs.text(config.dnsComputer())));
        }
        byte[] time = new byte[8];
        Le.put64(time, 0, NtlmCrypto.fileTime(config.clock().millis()));
        info.add(new AvPairs.Pair(AvPairs.MSV_AV_TIMESTAMP, time));
        challenge = new NtlmMessages.Challenge(challengeFlags, config.netbiosDomain(), serverChallenge,
                new AvPairs(info)).encode();
        return new Step.Continue(challenge.clone());
    }

    private Step authenticate(byte[] authBytes) {
        NtlmMessages.Authenticate auth = NtlmMessages.Authenticate.decode(authBytes);
        int negotiated = challengeFlags & (auth.flags() | ~(NEGOTIATE_KEY_EXCH | NEGOTIATE_SIGN | NEGOTIATE_SEAL
                | NEGOTIATE_128 | NEGOTIATE_56));
        if (isAnonymous(auth)) {
            if (!config.allowAnonymous()) throw new SecurityContextException(Reason.LOGON_DENIED, "anonymous logon refused");
            established(negotiated & ~NEGOTIATE_KEY_EXCH, null, Identity.ANONYMOUS, false, false);
            return new Step.Complete(new byte[0]);
        }
        byte[] nt = auth.ntResponse();
        if (nt.length < MIN_V2_RESPONSE) {
            // 24 bytes is an NTLMv1 response; anything else short is garbage. Both are a refused logon.
            throw new SecurityContextException(Reason.LOGON_DENIED, "not an NTLMv2 response (" + nt.length + " bytes)");
        }
        byte[] temp = Arrays.copyOfRange(nt, 16, nt.length);
        if (temp[0] != 1 || temp[1] != 1) throw SecurityContextException.invalidToken("NTLMv2_CLIENT_CHALLENGE version");
        AvPairs clientPairs = AvPairs.decode(temp, 28, temp.length - 28);

        Optional<byte[]> hash = source.ntHash(auth.domain(), auth.user());
        if (hash.isEmpty()) throw new SecurityContextException(Reason.LOGON_DENIED, "unknown user or wrong password");
        byte[] responseKey = NtlmCrypto.ntowfv2(hash.get(), auth.user(), auth.domain());
        byte[] proof = NtlmCrypto.hmacMd5(responseKey, serverChallenge, temp);
        if (!MessageDigest.isEqual(proof, Arrays.copyOf(nt, 16))) {
            throw new SecurityContextException(Reason.LOGON_DENIED, "unknown user or wrong password");
        }
        long skew = Math.abs(NtlmCrypto.fileTime(config.clock().millis()) - Le.u64(temp, 8)) / 10_000L;
        if (skew > config.maxClockSkew().toMillis()) {
            throw new SecurityContextException(Reason.LOGON_DENIED, "NTLMv2 timestamp " + skew + " ms off");
        }
        byte[] keyExchangeKey = NtlmCrypto.hmacMd5(responseKey, proof);
        byte[] exported = keyExchangeKey;
        if (has(negotiated, NEGOTIATE_KEY_EXCH)) {
            if (auth.encryptedRandomSessionKey().length != 16) {
                throw SecurityContextException.invalidToken("EncryptedRandomSessionKey of "
                        + auth.encryptedRandomSessionKey().length + " bytes");
            }
            exported = Rc4.once(keyExchangeKey, auth.encryptedRandomSessionKey());
        }
        boolean mic = (clientPairs.flags() & AvPairs.AV_FLAG_MIC_PRESENT) != 0;
        if (mic) {
            if (auth.mic() == null) throw SecurityContextException.invalidToken("MsvAvFlags announces a MIC but there is none");
            byte[] zeroed = authBytes.clone();
            Arrays.fill(zeroed, NtlmMessages.MIC_OFFSET, NtlmMessages.MIC_OFFSET + 16, (byte) 0);
            byte[] expected = NtlmCrypto.hmacMd5(exported, negotiate, challenge, zeroed);
            if (!MessageDigest.isEqual(expected, auth.mic())) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "the AUTHENTICATE_MESSAGE MIC does not match");
            }
        }
        established(negotiated, exported, new Identity(auth.domain(), auth.user(), false), false, mic);
        return new Step.Complete(new byte[0]);
    }

    /** MS-NLMP 3.2.5.1.2: no user, no NT response, and an LM response that is empty or Z(1). */
    private static boolean isAnonymous(NtlmMessages.Authenticate auth) {
        byte[] lm = auth.lmResponse();
        return auth.user().isEmpty() && auth.ntResponse().length == 0
                && (lm.length == 0 || (lm.length == 1 && lm[0] == 0));
    }
}
