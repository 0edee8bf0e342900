package dev.weft.security.kerberos;

import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Step;
import java.util.Arrays;

/**
 * The Kerberos acceptor (RFC 4120 3.2.3, RFC 4121 4.1, MS-KILE 3.4.5): opens the ticket with the service key from
 * the keytab, checks the Authenticator, answers with an AP-REP that carries a fresh acceptor subkey and sequence
 * number, and, when the initiator asked for DCE style, takes the initiator's AP-REP as a third leg and checks that it
 * echoes that sequence number. The per-message work is {@link MessageTokens}, keyed with the acceptor subkey.
 */
final class KerberosServerContext extends KerberosContext {

    private final ServiceKeys keys;
    private ApMessages.Accepted accepted;
    private long acceptorSeq;
    private int subkeyType;
    private byte[] subkey;

    KerberosServerContext(ServiceKeys keys) {
        this.keys = keys;
    }

    @Override
    public Step step(byte[] input) {
        requireIncomplete();
        if (accepted == null) {
            accepted = ApMessages.accept(input, keys);
            chooseSubkey();
            acceptorSeq = ApMessages.randomSeq();
            byte[] apRep = ApMessages.acceptorApRep(accepted, subkeyType, subkey, acceptorSeq);
            if (accepted.dceStyle()) return new Step.Continue(apRep);
            establish();
            return new Step.Complete(ApMessages.frame(apRep, 0x0200));
        }
        // DCE style, third leg: the initiator's AP-REP, which must echo our sequence number (Heimdal checks the same).
        ApMessages.KeyAndSeq echo = ApMessages.apRep(input, accepted.sessionKeyType(), accepted.sessionKey());
        if (echo.seq() != acceptorSeq) {
            throw new SecurityContextException(Reason.INVALID_TOKEN, "the initiator's AP-REP does not echo the sequence number");
        }
        establish();
        return new Step.Complete(new byte[0]);
    }

    /**
     * The acceptor subkey that keys the context: with AES a fresh key of the session key's type; with RC4-HMAC the
     * initiator's subkey sent back, as Windows does for the RFC 4757 tokens (a fresh one when there is none).
     */
    private void chooseSubkey() {
        ApMessages.KeyAndSeq initiator = accepted.initiator();
        EncryptionType sessionType = EncryptionType.of(accepted.sessionKeyType());
        if (sessionType == EncryptionType.RC4_HMAC && initiator.subkey() != null && initiator.etype() == Rc4Hmac.ETYPE) {
            subkeyType = Rc4Hmac.ETYPE;
            subkey = initiator.subkey().clone();
        } else {
            subkeyType = sessionType.etype;
            subkey = sessionType.randomKey();
        }
    }

    private void establish() {
        if (accepted.initiatorSeq() < 0) {
            throw new SecurityContextException(Reason.UNSUPPORTED, "an Authenticator without a sequence number");
        }
        established(MessageTokens.of(subkeyType, subkey, false, true, accepted.dceStyle(), acceptorSeq,
                accepted.initiatorSeq()), subkeyType);
    }

    @Override
    public Protection negotiatedProtection() {
        established();
        return (accepted.gssFlags() & ApMessages.GSS_C_CONF_FLAG) != 0 ? Protection.CONFIDENTIALITY : Protection.INTEGRITY;
    }

    @Override
    public Identity identity() {
        established();
        KerbValidationInfo pac = accepted.logonInfo();
        if (pac == null) return new Identity(accepted.clientRealm(), accepted.clientName(), false);
        return new Identity(accepted.clientRealm(), accepted.clientName(), false, pac.userSid(), pac.groupSids());
    }

    @Override
    public byte[] sessionKey() {
        established();
        return Arrays.copyOf(subkey, subkey.length);
    }

    @Override
    public int signatureLength() {
        return signatureLength(negotiatedProtection() == Protection.CONFIDENTIALITY);
    }

}
