package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.Step;
import dev.weft.security.internal.Der;
import dev.weft.security.spnego.SpnegoProvider;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SPNEGO acceptor over Kerberos without DCE style (what JGSS and most non-RPC initiators send): the AP-REQ is the
 * optimistic token, the Kerberos acceptor completes on it, and SPNEGO completes in the same leg with accept-completed,
 * the framed AP-REP and no mechListMIC (RFC 4178 section 5: the initiator's first choice was taken).
 */
class SpnegoKerberosOneLegTest {

    static final String SPNEGO_OID = "1.3.6.1.5.5.2";

    /** negTokenInit (RFC 4178 4.2.1) offering Kerberos first, with the GSS-framed AP-REQ as optimistic token. */
    static byte[] negTokenInit(byte[] apReq) {
        byte[] body = Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.constructed(Der.SEQUENCE, Der.oid(KerberosProvider.OID), Der.oid(KerberosProvider.MS_OID))),
                Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, apReq)));
        return Der.tlv(Der.application(0), concat(Der.oid(SPNEGO_OID), Der.tlv(Der.context(0), body)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void kerberosWithoutDceStyleCompletesSpnegoInOneLeg() {
        KerberosProvider krb5 = KerberosProvider.server(KerberosAcceptorTest.keys());
        SecurityContext spnego = new SpnegoProvider(List.of(new SpnegoProvider.Mechanism(KerberosProvider.OID, krb5)))
                .newServerContext();
        byte[] sessionKey = KerberosAcceptorTest.SESSION_KEY;
        byte[] apReq = ApMessages.frame(HandMade.apReq(
                KerberosAcceptorTest.ticket("alice", Instant.now().plusSeconds(3600), KerberosAcceptorTest.SERVICE_KEY),
                AesCts.AES256, sessionKey, HandMade.authenticator("alice", Instant.now(), 0x3E, 9, 0, null)), 0x0100);

        Step step = spnego.step(negTokenInit(apReq));
        assertInstanceOf(Step.Complete.class, step, "one leg");
        assertTrue(spnego.isComplete());
        assertEquals("TEST\\alice", spnego.identity().toString());

        // negTokenResp: accept-completed (0), Kerberos, the framed AP-REP, no mechListMIC.
        Der.Reader resp = Der.Reader.of(step.token()).next().expect(Der.context(1)).explicit(Der.SEQUENCE).children();
        assertArrayEquals(new byte[] {0}, resp.next().expect(Der.context(0)).explicit(Der.ENUMERATED).content());
        assertEquals(KerberosProvider.OID, Der.oidText(resp.next().expect(Der.context(1)).explicit(Der.OID).content()));
        byte[] apRep = resp.next().expect(Der.context(2)).explicit(Der.OCTET_STRING).content();
        assertTrue(!resp.hasNext(), "no mechListMIC");
        ApMessages.KeyAndSeq acceptor = ApMessages.apRep(apRep, AesCts.AES256, sessionKey);

        // The context seals with the acceptor's subkey (RFC 4121, EC 0 without DCE style).
        Cfx initiator = new Cfx(acceptor.subkey(), true, true, false, 9, acceptor.seq());
        byte[] data = "sixteen bytes!!!".getBytes();
        byte[] plain = data.clone();
        byte[] token = initiator.wrap(List.of(Region.data(data)));
        spnego.unseal(List.of(Region.data(data)), token);
        assertArrayEquals(plain, data);
    }
}
