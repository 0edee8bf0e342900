package dev.weft.interfaces.netlogon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.interfaces.CapturedBinding;
import dev.weft.interfaces.GeneratedStubs;
import dev.weft.interfaces.SambaCapture;
import dev.weft.interfaces.netlogon.Netlogon.DomainControllerInfow;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonAuthenticator;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonCredential;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonSecureChannelType;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonValidation;
import dev.weft.interfaces.netlogon.Netlogon.UnicodeString;
import dev.weft.interfaces.samr.SamrPasswords;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * netlogon as Samba 4.17's client spoke it to its AD DC ({@code netlogon/samba-4.17-netlogon-tcp.txt}, recorded by
 * {@code tools/interop/capture-samba.sh}), as a Weft user calls it. The script authenticated the workstation
 * account WEFTCAP$ itself, with fixed client challenges, so the credentials follow from the challenges and the
 * account's password alone (MS-NRPC 3.1.4.3.1, 3.1.4.4.1, AES): this test computes them with the JDK, Weft's client
 * sends exactly Samba's ServerAuthenticate3 and ServerAuthenticate2 requests, and the server credentials in Samba's
 * answers are the ones a server holding the same key computes. Then the DC locator, and the calls Samba's library
 * made on its secure channel (sealed on the wire; the capture script decrypted them): a network logon of rpcuser.
 */
class NetlogonSambaCaptureTest {
    static final SambaCapture CAPTURE = SambaCapture.load("netlogon/samba-4.17-netlogon-tcp.txt");
    /** The password capture-samba.sh gives WEFTCAP$ (WEFTCAP_PASSWORD). */
    static final String MACHINE_PASSWORD = "WeftCap-Machine-Passw0rd1";
    static final String SERVER = "\\\\RPCDC", COMPUTER = "WEFTCAP", ACCOUNT = "WEFTCAP$";
    static final int AES_FLAGS = 0x612FFFFF, NETLOGON_NEG_SUPPORTS_AES = 0x01000000;
    static final int STATUS_SUCCESS = 0, STATUS_ACCESS_DENIED = 0xC0000022, STATUS_NO_TRUST_SAM_ACCOUNT = 0xC000018B;
    static final int ERROR_NO_SUCH_DOMAIN = 1355;

    static <T> T call(String label, Function<Netlogon.Client, T> f) {
        CapturedBinding b = CapturedBinding.of(CAPTURE, label);
        try {
            return f.apply(Netlogon.client(b));
        } finally {
            b.assertSentSambasRequest();
        }
    }

    /** MS-NRPC 3.1.4.3.1: with AES, the session key is HMAC-SHA256 over both challenges, keyed by the NT hash. */
    static byte[] sessionKey(byte[] clientChallenge, byte[] serverChallenge) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SamrPasswords.ntHash(MACHINE_PASSWORD), "HmacSHA256"));
        mac.update(clientChallenge);
        return Arrays.copyOf(mac.doFinal(serverChallenge), 16);
    }

    /** MS-NRPC 3.1.4.4.1: AES-128 in CFB8 mode with a zero IV. */
    static byte[] credential(byte[] key, byte[] data) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/CFB8/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        return c.doFinal(data);
    }

    static String text(UnicodeString s) {
        char[] c = new char[s.length() / 2];
        for (int i = 0; i < c.length; i++) c[i] = (char) s.buffer()[i];
        return new String(c);
    }

    static byte[] bytes(int from) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (from + i);
        return b;
    }

    @Test
    void serverAuthenticate3WithCredentialsComputedHere() throws Exception {
        byte[] clientChallenge = bytes(1);
        var challenge = call("req-challenge-1", n -> n.netrServerReqChallenge(SERVER, COMPUTER, new NetlogonCredential(clientChallenge)));
        assertEquals(STATUS_SUCCESS, challenge.result());
        byte[] serverChallenge = challenge.serverChallenge().data();
        byte[] key = sessionKey(clientChallenge, serverChallenge);
        byte[] clientCredential = credential(key, clientChallenge);

        var auth = call("authenticate3", n -> n.netrServerAuthenticate3(SERVER, ACCOUNT,
                NetlogonSecureChannelType.WorkstationSecureChannel, COMPUTER, new NetlogonCredential(clientCredential), AES_FLAGS));
        assertEquals(STATUS_SUCCESS, auth.result());
        assertArrayEquals(credential(key, serverChallenge), auth.serverCredential().data(),
                "Samba's server credential proves it computed the same session key");
        assertEquals(NETLOGON_NEG_SUPPORTS_AES, auth.negotiateFlagsOut() & NETLOGON_NEG_SUPPORTS_AES);
        assertTrue(auth.accountRid() >= 1000, "WEFTCAP$'s RID " + auth.accountRid());

        // The next authenticator (3.1.4.5): the stored credential plus the time, encrypted. Without a secure
        // channel Samba refuses the call ("server schannel = yes"), in the stub.
        int timestamp = 0x5F000000;
        ByteBuffer stored = ByteBuffer.wrap(clientCredential.clone()).order(ByteOrder.LITTLE_ENDIAN);
        stored.putInt(0, stored.getInt(0) + timestamp);
        var authenticator = new NetlogonAuthenticator(new NetlogonCredential(credential(key, stored.array())), timestamp);
        var caps = call("get-capabilities-no-schannel", n -> n.netrLogonGetCapabilities(SERVER, COMPUTER, authenticator,
                new NetlogonAuthenticator(new NetlogonCredential(new byte[8]), 0), 1));
        assertEquals(STATUS_ACCESS_DENIED, caps.result());
    }

    @Test
    void serverAuthenticate2AndWhatIsRefused() throws Exception {
        byte[] clientChallenge = bytes(11);
        byte[] serverChallenge = call("req-challenge-2", n -> n.netrServerReqChallenge(null, COMPUTER,
                new NetlogonCredential(clientChallenge))).serverChallenge().data();
        byte[] key = sessionKey(clientChallenge, serverChallenge);
        byte[] clientCredential = credential(key, clientChallenge);
        var auth = call("authenticate2", n -> n.netrServerAuthenticate2(SERVER, ACCOUNT,
                NetlogonSecureChannelType.WorkstationSecureChannel, COMPUTER, new NetlogonCredential(clientCredential), AES_FLAGS));
        assertEquals(STATUS_SUCCESS, auth.result());
        assertArrayEquals(credential(key, serverChallenge), auth.serverCredential().data());

        call("req-challenge-3", n -> n.netrServerReqChallenge(SERVER, COMPUTER, new NetlogonCredential(bytes(21))));
        var wrong = call("authenticate-wrong-credential", n -> n.netrServerAuthenticate(SERVER, ACCOUNT,
                NetlogonSecureChannelType.WorkstationSecureChannel, COMPUTER, new NetlogonCredential(new byte[8])));
        assertEquals(0xC0000388, wrong.result(), "STATUS_DOWNGRADE_DETECTED: Samba 4.17 wants AES, ServerAuthenticate has no flags");
        var none = call("authenticate3-no-challenge", n -> n.netrServerAuthenticate3(SERVER, "NOSUCHMACHINE$",
                NetlogonSecureChannelType.WorkstationSecureChannel, "NOSUCHMACHINE", new NetlogonCredential(new byte[8]), AES_FLAGS));
        assertEquals(STATUS_NO_TRUST_SAM_ACCOUNT, none.result());
    }

    @Test
    void dcLocator() {
        DomainControllerInfow dc = call("get-dc-name-ex2", n -> n.dsrGetDcNameEx2(null, null, 0, null, null, null, 0))
                .domainControllerInfo();
        assertEquals("\\\\RPCDC", dc.domainControllerName());
        assertEquals("\\\\127.0.0.1", dc.domainControllerAddress());
        assertEquals("RPCTEST", dc.domainName());
        assertEquals("rpctest.local", dc.dnsForestName());
        assertEquals("Default-First-Site-Name", dc.dcSiteName());
        DomainControllerInfow dns = call("get-dc-name-ex2-dns", n -> n.dsrGetDcNameEx2(SERVER, ACCOUNT, 0x80, "rpctest.local",
                null, null, 0x40000000)).domainControllerInfo();
        assertEquals("\\\\rpcdc.rpctest.local", dns.domainControllerName());
        assertEquals(dc.domainGuid(), dns.domainGuid());
        assertEquals(dc, call("get-dc-name-ex", n -> n.dsrGetDcNameEx(null, "RPCTEST", null, null, 0)).domainControllerInfo());
        assertEquals(dc, call("get-dc-name", n -> n.dsrGetDcName(null, "RPCTEST", null, null, 0)).domainControllerInfo());
        assertEquals("\\\\RPCDC", call("get-dc-name-nt4", n -> n.netrGetDCName(SERVER, "RPCTEST")).buffer());
        var any = call("get-any-dc-name", n -> n.netrGetAnyDCName(null, "RPCTEST"));
        assertEquals(ERROR_NO_SUCH_DOMAIN, any.result());
        assertNull(any.buffer());
        assertEquals("Default-First-Site-Name", call("get-site-name", n -> n.dsrGetSiteName(null)).siteName());
        var trusts = call("enumerate-domain-trusts", n -> n.dsrEnumerateDomainTrusts(null, 0x3F));
        assertEquals(List.of("rpctest.local"), trusts.domains().domains().stream().map(Netlogon.DsDomainTrustsw::dnsDomainName).toList());
    }

    /**
     * A network logon of rpcuser on the secure channel Samba's library set up (NetrLogonSamLogonEx at validation
     * level 6): the request decodes to the NTLMv2 response the script computed, the answer to rpcuser's SAM
     * information. The stubs were sealed; that they decode to every byte shows the decryption right.
     */
    @Test
    void networkLogonOnTheSecureChannel() throws Exception {
        var x = CAPTURE.get("schannel-sam-logon-ex");
        GeneratedStubs stubs = GeneratedStubs.of(Netlogon.class);
        var request = stubs.decodeRequest(x.opnum(), x.syntax(), false, x.request(), x.trailer() != null);
        assertEquals(SERVER, request.args()[0]);
        assertEquals(COMPUTER, request.args()[1]);
        var logon = assertInstanceOf(Netlogon.NetlogonLevel.LogonNetwork.class, request.args()[3]).logonNetwork();
        assertEquals("rpcuser", text(logon.identity().userName()));
        assertArrayEquals(new byte[] {0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47}, logon.lmChallenge().data());

        var result = (Netlogon.NetrLogonSamLogonExResult) stubs.decodeResponse(request, x.syntax(), x.response());
        assertEquals(STATUS_SUCCESS, result.result());
        var info = assertInstanceOf(NetlogonValidation.ValidationSam4.class, result.validationInformation()).validationSam4();
        assertEquals("rpcuser", text(info.effectiveName()));
        assertEquals("RPCTEST", text(info.logonDomainName()));
        assertEquals(513, info.primaryGroupId());
        assertEquals(1, result.authoritative());
    }
}
