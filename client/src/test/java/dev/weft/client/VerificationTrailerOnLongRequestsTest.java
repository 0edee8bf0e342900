package dev.weft.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.NdrReader;
import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.Framer;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Request;
import dev.weft.pdu.VerificationTrailer;
import dev.weft.server.RpcServer;
import dev.weft.server.ServerLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verification trailer (MS-RPCE 2.2.2.13) on requests longer than one fragment, checked on the bytes the client
 * sent (through a relay) at PKT and PKT_INTEGRITY, where the stub is readable: the trailer follows the stub 4-aligned
 * and lies whole in the last fragment, also where a plain cut would split it between the last two fragments; no
 * other fragment carries it; and Weft's server, which checks it on the reassembled stub, runs the call.
 */
class VerificationTrailerOnLongRequestsTest {

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {AuthLevel.RPC_C_AUTHN_LEVEL_PKT, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
            AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY})
    void theTrailerOfALongRequestIsWholeInItsLastFragment(int level) throws IOException {
        try (RpcServer server = SecurityContextMultiplexingClientTest.start(ServerLimits.DEFAULT)) {
            // 2048-byte fragments carry 2000 stub bytes under an NTLMSSP signature; the trailer (BITMASK_1 and
            // PCONTEXT on a connection's first call, 60 bytes) starts 4 bytes of conformance plus the data in.
            for (int n : new int[] {1937, 1939, 1940, 1950, 1960, 1992, 1996, 2000, 3940, 3960, 5000}) {
                try (Relay relay = new Relay(server.endpoints().get(0).port());
                     RpcClient client = RpcClient.connect(relay.binding(), ClientOptions.DEFAULT.withMaxFragment(2048)
                             .withAuth(SecurityContextMultiplexingClientTest.auth("ntlm", "alice", level)))) {
                    BindingHandle h = client.bind(SecurityContextMultiplexingClientTest.ID);
                    byte[] data = new byte[n];
                    for (int i = 0; i < n; i++) data[i] = (byte) (i * 7);
                    var seen = SecurityContextMultiplexingClientTest.who(h, data);
                    assertArrayEquals(data, seen.data(), "the server checked the trailer and ran the call");
                    if (level == AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY) continue; // sealed: the call's success is the check
                    List<Request> fragments = onlyCall(relay.sent());
                    assertTrue(fragments.size() >= 2, n + ": a long request");
                    Request last = fragments.get(fragments.size() - 1);
                    assertTrue(PfcFlags.has(last.flags(), PfcFlags.LAST_FRAG));
                    VerificationTrailer.Found vt = VerificationTrailer.find(last.stub());
                    assertNotNull(vt, n + ": a trailer in the last fragment");
                    assertEquals(0, (last.headerSize() + vt.offset()) % 4, "4-aligned relative to the PDU");
                    assertEquals(last.stub().length, vt.offset() + vt.trailer().encode().length, "it ends the stub");
                    for (Request f : fragments.subList(0, fragments.size() - 1)) {
                        assertNull(VerificationTrailer.find(f.stub()), n + ": no trailer, nor part of one, before the last");
                        assertEquals(0, f.stub().length % 16, n + ": no auth padding before the last fragment");
                    }
                    VerificationTrailer.PContext pc = vt.trailer().command(VerificationTrailer.PContext.class);
                    assertEquals(SecurityContextMultiplexingClientTest.ID, pc.interfaceId());
                    assertEquals(h.syntax().id(), pc.transferSyntax());
                    assertEquals(VerificationTrailer.CLIENT_SUPPORT_HEADER_SIGNING,
                            vt.trailer().command(VerificationTrailer.Bitmask1.class).bits());
                    // the stub the server reassembles: the call's parameters, zero padding to 4, the trailer
                    byte[] whole = join(fragments);
                    NdrReader params = new NdrReader(h.syntax(), whole);
                    assertEquals(n, params.readConformance());
                    assertArrayEquals(data, params.readBytes(n));
                    int end = whole.length - params.remaining();
                    int at = (end + 3) & ~3;
                    assertEquals(whole.length - at, vt.trailer().encode().length);
                    for (int i = end; i < at; i++) assertEquals(0, whole[i], "zero padding before the trailer");
                }
            }
        }
    }

    /** The request fragments of the one call in a client's byte stream. */
    static List<Request> onlyCall(byte[] stream) throws IOException {
        List<Request> fragments = new ArrayList<>();
        Framer f = new Framer(new ByteArrayInputStream(stream), 0xFFFF);
        for (byte[] fragment; (fragment = f.readFragment()) != null; ) {
            if (PduCodec.decode(fragment) instanceof Request r) {
                if (!fragments.isEmpty()) assertEquals(fragments.get(0).callId(), r.callId(), "one call");
                fragments.add(r);
            }
        }
        return fragments;
    }

    static byte[] join(List<Request> fragments) {
        int n = 0;
        for (Request r : fragments) n += r.stub().length;
        byte[] out = new byte[n];
        int off = 0;
        for (Request r : fragments) {
            System.arraycopy(r.stub(), 0, out, off, r.stub().length);
            off += r.stub().length;
        }
        return out;
    }
}
