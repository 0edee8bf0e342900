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

    /** A subkey (or null) and a sequence number (or -1) from an Authenticator or EncAPRepPart. */
    record KeyAndSeq(int etype, byte[] subkey, long seq) {
    }

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
        return keyAndSeq(a.explicit(Der.SEQUENCE), 6, 7);
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
        return keyAndSeq(p.explicit(Der.SEQUENCE), 2, 3);
    }

    private static KeyAndSeq keyAndSeq(Der.Element seq, int subkeyTag, int seqTag) {
        int etype = 0;
        byte[] key = null;
        long seqNo = -1;
        Der.Reader r = seq.children();
        while (r.hasNext()) {
            Der.Element e = r.next();
            if (e.tag() == Der.context(subkeyTag)) {
                Der.Reader k = e.explicit(Der.SEQUENCE).children();
                etype = k.next().expect(Der.context(0)).explicit(0x02).intValue();
                key = k.next().expect(Der.context(1)).explicit(Der.OCTET_STRING).content();
            } else if (e.tag() == Der.context(seqTag)) {
                seqNo = unsigned32(e.explicit(0x02));
            }
        }
        return new KeyAndSeq(etype, key, seqNo);
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
