package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.Step;
import dev.weft.security.spnego.SpnegoProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.MessageProp;
import org.ietf.jgss.Oid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own SPNEGO initiator (JGSS: Kerberos without DCE style, the AP-REQ as optimistic token) against Weft's
 * SPNEGO acceptor with its Kerberos acceptor: SPNEGO completes in one leg, JGSS accepts the AP-REP and the absent
 * mechListMIC, and both sides verify each other's RFC 4121 MIC tokens. No KDC: the subject holds a service ticket
 * made here with a service key the acceptor knows (JGSS uses a service ticket it finds in the subject).
 */
class JgssSpnegoInitiatorTest {

    static Path conf;
    static String previousConf;

    @BeforeAll
    static void configuration() throws Exception {
        conf = Files.createTempFile("weft-jgss-", ".conf");
        Files.writeString(conf, """
                [libdefaults]
                \tdefault_realm = TEST
                [realms]
                \tTEST = {
                \t\tkdc = 127.0.0.1:9
                \t}
                """);
        previousConf = System.getProperty("java.security.krb5.conf");
        System.setProperty("java.security.krb5.conf", conf.toString());
    }

    @AfterAll
    static void restore() throws Exception {
        if (previousConf == null) System.clearProperty("java.security.krb5.conf");
        else System.setProperty("java.security.krb5.conf", previousConf);
        Files.deleteIfExists(conf);
    }

    interface GssAction<T> {
        T run() throws Exception;
    }

    @Test
    void jgssSpnegoCompletesInOneLegAgainstWeft() throws Exception {
        byte[] sessionKey = EncryptionType.AES256_CTS_HMAC_SHA1_96.randomKey();
        Instant end = Instant.now().plusSeconds(3600);
        KerberosPrincipal alice = new KerberosPrincipal("alice@TEST");
        KerberosPrincipal service = new KerberosPrincipal("host/weft.test@TEST", KerberosPrincipal.KRB_NT_SRV_HST);
        byte[] ticket = HandMade.ticket(AesCts.AES256, KerberosAcceptorTest.SERVICE_KEY, 3, AesCts.AES256, sessionKey,
                "alice", end, null);
        Date now = new Date(), until = Date.from(end);
        Subject subject = new Subject();
        subject.getPrincipals().add(alice);
        // A TGT that is never used (JGSS wants one to hold initiator credentials) and the service ticket it uses.
        subject.getPrivateCredentials().add(new KerberosTicket(HandMade.ticket(AesCts.AES256, new byte[32], 1,
                AesCts.AES256, new byte[32], "alice", end, null), alice, new KerberosPrincipal("krbtgt/TEST@TEST"),
                new byte[32], AesCts.AES256, new boolean[32], now, now, until, null, null));
        subject.getPrivateCredentials().add(new KerberosTicket(ticket, alice, service, sessionKey, AesCts.AES256,
                new boolean[32], now, now, until, null, null));

        GssAction<GSSContext> create = () -> {
            GSSManager m = GSSManager.getInstance();
            GSSContext c = m.createContext(m.createName("host/weft.test@TEST", new Oid("1.2.840.113554.1.2.2.1")),
                    new Oid("1.3.6.1.5.5.2"), null, GSSContext.DEFAULT_LIFETIME);
            c.requestMutualAuth(true);
            c.requestConf(true);
            c.requestInteg(true);
            return c;
        };
        GSSContext jdk = Subject.callAs(subject, create::run);
        byte[] init = Subject.callAs(subject, () -> jdk.initSecContext(new byte[0], 0, 0));

        KerberosProvider krb5 = KerberosProvider.server(KerberosAcceptorTest.keys());
        SecurityContext weft = new SpnegoProvider(List.of(new SpnegoProvider.Mechanism(KerberosProvider.MS_OID, krb5),
                new SpnegoProvider.Mechanism(KerberosProvider.OID, krb5))).newServerContext();
        Step answer = weft.step(init);
        assertInstanceOf(Step.Complete.class, answer, "one leg");
        assertEquals("TEST\\alice", weft.identity().toString());

        byte[] last = Subject.callAs(subject, () -> jdk.initSecContext(answer.token(), 0, answer.token().length));
        assertTrue(jdk.isEstablished(), "JGSS took the AP-REP and completed without a mechListMIC");
        assertTrue(last == null || last.length == 0, "and has nothing more to send");

        byte[] message = "a message signed both ways".getBytes(StandardCharsets.US_ASCII);
        byte[] jdkMic = jdk.getMIC(message, 0, message.length, new MessageProp(0, false));
        weft.verify(List.of(Region.data(message.clone())), jdkMic);
        byte[] weftMic = weft.sign(List.of(Region.data(message.clone())));
        MessageProp prop = new MessageProp(0, false);
        jdk.verifyMIC(weftMic, 0, weftMic.length, message, 0, message.length, prop);
        assertTrue(!prop.isDuplicateToken() && !prop.isGapToken() && !prop.isUnseqToken() && !prop.isOldToken());
        jdk.dispose();
    }
}
