package dev.weft.security.kerberos;

import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * The Kerberos initiator, DCE style (MS-KILE 3.2.5.2, GSS_C_DCE_STYLE), as Windows does it for RPC and as Samba
 * requires before it will seal anything (its {@code gensec_unseal_packet} refuses a context without DCE style).
 *
 * <p>JGSS gets the service ticket and makes an ordinary AP-REQ (mutual authentication, confidentiality, integrity,
 * sequencing), which is never sent: JGSS cannot ask for DCE style. This class holds the ticket's session key (JGSS
 * leaves the ticket in the subject), so it re-makes the AP-REQ with the DCE-style flag and without GSS framing,
 * reads the acceptor's AP-REP itself, and answers it with an AP-REP of its own that echoes the acceptor's sequence
 * number (the third leg, sent in rpc_auth3, or in alter_context inside SPNEGO). The per-message work is {@link MessageTokens}.
 */
final class KerberosClientContext extends KerberosContext {

    private static final String KRB5_PRINCIPAL_NAME = "1.2.840.113554.1.2.2.1";

    private final KerberosCredentials credentials;
    private final Protection protection;
    private final String targetName;
    private ApMessages.DceApReq dceApReq;
    private byte[] ticketKey;
    private int ticketEtype;
    private byte[] key;
    private Identity identity;

    KerberosClientContext(KerberosCredentials credentials, Protection protection, String targetName) {
        this.credentials = credentials;
        this.protection = protection;
        this.targetName = targetName;
    }

    @Override
    public Step step(byte[] input) {
        requireIncomplete();
        if (dceApReq == null) {
            Subject subject = credentials.subject();
            byte[] apReq = as(subject, () -> {
                GSSManager m = GSSManager.getInstance();
                GSSName name = m.createName(targetName, new Oid(KRB5_PRINCIPAL_NAME));
                GSSContext gss = m.createContext(name, new Oid(KerberosProvider.OID), null, GSSContext.DEFAULT_LIFETIME);
                try {
                    gss.requestMutualAuth(true);
                    gss.requestInteg(true);
                    gss.requestConf(protection == Protection.CONFIDENTIALITY);
                    gss.requestSequenceDet(true);
                    gss.requestReplayDet(true);
                    return gss.initSecContext(new byte[0], 0, 0);
                } finally {
                    gss.dispose();                       // only its ticket and AP-REQ are wanted
                }
            });
            findTicketKey(subject, apReq);
            dceApReq = ApMessages.dceStyle(apReq, ticketEtype, ticketKey);
            return new Step.Continue(dceApReq.apReq());
        }
        ApMessages.KeyAndSeq mine = dceApReq.initiator();
        ApMessages.KeyAndSeq theirs = ApMessages.apRep(input, ticketEtype, ticketKey);
        // RFC 4120 3.2.5: mutual authentication holds when the acceptor could decrypt our Authenticator, which the
        // AP-REP proves by repeating its time under the session key.
        if (!Arrays.equals(theirs.ctime(), dceApReq.ctime()) || !Arrays.equals(theirs.cusec(), dceApReq.cusec())) {
            throw new SecurityContextException(Reason.INVALID_TOKEN, "the AP-REP does not repeat the Authenticator's time");
        }
        byte[] reply = ApMessages.dceStyleApRep(dceApReq, theirs, ticketEtype, ticketKey);
        establish(mine, theirs);
        return new Step.Complete(reply);
    }

    /** Finds the service ticket whose session key opens JGSS's AP-REQ. */
    private void findTicketKey(Subject subject, byte[] apReq) {
        List<KerberosTicket> tickets = new ArrayList<>(subject.getPrivateCredentials(KerberosTicket.class));
        for (KerberosTicket t : tickets) {
            int etype = t.getSessionKeyType();
            if (!EncryptionType.isSupported(etype) || t.getServer().getName().startsWith("krbtgt/")) continue;
            try {
                ApMessages.authenticator(apReq, etype, t.getSessionKey().getEncoded());
                ticketKey = t.getSessionKey().getEncoded();
                ticketEtype = etype;
                return;
            } catch (SecurityContextException notThisTicket) {
                // the authenticator is encrypted with another ticket's session key
            }
        }
        throw new SecurityContextException(Reason.UNSUPPORTED, "no service ticket in the subject opens the AP-REQ "
                + "with an implemented encryption type (AES or RC4-HMAC; DES is not implemented)");
    }

    /** The context key and sequence numbers, from the initiator's Authenticator and the acceptor's AP-REP. */
    private void establish(ApMessages.KeyAndSeq mine, ApMessages.KeyAndSeq theirs) {
        if (mine.seq() < 0 || theirs.seq() < 0) {
            throw new SecurityContextException(Reason.UNSUPPORTED, "AP-REQ or AP-REP without a sequence number");
        }
        boolean acceptorSubkey = theirs.subkey() != null;
        key = acceptorSubkey ? theirs.subkey() : mine.subkey() != null ? mine.subkey() : ticketKey;
        int keyType = acceptorSubkey ? theirs.etype() : mine.subkey() != null ? mine.etype() : ticketEtype;
        // MS-KILE 3.4.5.4.1: with GSS_WrapEx an AES sender sets EC to one block (16), RRC 28 (76-byte tokens); the
        // DCE-style acceptor (Heimdal's) expects exactly that. The initiator keeps the sequence number of its own
        // Authenticator for sending, although the third leg echoed the acceptor's (Heimdal's acceptor says so too).
        established(MessageTokens.of(keyType, key, true, acceptorSubkey, true, mine.seq(), theirs.seq()), keyType);
        KerberosPrincipal p = credentials.principal();
        String n = p.getName();
        int at = n.lastIndexOf('@');
        identity = new Identity(p.getRealm(), at < 0 ? n : n.substring(0, at), false);
    }

    private interface GssAction<T> {
        T run() throws GSSException;
    }

    private static <T> T as(Subject subject, GssAction<T> action) {
        try {
            return Subject.callAs(subject, action::run);
        } catch (CompletionException e) {
            if (e.getCause() instanceof GSSException g) throw gssFailure(g);
            if (e.getCause() instanceof SecurityContextException s) throw s;
            throw new SecurityContextException(Reason.INVALID_TOKEN, String.valueOf(e.getCause()));
        }
    }

    private static SecurityContextException gssFailure(GSSException e) {
        Reason r = switch (e.getMajor()) {
            case GSSException.NO_CRED, GSSException.CREDENTIALS_EXPIRED, GSSException.BAD_NAME -> Reason.LOGON_DENIED;
            case GSSException.BAD_MECH -> Reason.UNSUPPORTED;
            default -> Reason.INVALID_TOKEN;
        };
        SecurityContextException s = new SecurityContextException(r, "JGSS: " + e.getMessage());
        s.initCause(e);
        return s;
    }

    @Override
    public Protection negotiatedProtection() {
        established();
        // The flags were the ones asked for, and a DCE-style acceptor takes them or refuses the bind.
        return protection == Protection.CONFIDENTIALITY ? Protection.CONFIDENTIALITY : Protection.INTEGRITY;
    }

    @Override
    public Identity identity() {
        established();
        return identity;
    }

    @Override
    public byte[] sessionKey() {
        established();
        return key.clone();
    }

    @Override
    public int signatureLength() {
        return signatureLength(protection == Protection.CONFIDENTIALITY);
    }

}
