package dev.weft.security.kerberos;

import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.internal.Der;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Just enough of RFC 4120's AP-REQ and AP-REP (inside the RFC 1964 / RFC 4121 GSS framing) to learn what JGSS
 * does not tell: the initiator's and acceptor's subkeys and initial sequence numbers, which the per-message tokens
 * need. The client decrypts its own Authenticator (key usage 11) and the acceptor's EncAPRepPart (key usage 12) with
 * the ticket's session key.
 */
final class ApMessages {

    static final String KRB5_OID = "1.2.840.113554.1.2.2";
    /** The OID Windows offered in SPNEGO for Kerberos before it used the standard one (MS-SPNG 2.2): the same mechanism. */
    static final String MS_KRB5_OID = "1.2.840.48018.1.2.2";
    static final int USAGE_AP_REQ_AUTHENTICATOR = 11;
    static final int USAGE_AP_REP_ENCPART = 12;

    /**
     * A subkey (or null) and a sequence number (or -1) from an Authenticator or EncAPRepPart; {@code seqContent} is
     * the sequence number's INTEGER content octets as the sender wrote them (null when absent); {@code ctime} and
     * {@code cusec} the client time fields as encoded.
     */
    record KeyAndSeq(int etype, byte[] subkey, long seq, byte[] seqContent, byte[] ctime, byte[] cusec) {
    }

    /**
     * A DCE-style AP-REQ (MS-KILE 3.2.5.2, GSS_C_DCE_STYLE): the bare Kerberos message, no GSS framing, and what its
     * Authenticator holds (subkey, sequence number, and the client time the third leg repeats).
     */
    record DceApReq(byte[] apReq, KeyAndSeq initiator) {
        byte[] ctime() {
            return initiator.ctime();
        }

        byte[] cusec() {
            return initiator.cusec();
        }
    }

    /** GSS_C_DCE_STYLE in the flags of the RFC 4121 4.1.1 authenticator checksum. */
    static final int GSS_C_DCE_STYLE = 0x1000;
    /** GSS_C_CONF_FLAG: the initiator wants confidentiality. */
    static final int GSS_C_CONF_FLAG = 0x10;
    static final int USAGE_TICKET = 2;
    /** RFC 4120 1.7 / MS-KILE: the clock skew both ends tolerate. */
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What the acceptor learned from a valid AP-REQ: the ticket's session key and client, the GSS flags of the
     * Authenticator checksum, and the initiator's subkey, sequence number and time.
     */
    record Accepted(byte[] sessionKey, int sessionKeyType, String clientName, String clientRealm, int gssFlags,
                    KeyAndSeq initiator, KerbValidationInfo logonInfo) {
        boolean dceStyle() {
            return (gssFlags & GSS_C_DCE_STYLE) != 0;
        }

        long initiatorSeq() {
            return initiator.seq();
        }
    }
    /** RFC 4121 4.1.1: the authenticator checksum type that carries the GSS flags. */
    static final int CKSUMTYPE_GSSAPI = 0x8003;

    private ApMessages() {
    }

    /** The Kerberos message inside a GSS-framed token (tok_id checked), or the token itself when it is unframed. */
    static Der.Element unframe(byte[] token, int tokId) {
        Der.Element outer = Der.Reader.of(token).next();
        if (outer.tag() != Der.application(0)) return outer;
        Der.Reader r = outer.children();
        Der.Element oid = r.next().expect(Der.OID);
        String mech = Der.oidText(oid.content());
        if (!KRB5_OID.equals(mech) && !MS_KRB5_OID.equals(mech)) {
            throw SecurityContextException.invalidToken("GSS token for mechanism " + mech);
        }
        int p = oid.offset() + oid.length();
        int end = outer.offset() + outer.length();
        if (end - p < 2) throw SecurityContextException.invalidToken("GSS token without tok_id");
        int id = ((token[p] & 0xFF) << 8) | (token[p + 1] & 0xFF);
        if (id != tokId) throw SecurityContextException.invalidToken(String.format("tok_id 0x%04x, expected 0x%04x", id, tokId));
        Der.Reader inner = new Der.Reader(token, p + 2, end);
        Der.Element msg = inner.next();
        inner.end();
        return msg;
    }

    /** RFC 4120 EncryptedData: {etype [0], kvno [1] OPTIONAL, cipher [2]}; {@code kvno} null when absent. */
    record EncryptedData(int etype, Integer kvno, byte[] cipher) {
        static EncryptedData of(Der.Element seq) {
            Der.Reader r = seq.expect(Der.SEQUENCE).children();
            int etype = r.next().expect(Der.context(0)).explicit(0x02).intValue();
            Der.Element kvno = r.optional(Der.context(1));
            byte[] cipher = r.next().expect(Der.context(2)).explicit(Der.OCTET_STRING).content();
            r.end();
            return new EncryptedData(etype, kvno == null ? null : kvno.explicit(0x02).intValue(), cipher);
        }

        /** Decrypts with {@code key}, which must be of this data's encryption type. */
        byte[] decrypt(int keyType, byte[] key, int usage) {
            if (keyType != etype) {
                throw new SecurityContextException(Reason.INVALID_TOKEN, "data encrypted with type " + etype
                        + " where the key is of type " + keyType);
            }
            return EncryptionType.of(etype).decrypt(key, usage, cipher);
        }

        /** Encrypts {@code plain} with a key of {@code etype} into an EncryptedData TLV (no kvno). */
        static byte[] encrypt(int etype, byte[] key, int usage, byte[] plain) {
            byte[] cipher = EncryptionType.of(etype).encrypt(key, usage, plain);
            return Der.constructed(Der.SEQUENCE, Der.tlv(Der.context(0), integer(etype)),
                    Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, cipher)));
        }
    }

    /** Decrypts the Authenticator of the AP-REQ in {@code apReqToken} with the ticket session key. */
    static KeyAndSeq authenticator(byte[] apReqToken, int ticketKeyType, byte[] ticketKey) {
        Der.Element apReq = unframe(apReqToken, 0x0100).expect(Der.application(14));
        Der.Reader r = apReq.explicit(Der.SEQUENCE).children();
        Der.Element auth = null;
        while (r.hasNext()) {
            Der.Element e = r.next();
            if (e.tag() == Der.context(4)) auth = e.explicit(Der.SEQUENCE);
        }
        if (auth == null) throw SecurityContextException.invalidToken("AP-REQ without authenticator");
        byte[] plain = EncryptedData.of(auth).decrypt(ticketKeyType, ticketKey, USAGE_AP_REQ_AUTHENTICATOR);
        Der.Element a = Der.Reader.of(plain).next().expect(Der.application(2));
        return keyAndSeq(a.explicit(Der.SEQUENCE), 6, 7, 5, 4);
    }

    /** Decrypts the EncAPRepPart of the AP-REP in {@code apRepToken} with the ticket session key. */
    static KeyAndSeq apRep(byte[] apRepToken, int ticketKeyType, byte[] ticketKey) {
        Der.Element apRep = unframe(apRepToken, 0x0200).expect(Der.application(15));
        Der.Reader r = apRep.explicit(Der.SEQUENCE).children();
        Der.Element enc = null;
        while (r.hasNext()) {
            Der.Element e = r.next();
            if (e.tag() == Der.context(2)) enc = e.explicit(Der.SEQUENCE);
        }
        if (enc == null) throw SecurityContextException.invalidToken("AP-REP without enc-part");
        byte[] plain = EncryptedData.of(enc).decrypt(ticketKeyType, ticketKey, USAGE_AP_REP_ENCPART);
        Der.Element p = Der.Reader.of(plain).next().expect(Der.application(27));
        return keyAndSeq(p.explicit(Der.SEQUENCE), 2, 3, 0, 1);
    }

    /**
     * Turns the AP-REQ JGSS made into a DCE-style one: the same ticket and Authenticator (subkey, sequence number,
     * time), with GSS_C_DCE_STYLE added to the checksum flags, re-encrypted with the ticket session key, unframed.
     * JGSS cannot ask for DCE style itself, and Samba seals nothing for a context without it.
     */
    static DceApReq dceStyle(byte[] apReqToken, int ticketKeyType, byte[] ticketKey) {
        Der.Element apReq = unframe(apReqToken, 0x0100).expect(Der.application(14));
        Der.Reader r = apReq.explicit(Der.SEQUENCE).children();
        byte[][] parts = new byte[5][];
        while (r.hasNext()) {
            Der.Element e = r.next();
            int n = e.tag() - Der.context(0);
            if (n < 0 || n > 4) throw SecurityContextException.invalidToken("AP-REQ field " + e.tag());
            parts[n] = e.content();
            if (n == 4) {
                Der.Reader ed = e.explicit(Der.SEQUENCE).children();
                int etype = ed.next().expect(Der.context(0)).explicit(0x02).intValue();
                Der.Element kvno = ed.optional(Der.context(1));
                if (etype != ticketKeyType) throw SecurityContextException.invalidToken("authenticator of type " + etype);
                byte[] plain = EncryptionType.of(etype).decrypt(ticketKey, USAGE_AP_REQ_AUTHENTICATOR,
                        ed.next().expect(Der.context(2)).explicit(Der.OCTET_STRING).content());
                addDceStyle(plain);
                byte[] cipher = EncryptionType.of(etype).encrypt(ticketKey, USAGE_AP_REQ_AUTHENTICATOR, plain);
                parts[4] = Der.constructed(Der.SEQUENCE, Der.tlv(Der.context(0), integer(etype)),
                        kvno == null ? new byte[0] : Der.tlv(Der.context(1), kvno.content()),
                        Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, cipher)));
                byte[][] fields = new byte[5][];
                for (int i = 0; i < 5; i++) {
                    if (parts[i] == null) throw SecurityContextException.invalidToken("AP-REQ without field " + i);
                    fields[i] = Der.tlv(Der.context(i), parts[i]);
                }
                byte[] out = Der.tlv(Der.application(14), Der.constructed(Der.SEQUENCE, fields));
                KeyAndSeq initiator = keyAndSeq(Der.Reader.of(plain).next().explicit(Der.SEQUENCE), 6, 7, 5, 4);
                if (initiator.ctime() == null || initiator.cusec() == null) {
                    throw SecurityContextException.invalidToken("authenticator without its time");
                }
                return new DceApReq(out, initiator);
            }
        }
        throw SecurityContextException.invalidToken("AP-REQ without authenticator");
    }

    /** Sets GSS_C_DCE_STYLE in the plaintext Authenticator's checksum flags, in place. */
    private static void addDceStyle(byte[] authenticator) {
        Der.Element a = Der.Reader.of(authenticator).next().expect(Der.application(2));
        Der.Reader r = a.explicit(Der.SEQUENCE).children();
        boolean flagged = false;
        while (r.hasNext()) {
            Der.Element e = r.next();
            if (e.tag() == Der.context(3)) {
                Der.Reader c = e.explicit(Der.SEQUENCE).children();
                if (c.next().expect(Der.context(0)).explicit(0x02).intValue() != CKSUMTYPE_GSSAPI) {
                    throw SecurityContextException.invalidToken("authenticator checksum is not the GSS-API one");
                }
                Der.Element value = c.next().expect(Der.context(1)).explicit(Der.OCTET_STRING);
                if (value.length() < 24) throw SecurityContextException.invalidToken("short GSS-API checksum");
                int flags = value.offset() + 20;              // Lgth (4), Bnd (16), then Flags, little-endian
                authenticator[flags + 1] |= (byte) (GSS_C_DCE_STYLE >>> 8);
                flagged = true;
            }
        }
        if (!flagged) throw SecurityContextException.invalidToken("authenticator without the GSS-API checksum");
    }

    /**
     * The DCE-style third leg: the initiator's own AP-REP, whose EncAPRepPart repeats the Authenticator's time and
     * the acceptor's sequence number (exactly as the acceptor encoded it), encrypted with the ticket session key.
     */
    static byte[] dceStyleApRep(DceApReq sent, KeyAndSeq acceptor, int etype, byte[] ticketKey) {
        if (acceptor.seqContent() == null) throw SecurityContextException.invalidToken("AP-REP without a sequence number");
        byte[] encPart = Der.tlv(Der.application(27), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), sent.ctime()),
                Der.tlv(Der.context(1), sent.cusec()),
                Der.tlv(Der.context(3), Der.tlv(0x02, acceptor.seqContent()))));
        return apRepMessage(EncryptedData.encrypt(etype, ticketKey, USAGE_AP_REP_ENCPART, encPart));
    }

    /**
     * The acceptor's check of an AP-REQ (RFC 4120 3.2.3): the ticket opens with a service key, is current, names the
     * same client as the Authenticator, whose time is within the skew and not replayed, and which carries the GSS
     * checksum (RFC 4121 4.1.1). Every failure is a {@link SecurityContextException}.
     */
    static Accepted accept(byte[] token, ServiceKeys keys) {
        Der.Element apReq = unframe(token, 0x0100).expect(Der.application(14));
        Der.Reader r = apReq.explicit(Der.SEQUENCE).children();
        if (r.next().expect(Der.context(0)).explicit(0x02).intValue() != 5) throw SecurityContextException.invalidToken("AP-REQ pvno");
        if (r.next().expect(Der.context(1)).explicit(0x02).intValue() != 14) throw SecurityContextException.invalidToken("not an AP-REQ");
        r.next().expect(Der.context(2));                                       // ap-options: mutual is always done
        Der.Element ticket = r.next().expect(Der.context(3)).explicit(Der.application(1));
        Der.Element authenticator = r.next().expect(Der.context(4)).explicit(Der.SEQUENCE);

        Der.Reader t = ticket.explicit(Der.SEQUENCE).children();
        t.next().expect(Der.context(0));
        t.next().expect(Der.context(1));
        t.next().expect(Der.context(2));
        EncryptedData ed = EncryptedData.of(t.next().expect(Der.context(3)).explicit(Der.SEQUENCE));
        t.end();
        byte[] serviceKey = keys.key(ed.etype(), ed.kvno());
        byte[] encTicketPart = ed.decrypt(ed.etype(), serviceKey, USAGE_TICKET);

        byte[] sessionKey = null;
        int sessionKeyType = 0;
        String crealm = null, cname = null;
        Instant start = null, end = null;
        Der.Element authorizationData = null;
        Der.Reader e = Der.Reader.of(encTicketPart).next().expect(Der.application(3)).explicit(Der.SEQUENCE).children();
        while (e.hasNext()) {
            Der.Element f = e.next();
            if (f.tag() == Der.context(1)) {
                Der.Reader k = f.explicit(Der.SEQUENCE).children();
                sessionKeyType = k.next().expect(Der.context(0)).explicit(0x02).intValue();
                sessionKey = k.next().expect(Der.context(1)).explicit(Der.OCTET_STRING).content();
            } else if (f.tag() == Der.context(2)) {
                crealm = string(f);
            } else if (f.tag() == Der.context(3)) {
                cname = principalName(f);
            } else if (f.tag() == Der.context(6)) {
                start = time(f);
            } else if (f.tag() == Der.context(7)) {
                end = time(f);
            } else if (f.tag() == Der.context(5) && start == null) {
                start = time(f);                                               // authtime when no starttime
            } else if (f.tag() == Der.context(10)) {
                authorizationData = f.explicit(Der.SEQUENCE);
            }
        }
        if (sessionKey == null || crealm == null || cname == null || end == null) {
            throw SecurityContextException.invalidToken("EncTicketPart without key, client or end time");
        }
        EncryptionType sessionType = EncryptionType.of(sessionKeyType);        // UNSUPPORTED unless implemented
        if (sessionKey.length != sessionType.keyLength) { // fuzz finding: the JDK refused it untyped
            throw SecurityContextException.invalidToken("a session key of " + sessionKey.length + " bytes for type " + sessionKeyType);
        }
        Instant now = Instant.now();
        if (now.isAfter(end.plus(SKEW)) || (start != null && now.plus(SKEW).isBefore(start))) {
            throw new SecurityContextException(Reason.LOGON_DENIED, "the ticket is not valid now (KRB_AP_ERR_TKT_EXPIRED)");
        }

        byte[] plain = EncryptedData.of(authenticator).decrypt(sessionKeyType, sessionKey, USAGE_AP_REQ_AUTHENTICATOR);
        Der.Reader a = Der.Reader.of(plain).next().expect(Der.application(2)).explicit(Der.SEQUENCE).children();
        String arealm = null, aname = null;
        int flags = -1;
        while (a.hasNext()) {
            Der.Element f = a.next();
            if (f.tag() == Der.context(1)) {
                arealm = string(f);
            } else if (f.tag() == Der.context(2)) {
                aname = principalName(f);
            } else if (f.tag() == Der.context(3)) {
                Der.Reader c = f.explicit(Der.SEQUENCE).children();
                if (c.next().expect(Der.context(0)).explicit(0x02).intValue() == CKSUMTYPE_GSSAPI) {
                    Der.Element v = c.next().expect(Der.context(1)).explicit(Der.OCTET_STRING);
                    if (v.length() < 24) throw SecurityContextException.invalidToken("short GSS-API checksum");
                    byte[] b = v.content();
                    flags = (b[20] & 0xFF) | (b[21] & 0xFF) << 8 | (b[22] & 0xFF) << 16 | (b[23] & 0xFF) << 24;
                }
            }
        }
        if (flags < 0) throw SecurityContextException.invalidToken("authenticator without the GSS-API checksum");
        if (!crealm.equals(arealm) || !cname.equals(aname)) {
            throw new SecurityContextException(Reason.LOGON_DENIED, "the Authenticator's client is not the ticket's (KRB_AP_ERR_BADMATCH)");
        }
        KeyAndSeq initiator = keyAndSeq(Der.Reader.of(plain).next().explicit(Der.SEQUENCE), 6, 7, 5, 4);
        if (initiator.ctime() == null || initiator.cusec() == null) { // both required (RFC 4120 5.5.1); fuzz finding
            throw SecurityContextException.invalidToken("authenticator without its time");
        }
        Instant ctime = time(initiator.ctime());
        if (Duration.between(ctime, now).abs().compareTo(SKEW) > 0) {
            throw new SecurityContextException(Reason.LOGON_DENIED, "the Authenticator's time is outside the skew (KRB_AP_ERR_SKEW)");
        }
        // The PAC is checked only once the Authenticator proved the ticket is the caller's.
        KerbValidationInfo logonInfo = Pac.fromAuthorizationData(authorizationData, ed.etype(), serviceKey, cname);
        keys.replayCache().check(cname + "@" + crealm, initiator.ctime(), initiator.cusec(), now);
        return new Accepted(sessionKey, sessionKeyType, cname, crealm, flags, initiator, logonInfo);
    }

    /** The acceptor's AP-REP, unframed: the Authenticator's time, the acceptor subkey and sequence number. */
    static byte[] acceptorApRep(Accepted a, int subkeyType, byte[] subkey, long seq) {
        byte[] encPart = Der.tlv(Der.application(27), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), a.initiator().ctime()),
                Der.tlv(Der.context(1), a.initiator().cusec()),
                Der.tlv(Der.context(2), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(subkeyType)),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, subkey)))),
                Der.tlv(Der.context(3), integer(seq))));
        return apRepMessage(EncryptedData.encrypt(a.sessionKeyType(), a.sessionKey(), USAGE_AP_REP_ENCPART, encPart));
    }

    /** KRB_AP_REP {pvno 5, msg-type 15, enc-part}. */
    private static byte[] apRepMessage(byte[] encryptedData) {
        return Der.tlv(Der.application(15), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), integer(5)),
                Der.tlv(Der.context(1), integer(15)),
                Der.tlv(Der.context(2), encryptedData)));
    }

    /** RFC 4121 4.1 framing: [APPLICATION 0] { the Kerberos OID, tok_id, the message }. */
    static byte[] frame(byte[] message, int tokId) {
        byte[] oid = Der.oid(KRB5_OID);
        byte[] inner = new byte[oid.length + 2 + message.length];
        System.arraycopy(oid, 0, inner, 0, oid.length);
        inner[oid.length] = (byte) (tokId >>> 8);
        inner[oid.length + 1] = (byte) tokId;
        System.arraycopy(message, 0, inner, oid.length + 2, message.length);
        return Der.tlv(Der.application(0), inner);
    }

    /** A random initial sequence number, below 2^30 as Windows' are (some peers read it signed). */
    static long randomSeq() {
        return RANDOM.nextInt() & 0x3FFFFFFFL;
    }

    private static String string(Der.Element explicit) {
        return new String(explicit.explicit(Der.GENERAL_STRING).content(), StandardCharsets.UTF_8);
    }

    /** PrincipalName {name-type [0], name-string [1] SEQUENCE OF KerberosString}, as "a/b". */
    private static String principalName(Der.Element explicit) {
        Der.Reader r = explicit.explicit(Der.SEQUENCE).children();
        r.next().expect(Der.context(0));
        Der.Reader names = r.next().expect(Der.context(1)).explicit(Der.SEQUENCE).children();
        StringBuilder sb = new StringBuilder();
        while (names.hasNext()) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(new String(names.next().expect(Der.GENERAL_STRING).content(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static Instant time(Der.Element explicit) {
        return time(explicit.content());
    }

    /** KerberosTime: a GeneralizedTime TLV "YYYYMMDDHHMMSSZ". */
    static Instant time(byte[] tlv) {
        Der.Element g = Der.Reader.of(tlv).next().expect(0x18);
        String s = new String(g.content(), StandardCharsets.US_ASCII);
        if (!s.matches("\\d{14}Z")) throw SecurityContextException.invalidToken("KerberosTime " + s);
        try {
            return LocalDateTime.parse(s.substring(0, 14), KERBEROS_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) { // a 13th month, a 60th second (fuzz finding)
            throw SecurityContextException.invalidToken("KerberosTime " + s);
        }
    }

    private static final DateTimeFormatter KERBEROS_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

    /** A non-negative DER INTEGER TLV, minimal (a leading zero when the top bit is set: a UInt32 stays positive). */
    static byte[] integer(long v) {
        if (v < 0) throw new IllegalArgumentException("integer " + v);
        return Der.tlv(0x02, BigInteger.valueOf(v).toByteArray());
    }

    private static KeyAndSeq keyAndSeq(Der.Element seq, int subkeyTag, int seqTag, int ctimeTag, int cusecTag) {
        int etype = 0;
        byte[] key = null;
        long seqNo = -1;
        byte[] seqContent = null, ctime = null, cusec = null;
        Der.Reader r = seq.children();
        while (r.hasNext()) {
            Der.Element e = r.next();
            if (e.tag() == Der.context(subkeyTag)) {
                Der.Reader k = e.explicit(Der.SEQUENCE).children();
                etype = k.next().expect(Der.context(0)).explicit(0x02).intValue();
                key = k.next().expect(Der.context(1)).explicit(Der.OCTET_STRING).content();
            } else if (e.tag() == Der.context(seqTag)) {
                Der.Element n = e.explicit(0x02);
                seqNo = unsigned32(n);
                seqContent = n.content();
            } else if (e.tag() == Der.context(ctimeTag)) {
                ctime = e.content();
            } else if (e.tag() == Der.context(cusecTag)) {
                cusec = e.content();
            }
        }
        return new KeyAndSeq(etype, key, seqNo, seqContent, ctime, cusec);
    }

    /** A Kerberos UInt32 (up to five content bytes with a leading zero; some peers send it negative). */
    static long unsigned32(Der.Element integer) {
        byte[] c = integer.content();
        if (c.length < 1 || c.length > 5) throw SecurityContextException.invalidToken("sequence number of " + c.length + " bytes");
        long v = c[0]; // sign-extended, then masked: a negative Int32 is taken modulo 2^32 (MIT and Windows do that)
        for (int i = 1; i < c.length; i++) v = (v << 8) | (c[i] & 0xFF);
        return v & 0xFFFFFFFFL;
    }
}
