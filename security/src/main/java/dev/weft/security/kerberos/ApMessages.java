package dev.weft.security.kerberos;

import dev.weft.security.SecurityContextException;
import dev.weft.security.internal.Der;

/**
 * Just enough of RFC 4120's AP-REQ and AP-REP (inside the RFC 1964 / RFC 4121 GSS framing) to learn what JGSS
 * does not tell: the initiator's and acceptor's subkeys and initial sequence numbers, which the per-message tokens
 * need. The client decrypts its own Authenticator (key usage 11) and the acceptor's EncAPRepPart (key usage 12) with
 * the ticket's session key.
 */
final class ApMessages {

    static final String KRB5_OID = "1.2.840.113554.1.2.2";
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
     * A DCE-style AP-REQ (MS-KILE 3.2.5.2, GSS_C_DCE_STYLE): the bare Kerberos message, no GSS framing, and the
     * client time of its Authenticator, which the third leg repeats.
     */
    record DceApReq(byte[] apReq, byte[] ctime, byte[] cusec) {
    }

    /** GSS_C_DCE_STYLE in the flags of the RFC 4121 4.1.1 authenticator checksum. */
    static final int GSS_C_DCE_STYLE = 0x1000;
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
        if (!KRB5_OID.equals(Der.oidText(oid.content()))) {
            throw SecurityContextException.invalidToken("GSS token for mechanism " + Der.oidText(oid.content()));
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

    /** The EncryptedData {etype [0], kvno [1] OPTIONAL, cipher [2]} as (etype, cipher). */
    private static Object[] encryptedData(Der.Element seq) {
        Der.Reader r = seq.expect(Der.SEQUENCE).children();
        int etype = r.next().expect(Der.context(0)).explicit(0x02).intValue();
        r.optional(Der.context(1));
        byte[] cipher = r.next().expect(Der.context(2)).explicit(Der.OCTET_STRING).content();
        return new Object[] {etype, cipher};
    }

    /** Decrypts the Authenticator of the AP-REQ in {@code apReqToken} with the ticket session key. */
    static KeyAndSeq authenticator(byte[] apReqToken, byte[] ticketKey) {
        Der.Element apReq = unframe(apReqToken, 0x0100).expect(Der.application(14));
        Der.Reader r = apReq.explicit(Der.SEQUENCE).children();
        Der.Element auth = null;
        while (r.hasNext()) {
            Der.Element e = r.next();
            if (e.tag() == Der.context(4)) auth = e.explicit(Der.SEQUENCE);
        }
        if (auth == null) throw SecurityContextException.invalidToken("AP-REQ without authenticator");
        Object[] ed = encryptedData(auth);
        byte[] plain = AesCts.decrypt(ticketKey, USAGE_AP_REQ_AUTHENTICATOR, (byte[]) ed[1]);
        Der.Element a = Der.Reader.of(plain).next().expect(Der.application(2));
        return keyAndSeq(a.explicit(Der.SEQUENCE), 6, 7, 5, 4);
    }

    /** Decrypts the EncAPRepPart of the AP-REP in {@code apRepToken} with the ticket session key. */
    static KeyAndSeq apRep(byte[] apRepToken, byte[] ticketKey) {
        Der.Element apRep = unframe(apRepToken, 0x0200).expect(Der.application(15));
        Der.Reader r = apRep.explicit(Der.SEQUENCE).children();
        Der.Element enc = null;
        while (r.hasNext()) {
            Der.Element e = r.next();
            if (e.tag() == Der.context(2)) enc = e.explicit(Der.SEQUENCE);
        }
        if (enc == null) throw SecurityContextException.invalidToken("AP-REP without enc-part");
        byte[] plain = AesCts.decrypt(ticketKey, USAGE_AP_REP_ENCPART, (byte[]) encryptedData(enc)[1]);
        Der.Element p = Der.Reader.of(plain).next().expect(Der.application(27));
        return keyAndSeq(p.explicit(Der.SEQUENCE), 2, 3, 0, 1);
    }

    /**
     * Turns the AP-REQ JGSS made into a DCE-style one: the same ticket and Authenticator (subkey, sequence number,
     * time), with GSS_C_DCE_STYLE added to the checksum flags, re-encrypted with the ticket session key, unframed.
     * JGSS cannot ask for DCE style itself, and Samba seals nothing for a context without it.
     */
    static DceApReq dceStyle(byte[] apReqToken, byte[] ticketKey) {
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
                byte[] kvno = null;
                Der.Element k = ed.optional(Der.context(1));
                if (k != null) kvno = k.content();
                byte[] plain = AesCts.decrypt(ticketKey, USAGE_AP_REQ_AUTHENTICATOR,
                        ed.next().expect(Der.context(2)).explicit(Der.OCTET_STRING).content());
                byte[][] time = addDceStyle(plain);
                byte[] cipher = AesCts.encrypt(ticketKey, USAGE_AP_REQ_AUTHENTICATOR, AesCts.confounder(), plain);
                byte[] encrypted = kvno == null
                        ? Der.constructed(Der.SEQUENCE, Der.tlv(Der.context(0), integer(etype)),
                                Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, cipher)))
                        : Der.constructed(Der.SEQUENCE, Der.tlv(Der.context(0), integer(etype)), Der.tlv(Der.context(1), kvno),
                                Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, cipher)));
                parts[4] = encrypted;
                byte[][] fields = new byte[5][];
                for (int i = 0; i < 5; i++) {
                    if (parts[i] == null) throw SecurityContextException.invalidToken("AP-REQ without field " + i);
                    fields[i] = Der.tlv(Der.context(i), parts[i]);
                }
                byte[] out = Der.tlv(Der.application(14), Der.constructed(Der.SEQUENCE, fields));
                return new DceApReq(out, time[0], time[1]);
            }
        }
        throw SecurityContextException.invalidToken("AP-REQ without authenticator");
    }

    /** Sets GSS_C_DCE_STYLE in the plaintext Authenticator's checksum flags, in place; returns its ctime and cusec. */
    private static byte[][] addDceStyle(byte[] authenticator) {
        Der.Element a = Der.Reader.of(authenticator).next().expect(Der.application(2));
        Der.Reader r = a.explicit(Der.SEQUENCE).children();
        byte[] ctime = null, cusec = null;
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
            } else if (e.tag() == Der.context(4)) {
                cusec = e.content();
            } else if (e.tag() == Der.context(5)) {
                ctime = e.content();
            }
        }
        if (!flagged || ctime == null || cusec == null) {
            throw SecurityContextException.invalidToken("authenticator without checksum or time");
        }
        return new byte[][] {ctime, cusec};
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
        byte[] cipher = AesCts.encrypt(ticketKey, USAGE_AP_REP_ENCPART, AesCts.confounder(), encPart);
        return Der.tlv(Der.application(15), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), integer(5)),
                Der.tlv(Der.context(1), integer(15)),
                Der.tlv(Der.context(2), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(etype)),
                        Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, cipher))))));
    }

    /** A small non-negative DER INTEGER TLV. */
    private static byte[] integer(int v) {
        if (v < 0 || v > 0x7FFF) throw new IllegalArgumentException("integer " + v);
        return v < 0x80 ? Der.tlv(0x02, new byte[] {(byte) v}) : Der.tlv(0x02, new byte[] {(byte) (v >>> 8), (byte) v});
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
