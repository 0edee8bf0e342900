package dev.weft.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.Uuid;
import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.Step;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Signing and sealing request and response fragments (MS-RPCE 3.3.1.5.2.2; RPCE-FACTS §4.6, §13.4). */
class PduProtectorTest {

    static final int INTEGRITY = AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY;
    static final int PRIVACY = AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY;

    /** An NTLM client and server context after the three legs: {client, server}. */
    static SecurityContext[] ntlm(Protection protection) {
        SecurityContext c = NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", "pw"))
                .newClientContext(protection, null);
        SecurityContext s = NtlmProvider.server(NtlmCredentialSource.ofPasswords(Map.of("alice", "pw")))
                .newServerContext();
        byte[] challenge = s.step(c.step(new byte[0]).token()).token();
        s.step(c.step(challenge).token());
        return new SecurityContext[] {c, s};
    }

    static PduProtector[] pair(int level, boolean headerSigning) {
        SecurityContext[] p = ntlm(level == PRIVACY ? Protection.CONFIDENTIALITY : Protection.INTEGRITY);
        return new PduProtector[] {new PduProtector(p[0], level, 7, headerSigning),
                new PduProtector(p[1], level, 7, headerSigning)};
    }

    static byte[] stub(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 1);
        return b;
    }

    @ParameterizedTest
    @CsvSource({"5, false", "5, true", "6, false", "6, true", "4, false", "3, true"})
    void requestsAndResponsesRoundTrip(int level, boolean headerSigning) {
        PduProtector[] p = pair(level, headerSigning);
        for (int n : new int[] {0, 1, 15, 16, 17, 100}) {
            byte[] stub = stub(n);
            byte[] wire = p[0].protect(Request.of(n + 1, 0, 3, stub));
            Request got = (Request) p[1].unprotect(wire);
            assertArrayEquals(stub, got.stub());
            assertEquals(16, got.auth().authLength());
            assertEquals(-n & 15, got.auth().authPadLength(), "padded to 16");
            assertEquals(7, got.auth().authContextId());
            assertEquals(PduProtector.normalize(level), got.auth().authLevel());

            byte[] back = p[1].protect(Response.of(n + 1, 0, stub));
            Response r = (Response) p[0].unprotect(back);
            assertArrayEquals(stub, r.stub());
        }
    }

    @Test
    void privacyEncryptsStubAndPaddingButNotHeaderOrTrailer() {
        PduProtector[] p = pair(PRIVACY, false);
        byte[] stub = stub(20);
        Request plain = Request.of(9, 1, 2, stub);
        byte[] clear = PduCodec.encode(plain.withAuth(p[0].template()));
        byte[] wire = p[0].protect(plain);
        assertEquals(clear.length, wire.length);
        assertArrayEquals(Arrays.copyOf(clear, 24), Arrays.copyOf(wire, 24), "header in clear");
        int trailer = wire.length - 16 - 8;
        assertArrayEquals(Arrays.copyOfRange(clear, trailer, trailer + 8), Arrays.copyOfRange(wire, trailer, trailer + 8),
                "sec_trailer in clear");
        for (int i = 24; i < trailer; i++) {
            if (clear[i] != wire[i]) return; // some body byte changed: sealed
        }
        throw new AssertionError("body not encrypted");
    }

    @Test
    void integrityLeavesStubReadable() {
        PduProtector[] p = pair(INTEGRITY, false);
        byte[] stub = stub(32);
        byte[] wire = p[0].protect(Request.of(1, 0, 0, stub));
        assertArrayEquals(stub, Arrays.copyOfRange(wire, 24, 56));
    }

    @ParameterizedTest
    @CsvSource({
            "5, 20, opnum in the header",
            "6, 20, opnum in the header",
            "5, 30, stub byte",
            "6, 30, stub byte",
            "5, -21, auth_reserved in the sec_trailer",
            "6, -21, auth_reserved in the sec_trailer",
            "5, -5, signature byte",
            "6, -16, signature version"})
    void tamperingIsDetected(int level, int offset, String what) {
        PduProtector[] p = pair(level, false);
        byte[] wire = p[0].protect(Request.of(4, 0, 1, stub(40)));
        int at = offset >= 0 ? offset : wire.length + offset;
        wire[at] ^= 0x01;
        var e = assertThrows(ProtocolException.class, () -> p[1].unprotect(wire), what);
        var fault = assertInstanceOf(ProtocolException.Answer.SendFault.class, e.answer());
        assertTrue(fault.disconnect());
        assertEquals(SecurityContextException.FAULT_SEC_PKG_ERROR, fault.status(), what);
    }

    @Test
    void replayedFragmentIsRefused() {
        PduProtector[] p = pair(INTEGRITY, true);
        byte[] wire = p[0].protect(Request.of(1, 0, 0, stub(8)));
        p[1].unprotect(wire);
        var e = assertThrows(ProtocolException.class, () -> p[1].unprotect(wire));
        assertInstanceOf(SecurityContextException.class, e.getCause());
        assertEquals(SecurityContextException.Reason.OUT_OF_SEQUENCE, ((SecurityContextException) e.getCause()).reason());
    }

    @Test
    void verifierOfAnotherContextOrLevelIsAccessDenied() {
        SecurityContext[] p = ntlm(Protection.CONFIDENTIALITY);
        byte[] otherContext = new PduProtector(p[0], INTEGRITY, 8, false).protect(Request.of(1, 0, 0, stub(4)));
        var e = assertThrows(ProtocolException.class,
                () -> new PduProtector(p[1], INTEGRITY, 7, false).unprotect(otherContext));
        assertEquals(new ProtocolException.Answer.SendFault(FaultStatus.ERROR_ACCESS_DENIED.code(), false, true),
                e.answer());

        SecurityContext[] q = ntlm(Protection.CONFIDENTIALITY);
        byte[] lowerLevel = new PduProtector(q[0], INTEGRITY, 7, false).protect(Request.of(1, 0, 0, stub(4)));
        assertThrows(ProtocolException.class, () -> new PduProtector(q[1], PRIVACY, 7, false).unprotect(lowerLevel));
    }

    @Test
    void missingVerifierIsAccessDenied() {
        PduProtector[] p = pair(INTEGRITY, false);
        byte[] bare = PduCodec.encode(Request.of(1, 0, 0, stub(4)));
        var e = assertThrows(ProtocolException.class, () -> p[1].unprotect(bare));
        assertEquals(new ProtocolException.Answer.SendFault(FaultStatus.ERROR_ACCESS_DENIED.code(), false, true),
                e.answer());
    }

    @Test
    void objectUuidRequestsRoundTrip() {
        PduProtector[] p = pair(PRIVACY, true);
        Uuid object = Uuid.parse("01234567-89ab-cdef-0123-456789abcdef");
        byte[] stub = stub(33);
        Request r = new Request(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 5, 33, 0, 2, object, stub, null);
        Request got = (Request) p[1].unprotect(p[0].protect(r));
        assertEquals(object, got.object());
        assertArrayEquals(stub, got.stub());
    }

    @Test
    void fragmentsFromTheFragmenterRoundTripInOrder() {
        PduProtector[] p = pair(PRIVACY, false);
        byte[] stub = stub(10_000);
        List<Request> frags = new Fragmenter(2048, p[0].template()).request(3, 0, 1, null, stub);
        assertTrue(frags.size() > 4);
        Reassembler reassembler = new Reassembler();
        Request whole = null;
        for (Request f : frags) {
            byte[] wire = p[0].protect(f);
            assertTrue(wire.length <= 2048);
            Request got = (Request) p[1].unprotect(wire);
            whole = reassembler.add(got.withAuth(null));
        }
        assertArrayEquals(stub, whole.stub());
    }

    @Test
    void connectLevelSendsNoVerifierAndIgnoresOne() {
        SecurityContext[] p = ntlm(Protection.AUTHENTICATION);
        PduProtector c = new PduProtector(p[0], AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT, 0, false);
        assertNull(c.template());
        byte[] wire = c.protect(Request.of(1, 0, 0, stub(5)));
        assertEquals(0, PduHeader.parse(wire, 0).authLength());
        assertArrayEquals(stub(5), ((Request) new PduProtector(p[1], 2, 0, false).unprotect(wire)).stub());
    }

    @Test
    void spnegoWrappedNtlmProtectsAtPrivacy() {
        var server = dev.weft.security.spnego.SpnegoProvider.ntlm(
                NtlmProvider.server(NtlmCredentialSource.ofPasswords(Map.of("alice", "pw")))).newServerContext();
        var client = dev.weft.security.spnego.SpnegoProvider.ntlm(
                NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", "pw")))
                .newClientContext(Protection.CONFIDENTIALITY, null);
        byte[] token = client.step(new byte[0]).token();
        while (!(client.isComplete() && server.isComplete())) {
            token = server.step(token).token();
            if (!client.isComplete()) token = client.step(token).token();
        }
        PduProtector c = new PduProtector(client, PRIVACY, 0, true);
        PduProtector s = new PduProtector(server, PRIVACY, 0, true);
        assertEquals(AuthType.RPC_C_AUTHN_GSS_NEGOTIATE, c.template().authType());
        for (int i = 0; i < 3; i++) {
            Request got = (Request) s.unprotect(c.protect(Request.of(i, 0, 1, stub(50 + i))));
            assertArrayEquals(stub(50 + i), got.stub());
            Response back = (Response) c.unprotect(s.protect(Response.of(i, 0, stub(9))));
            assertArrayEquals(stub(9), back.stub());
        }
    }

    @Test
    void bindFamilyIsNotProtected() {
        PduProtector[] p = pair(INTEGRITY, false);
        assertThrows(IllegalArgumentException.class, () -> p[0].protect(new Shutdown(PfcFlags.FIRST_AND_LAST,
                Drep.LITTLE_ENDIAN, 1)));
    }

    // ------------------------------------------------------------- which regions the security context sees

    /** Records the regions it is given; its signature is 16 zero bytes. */
    static final class RecordingContext implements SecurityContext {
        final List<List<Region>> calls = new ArrayList<>();
        final List<byte[]> snapshots = new ArrayList<>();

        public int authType() { return AuthType.RPC_C_AUTHN_GSS_KERBEROS; }
        public Step step(byte[] input) { throw new IllegalStateException(); }
        public boolean isComplete() { return true; }
        public Protection negotiatedProtection() { return Protection.CONFIDENTIALITY; }
        public Identity identity() { return Identity.ANONYMOUS; }
        public byte[] sessionKey() { return new byte[16]; }
        public int signatureLength() { return 16; }
        public byte[] sign(List<Region> regions) { record(regions); return new byte[16]; }
        public void verify(List<Region> regions, byte[] signature) { record(regions); }
        public byte[] seal(List<Region> regions) { record(regions); return new byte[16]; }
        public void unseal(List<Region> regions, byte[] signature) { record(regions); }

        private void record(List<Region> regions) {
            calls.add(regions);
            snapshots.add(regions.get(0).buffer().clone());
        }
    }

    @ParameterizedTest
    @CsvSource({"false, READ_ONLY", "true, SIGN_ONLY"})
    void regionsAreHeaderBodyAndTrailer(boolean headerSigning, Region.Kind outside) {
        RecordingContext ctx = new RecordingContext();
        byte[] wire = new PduProtector(ctx, PRIVACY, 3, headerSigning).protect(Request.of(1, 0, 0, stub(5)));
        List<Region> r = ctx.calls.get(0);
        assertEquals(3, r.size());
        assertEquals(List.of(0, 24, 24, 16, 40, 8),
                List.of(r.get(0).offset(), r.get(0).length(), r.get(1).offset(), r.get(1).length(), r.get(2).offset(),
                        r.get(2).length()), "header 24, stub 5 + pad 11, sec_trailer 8");
        assertEquals(List.of(outside, Region.Kind.DATA, outside), r.stream().map(Region::kind).toList());
        // The security context sees final frag_length and auth_length (they are signed with the header).
        byte[] seen = ctx.snapshots.get(0);
        assertEquals(wire.length, PduHeader.parse(seen, 0).fragLength());
        assertEquals(16, PduHeader.parse(seen, 0).authLength());
        assertEquals(24 + 16 + 8 + 16, wire.length);
        assertFalse(new PduProtector(ctx, PRIVACY, 3, headerSigning).template() == null);
    }
}
