package dev.weft.security.kerberos;

import com.sun.security.jgss.ExtendedGSSContext;
import com.sun.security.jgss.InquireType;
import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Step;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.EncryptionKey;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * The Kerberos initiator: JGSS makes the AP-REQ (mutual authentication, confidentiality, integrity, sequencing) and
 * checks the AP-REP; then this class decrypts both (it holds the service ticket's session key, which JGSS left in
 * the subject) to learn the context key and the two initial sequence numbers, and does the per-message work with
 * {@link Cfx}. The key it finds is checked against the one JGSS reports (KRB5_GET_SESSION_KEY_EX).
 */
final class KerberosClientContext implements SecurityContext {

    private static final String KRB5_PRINCIPAL_NAME = "1.2.840.113554.1.2.2.1";

    private final KerberosCredentials credentials;
    private final Protection protection;
    private final String targetName;
    private GSSContext gss;
    private byte[] apReq;
    private volatile Cfx cfx;
    private byte[] key;
    private Identity identity;

    KerberosClientContext(KerberosCredentials credentials, Protection protection, String targetName) {
        this.credentials = credentials;
        this.protection = protection;
        this.targetName = targetName;
    }

    @Override
    public int authType() {
        return KerberosProvider.AUTH_TYPE;
    }

    @Override
    public Step step(byte[] input) {
        if (cfx != null) throw new IllegalStateException("the Kerberos context is already established");
        Subject subject = credentials.subject();
        if (gss == null) {
            apReq = as(subject, () -> {
                GSSManager m = GSSManager.getInstance();
                GSSName name = m.createName(targetName, new Oid(KRB5_PRINCIPAL_NAME));
                gss = m.createContext(name, new Oid(KerberosProvider.OID), null, GSSContext.DEFAULT_LIFETIME);
                gss.requestMutualAuth(true);
                gss.requestInteg(true);
                gss.requestConf(protection == Protection.CONFIDENTIALITY);
                gss.requestSequenceDet(true);
                gss.requestReplayDet(true);
                return gss.initSecContext(new byte[0], 0, 0);
            });
            return new Step.Continue(apReq);
        }
        byte[] out = as(subject, () -> gss.initSecContext(input, 0, input.length));
        if (!gss.isEstablished()) {
            // JGSS has no DCE style: a peer that wants a third leg is out of reach.
            throw new SecurityContextException(Reason.UNSUPPORTED, "JGSS did not complete after the AP-REP");
        }
        established(subject, input);
        return new Step.Complete(out == null ? new byte[0] : out);
    }

    private void established(Subject subject, byte[] apRep) {
        List<KerberosTicket> tickets = new ArrayList<>(subject.getPrivateCredentials(KerberosTicket.class));
        ApMessages.KeyAndSeq mine = null;
        byte[] ticketKey = null;
        for (KerberosTicket t : tickets) {
            int etype = t.getSessionKeyType();
            if ((etype != AesCts.AES128 && etype != AesCts.AES256) || t.getServer().getName().startsWith("krbtgt/")) continue;
            try {
                mine = ApMessages.authenticator(apReq, t.getSessionKey().getEncoded());
                ticketKey = t.getSessionKey().getEncoded();
                break;
            } catch (SecurityContextException notThisTicket) {
                // the authenticator is encrypted with another ticket's session key
            }
        }
        if (ticketKey == null) {
            throw new SecurityContextException(Reason.UNSUPPORTED, "no AES service ticket in the subject opens the "
                    + "AP-REQ (RC4-HMAC and DES are not implemented)");
        }
        ApMessages.KeyAndSeq theirs = ApMessages.apRep(apRep, ticketKey);
        if (mine.seq() < 0 || theirs.seq() < 0) {
            throw new SecurityContextException(Reason.UNSUPPORTED, "AP-REQ or AP-REP without a sequence number");
        }
        boolean acceptorSubkey = theirs.subkey() != null;
        key = acceptorSubkey ? theirs.subkey() : mine.subkey() != null ? mine.subkey() : ticketKey;
        // Cross-check with JGSS's own idea of the context key.
        try {
            EncryptionKey jgssKey = (EncryptionKey) ((ExtendedGSSContext) gss)
                    .inquireSecContext(InquireType.KRB5_GET_SESSION_KEY_EX);
            if (!MessageDigest.isEqual(jgssKey.getEncoded(), key)) {
                throw new SecurityContextException(Reason.INVALID_TOKEN, "the context key differs from JGSS's");
            }
        } catch (GSSException e) {
            throw gssFailure(e);
        }
        // MS-KILE 3.4.5.4.1: with GSS_WrapEx an AES sender sets EC to one block (16), RRC 28 (76-byte tokens).
        cfx = new Cfx(key, true, acceptorSubkey, true, mine.seq(), theirs.seq());
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

    private Cfx established() {
        Cfx c = cfx;
        if (c == null) throw new IllegalStateException("the Kerberos context is not established yet");
        return c;
    }

    @Override
    public boolean isComplete() {
        return cfx != null;
    }

    @Override
    public Protection negotiatedProtection() {
        established();
        return gss.getConfState() ? Protection.CONFIDENTIALITY : Protection.INTEGRITY;
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
        return protection == Protection.CONFIDENTIALITY ? established().wrapLength() : Cfx.MIC_LENGTH;
    }

    @Override
    public byte[] sign(List<Region> regions) {
        return established().getMic(regions);
    }

    @Override
    public void verify(List<Region> regions, byte[] signature) {
        established().verifyMic(regions, signature);
    }

    @Override
    public byte[] seal(List<Region> regions) {
        return established().wrap(regions);
    }

    @Override
    public void unseal(List<Region> regions, byte[] signature) {
        established().unwrap(regions, signature);
    }
}
