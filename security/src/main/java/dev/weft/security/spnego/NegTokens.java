package dev.weft.security.spnego;

import dev.weft.security.SecurityContextException;
import dev.weft.security.internal.Der;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The SPNEGO tokens of RFC 4178 section 4.2 and their DER form, with the GSS-API framing of the first one. */
final class NegTokens {

    /** The SPNEGO mechanism OID (RFC 4178). */
    static final String SPNEGO_OID = "1.3.6.1.5.5.2";
    /** At most this many mechanisms are read from a peer. */
    static final int MAX_MECHS = 32;

    static final int ACCEPT_COMPLETED = 0;
    static final int ACCEPT_INCOMPLETE = 1;
    static final int REJECT = 2;
    static final int REQUEST_MIC = 3;

    private NegTokens() {
    }

    /**
     * negTokenInit. {@code mechTypesDer} is the DER of the MechTypeList exactly as sent: the mechListMIC is computed
     * over those bytes (RFC 4178 section 5).
     */
    record Init(List<String> mechTypes, byte[] mechTypesDer, byte[] mechToken, byte[] mechListMic) {

        static Init of(List<String> mechTypes, byte[] mechToken) {
            byte[][] oids = mechTypes.stream().map(Der::oid).toArray(byte[][]::new);
            return new Init(List.copyOf(mechTypes), Der.constructed(Der.SEQUENCE, oids), mechToken, null);
        }

        /** The initial context token: [APPLICATION 0] { spnego OID, [0] NegTokenInit }. */
        byte[] encode() {
            List<byte[]> fields = new ArrayList<>();
            fields.add(Der.tlv(Der.context(0), mechTypesDer));
            if (mechToken != null) fields.add(Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, mechToken)));
            if (mechListMic != null) fields.add(Der.tlv(Der.context(3), Der.tlv(Der.OCTET_STRING, mechListMic)));
            byte[] init = Der.constructed(Der.SEQUENCE, fields.toArray(byte[][]::new));
            return Der.constructed(Der.application(0), Der.oid(SPNEGO_OID), Der.tlv(Der.context(0), init));
        }

        static Init decode(byte[] token) {
            Der.Reader outer = Der.Reader.of(token);
            Der.Element app = outer.next().expect(Der.application(0));
            outer.end();
            Der.Reader r = app.children();
            String mech = Der.oidText(r.next().expect(Der.OID).content());
            if (!SPNEGO_OID.equals(mech)) throw SecurityContextException.invalidToken("not an SPNEGO token: " + mech);
            Der.Element body = r.next().expect(Der.context(0));
            r.end();
            Der.Reader f = body.explicit(Der.SEQUENCE).children();
            Der.Element typesTag = f.next().expect(Der.context(0));
            Der.Reader tr = typesTag.children();
            Der.Element types = tr.next();
            int start = tr.lastStart();
            tr.end();
            List<String> mechs = Der.oidList(types, MAX_MECHS);
            byte[] typesDer = Arrays.copyOfRange(token, start, types.offset() + types.length());
            f.optional(Der.context(1)); // reqFlags: not used (MS-SPNG: ignored)
            Der.Element tok = f.optional(Der.context(2));
            Der.Element mic = f.optional(Der.context(3));
            // Windows' NegTokenInit2 puts negHints at [3]; anything left is tolerated, not interpreted.
            return new Init(mechs, typesDer, tok == null ? null : tok.explicit(Der.OCTET_STRING).content(),
                    mic == null || mic.length() == 0 || mic.source()[mic.offset()] != Der.OCTET_STRING ? null
                            : mic.explicit(Der.OCTET_STRING).content());
        }
    }

    /** negTokenResp; every field is optional. */
    record Resp(Integer negState, String supportedMech, byte[] responseToken, byte[] mechListMic) {

        byte[] encode() {
            List<byte[]> fields = new ArrayList<>();
            if (negState != null) fields.add(Der.tlv(Der.context(0), Der.tlv(Der.ENUMERATED, new byte[] {negState.byteValue()})));
            if (supportedMech != null) fields.add(Der.tlv(Der.context(1), Der.oid(supportedMech)));
            if (responseToken != null) fields.add(Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, responseToken)));
            if (mechListMic != null) fields.add(Der.tlv(Der.context(3), Der.tlv(Der.OCTET_STRING, mechListMic)));
            return Der.tlv(Der.context(1), Der.constructed(Der.SEQUENCE, fields.toArray(byte[][]::new)));
        }

        static Resp decode(byte[] token) {
            Der.Reader outer = Der.Reader.of(token);
            Der.Element resp = outer.next().expect(Der.context(1));
            outer.end();
            Der.Reader f = resp.explicit(Der.SEQUENCE).children();
            Der.Element state = f.optional(Der.context(0));
            Der.Element mech = f.optional(Der.context(1));
            Der.Element tok = f.optional(Der.context(2));
            Der.Element mic = f.optional(Der.context(3));
            f.end();
            Integer s = null;
            if (state != null) {
                s = state.explicit(Der.ENUMERATED).intValue();
                if (s < ACCEPT_COMPLETED || s > REQUEST_MIC) throw SecurityContextException.invalidToken("negState " + s);
            }
            return new Resp(s, mech == null ? null : Der.oidText(mech.explicit(Der.OID).content()),
                    tok == null ? null : tok.explicit(Der.OCTET_STRING).content(),
                    mic == null ? null : mic.explicit(Der.OCTET_STRING).content());
        }
    }
}
