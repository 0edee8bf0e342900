package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.security.SecurityContextException;
import dev.weft.security.internal.Der;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The DCE-style AP exchange (MS-KILE 3.2.5.2) built from an ordinary GSS AP-REQ: the flag, the framing, and the
 * third leg's contents, checked by decrypting what was made with the ticket session key.
 */
class DceStyleApMessagesTest {

    static final byte[] TICKET_KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] SUBKEY = HexFormat.of().parseHex("f0e0d0c0b0a090807060504030201000f0e0d0c0b0a090807060504030201000");
    static final int ORDINARY_FLAGS = 0x3E;                   // mutual, replay, sequence, conf, integ

    static byte[] integer(int v) {
        return Der.tlv(0x02, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** An Authenticator as RFC 4120 5.5.1 and RFC 4121 4.1.1 shape it, with the given GSS flags. */
    static byte[] authenticator(int flags) {
        byte[] checksum = new byte[24];
        checksum[0] = 16;                                     // Lgth, little-endian
        checksum[20] = (byte) flags;
        checksum[21] = (byte) (flags >>> 8);
        return Der.tlv(Der.application(2), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {5})),
                Der.tlv(Der.context(1), Der.tlv(Der.GENERAL_STRING, "RPCTEST.LOCAL".getBytes())),
                Der.tlv(Der.context(2), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {1})),
                        Der.tlv(Der.context(1), Der.constructed(Der.SEQUENCE,
                                Der.tlv(Der.GENERAL_STRING, "rpcuser".getBytes()))))),
                Der.tlv(Der.context(3), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {0, (byte) 0x80, 0x03})),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, checksum)))),
                Der.tlv(Der.context(4), Der.tlv(0x02, new byte[] {0x01, 0x23})),
                Der.tlv(Der.context(5), Der.tlv(0x18, "20261124220411Z".getBytes())),
                Der.tlv(Der.context(6), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {18})),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, SUBKEY)))),
                Der.tlv(Der.context(7), integer(0x1234567))));
    }

    /** A GSS-framed AP-REQ (RFC 4121 4.1) around the authenticator, with an opaque ticket. */
    static byte[] framedApReq(byte[] authenticator) {
        byte[] cipher = AesCts.encrypt(TICKET_KEY, ApMessages.USAGE_AP_REQ_AUTHENTICATOR, AesCts.confounder(), authenticator);
        byte[] apReq = Der.tlv(Der.application(14), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {5})),
                Der.tlv(Der.context(1), Der.tlv(0x02, new byte[] {14})),
                Der.tlv(Der.context(2), Der.tlv(Der.BIT_STRING, new byte[] {0, 0x20, 0, 0, 0})),
                Der.tlv(Der.context(3), Der.tlv(Der.application(1), new byte[] {0x30, 0})),
                Der.tlv(Der.context(4), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {18})),
                        Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, cipher))))));
        byte[] oid = Der.oid(ApMessages.KRB5_OID);
        byte[] inner = new byte[oid.length + 2 + apReq.length];
        System.arraycopy(oid, 0, inner, 0, oid.length);
        inner[oid.length] = 0x01;                             // tok_id KRB_AP_REQ
        System.arraycopy(apReq, 0, inner, oid.length + 2, apReq.length);
        return Der.tlv(Der.application(0), inner);
    }

    @Test
    void theDceStyleApReqIsUnframedAndOnlyAddsTheFlag() {
        byte[] original = authenticator(ORDINARY_FLAGS);
        ApMessages.DceApReq dce = ApMessages.dceStyle(framedApReq(original), 18, TICKET_KEY);

        assertEquals(0x6E, dce.apReq()[0] & 0xFF, "a bare [APPLICATION 14] AP-REQ, no GSS framing");
        Der.Reader ed = Der.Reader.of(dce.apReq()).next().explicit(Der.SEQUENCE).children();
        Der.Element encrypted = null;
        while (ed.hasNext()) {
            Der.Element e = ed.next();
            if (e.tag() == Der.context(4)) encrypted = e.explicit(Der.SEQUENCE);
        }
        Der.Reader parts = encrypted.children();
        parts.next();
        byte[] sealed = parts.next().explicit(Der.OCTET_STRING).content();
        byte[] plain = AesCts.decrypt(TICKET_KEY, ApMessages.USAGE_AP_REQ_AUTHENTICATOR, sealed);

        byte[] expected = authenticator(ORDINARY_FLAGS | ApMessages.GSS_C_DCE_STYLE);
        assertArrayEquals(expected, plain, "the same Authenticator with GSS_C_DCE_STYLE (0x1000) set");
        ApMessages.KeyAndSeq mine = ApMessages.authenticator(dce.apReq(), 18, TICKET_KEY);
        assertArrayEquals(SUBKEY, mine.subkey());
        assertEquals(0x1234567, mine.seq());
        assertArrayEquals(Der.tlv(0x18, "20261124220411Z".getBytes()), dce.ctime());
        assertArrayEquals(Der.tlv(0x02, new byte[] {0x01, 0x23}), dce.cusec());
    }

    @Test
    void theThirdLegEchoesTheAcceptorsSequenceNumberAndTheAuthenticatorsTime() {
        ApMessages.DceApReq dce = ApMessages.dceStyle(framedApReq(authenticator(ORDINARY_FLAGS)), 18, TICKET_KEY);
        byte[] acceptorSeq = {(byte) 0x00, (byte) 0x9A, (byte) 0xBC, (byte) 0xDE, (byte) 0xF0};
        var acceptor = new ApMessages.KeyAndSeq(18, null, 0x9ABCDEF0L, acceptorSeq, dce.ctime(), dce.cusec());

        byte[] apRep = ApMessages.dceStyleApRep(dce, acceptor, 18, TICKET_KEY);

        assertEquals(0x6F, apRep[0] & 0xFF, "a bare [APPLICATION 15] AP-REP");
        ApMessages.KeyAndSeq read = ApMessages.apRep(apRep, 18, TICKET_KEY);
        assertEquals(0x9ABCDEF0L, read.seq());
        assertArrayEquals(acceptorSeq, read.seqContent(), "the acceptor's encoding, unchanged");
        assertArrayEquals(dce.ctime(), read.ctime());
        assertArrayEquals(dce.cusec(), read.cusec());
        assertEquals(null, read.subkey(), "no subkey in the third leg");
    }

    @Test
    void anAuthenticatorWithoutTheGssChecksumIsRefused() {
        byte[] a = authenticator(ORDINARY_FLAGS);
        int at = indexOf(a, new byte[] {0, (byte) 0x80, 0x03});
        byte[] other = a.clone();
        other[at + 2] = 0x04;                                 // checksum type 0x8004
        assertThrows(SecurityContextException.class, () -> ApMessages.dceStyle(framedApReq(other), 18, TICKET_KEY));
    }

    static int indexOf(byte[] a, byte[] b) {
        for (int i = 0; i + b.length <= a.length; i++) {
            if (Arrays.equals(a, i, i + b.length, b, 0, b.length)) return i;
        }
        throw new AssertionError("not found");
    }
}
