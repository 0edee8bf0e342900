package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.security.Region;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.MessageProp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RC4-HMAC against an implementation Weft did not write, without a KDC: the JDK's own Kerberos acceptor (JGSS, its
 * RFC 4757 code) takes an AP-REQ whose ticket and Authenticator Weft encrypted with RC4-HMAC, answers with an AP-REP
 * that Weft decrypts, and then exchanges MIC and wrap tokens with Weft's {@link Rc4HmacTokens} both ways. JGSS
 * writes ordinary (not DCE-style) wrap tokens, which carry the data and a padding byte inside the token: the test
 * moves the data out (and back in), which changes only the framing's length, not what is checksummed or encrypted.
 *
 * <p>The JDK refuses RC4 unless its Kerberos configuration says {@code allow_weak_crypto = true}; the test writes
 * one and logs the service in from a keytab it writes too (which the JDK reads: a check of the keytab format as
 * well).
 */
class Rc4HmacAgainstJgssTest {

    static final String SERVICE = "host/weft.test@TEST";
    static final byte[] SERVICE_KEY = Rc4Hmac.stringToKey("Service-Passw0rd1".toCharArray());
    static final SecureRandom RANDOM = new SecureRandom();
    static Path dir;
    static String previousConf;
    static Subject service;

    @BeforeAll
    static void jdkAcceptor() throws Exception {
        dir = Files.createTempDirectory("weft-rc4-jgss");
        Path conf = dir.resolve("krb5.conf");
        Files.writeString(conf, """
                [libdefaults]
                \tdefault_realm = TEST
                \tallow_weak_crypto = true
                \tpermitted_enctypes = rc4-hmac aes256-cts-hmac-sha1-96
                [realms]
                \tTEST = {
                \t\tkdc = 127.0.0.1:9
                \t}
                """);
        Path keytab = dir.resolve("service.keytab");
        Files.write(keytab, keytab(List.of("host", "weft.test"), "TEST", 3, Rc4Hmac.ETYPE, SERVICE_KEY));
        previousConf = System.getProperty("java.security.krb5.conf");
        System.setProperty("java.security.krb5.conf", conf.toString());
        Configuration jaas = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of("principal", SERVICE, "useKeyTab", "true", "keyTab", keytab.toString(), "storeKey", "true",
                                "isInitiator", "false", "doNotPrompt", "true", "refreshKrb5Config", "true"))};
            }
        };
        LoginContext lc = new LoginContext("weft-test-acceptor", new Subject(), callbacks -> { }, jaas);
        lc.login();
        service = lc.getSubject();
    }

    @AfterAll
    static void restore() throws IOException {
        if (previousConf == null) System.clearProperty("java.security.krb5.conf");
        else System.setProperty("java.security.krb5.conf", previousConf);
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    /** One keytab entry in the MIT version 2 format (big-endian), as ktutil writes it. */
    static byte[] keytab(List<String> components, String realm, int kvno, int etype, byte[] key) throws IOException {
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        DataOutputStream e = new DataOutputStream(entry);
        e.writeShort(components.size());
        e.writeShort(realm.length());
        e.write(realm.getBytes(StandardCharsets.UTF_8));
        for (String c : components) {
            e.writeShort(c.length());
            e.write(c.getBytes(StandardCharsets.UTF_8));
        }
        e.writeInt(1);                                   // KRB5_NT_PRINCIPAL
        e.writeInt((int) Instant.now().getEpochSecond());
        e.writeByte(kvno);
        e.writeShort(etype);
        e.writeShort(key.length);
        e.write(key);
        e.writeInt(kvno);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream f = new DataOutputStream(file);
        f.writeShort(0x0502);
        f.writeInt(entry.size());
        f.write(entry.toByteArray());
        return file.toByteArray();
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    interface GssAction<T> {
        T run() throws Exception;
    }

    static <T> T asService(GssAction<T> action) {
        return Subject.callAs(service, action::run);
    }

    @Test
    void theJdkAcceptsWeftsRc4ApReqAndBothSidesReadEachOthersTokens() throws Exception {
        byte[] sessionKey = random(16), subkey = random(16);
        long initiatorSeq = 0x1234567;
        byte[] ticket = HandMade.ticket(Rc4Hmac.ETYPE, SERVICE_KEY, 3, Rc4Hmac.ETYPE, sessionKey, "alice",
                Instant.now().plusSeconds(3600), null);
        byte[] authenticator = HandMade.authenticator("alice", Instant.now(), 0x3E, initiatorSeq, Rc4Hmac.ETYPE, subkey);
        byte[] apReq = ApMessages.frame(HandMade.apReq(ticket, Rc4Hmac.ETYPE, sessionKey, authenticator), 0x0100);

        GSSContext jdk = asService(() -> GSSManager.getInstance().createContext((GSSCredential) null));
        byte[] apRep = asService(() -> jdk.acceptSecContext(apReq, 0, apReq.length));
        assertTrue(jdk.isEstablished(), "the JDK opened the RC4 ticket and Authenticator Weft encrypted");
        assertEquals("alice@TEST", jdk.getSrcName().toString());
        assertTrue(jdk.getConfState(), "confidentiality was asked for in the checksum flags");

        // Weft decrypts the JDK's AP-REP (RC4-HMAC, key usage 12).
        ApMessages.KeyAndSeq acceptor = ApMessages.apRep(apRep, Rc4Hmac.ETYPE, sessionKey);
        assertNull(acceptor.subkey(), "the JDK's acceptor sends no subkey: the context key is the initiator's subkey");
        assertTrue(acceptor.seq() >= 0);
        Rc4HmacTokens weft = new Rc4HmacTokens(subkey, true, initiatorSeq, acceptor.seq());

        byte[] message = "forty bytes of message for RC4-HMAC test".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 3; round++) {                // the sequence numbers advance on both sides
            // JDK MIC -> Weft; Weft MIC -> JDK.
            byte[] jdkMic = asService(() -> jdk.getMIC(message, 0, message.length, new MessageProp(0, false)));
            assertEquals(weft.micLength(), jdkMic.length, "a 37-byte RFC 4757 MIC token");
            weft.verifyMic(List.of(Region.data(message.clone())), jdkMic);
            byte[] weftMic = weft.getMic(List.of(Region.data(message.clone())));
            MessageProp micProp = new MessageProp(0, false);
            asService(() -> {
                jdk.verifyMIC(weftMic, 0, weftMic.length, message, 0, message.length, micProp);
                return null;
            });
            assertFalse(micProp.isDuplicateToken() || micProp.isOldToken() || micProp.isUnseqToken() || micProp.isGapToken());

            // JDK wrap -> Weft unwrap: the JDK's token holds header, then the encrypted data and its padding.
            byte[] jdkWrap = asService(() -> jdk.wrap(message, 0, message.length, new MessageProp(0, true)));
            int header = weft.wrapLength();
            byte[] token = Arrays.copyOf(jdkWrap, header);
            token[1] = (byte) (header - 2);                      // the DCE-style length: the token only
            byte[] sealed = Arrays.copyOfRange(jdkWrap, header, jdkWrap.length);
            weft.unwrap(List.of(Region.data(sealed)), token);
            assertArrayEquals(message, Arrays.copyOf(sealed, message.length));
            int pad = sealed.length - message.length;
            for (int i = message.length; i < sealed.length; i++) assertEquals(pad, sealed[i], "RFC 1964 padding");

            // Weft wrap -> JDK unwrap: Weft seals the data with one padding byte, the token is put in front.
            byte[] data = Arrays.copyOf(message, message.length + 1);
            data[message.length] = 1;
            byte[] weftToken = weft.wrap(List.of(Region.data(data)));
            assertFalse(Arrays.equals(Arrays.copyOf(data, message.length), message), "sealed in place");
            byte[] whole = Arrays.copyOf(weftToken, weftToken.length + data.length);
            System.arraycopy(data, 0, whole, weftToken.length, data.length);
            whole[1] = (byte) (whole.length - 2);
            MessageProp wrapProp = new MessageProp(0, true);
            byte[] opened = asService(() -> jdk.unwrap(whole, 0, whole.length, wrapProp));
            assertArrayEquals(message, opened);
            assertTrue(wrapProp.getPrivacy(), "the JDK saw it sealed");
            assertFalse(wrapProp.isDuplicateToken() || wrapProp.isOldToken() || wrapProp.isUnseqToken() || wrapProp.isGapToken());
        }
        asService(() -> {
            jdk.dispose();
            return null;
        });
    }

    @Test
    void weftReadsTheKeytabTheJdkReads() throws IOException {
        Path file = dir.resolve("service.keytab");
        ServiceKeys keys = ServiceKeys.keytab(file, SERVICE);
        assertArrayEquals(SERVICE_KEY, keys.key(Rc4Hmac.ETYPE, 3));
        assertEquals(SERVICE, keys.principal());
    }
}
