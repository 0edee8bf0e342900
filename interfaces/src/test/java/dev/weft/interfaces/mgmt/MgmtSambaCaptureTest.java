package dev.weft.interfaces.mgmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.interfaces.CapturedBinding;
import dev.weft.interfaces.GeneratedStubs;
import dev.weft.interfaces.SambaCapture;
import dev.weft.ndr.Uuid;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mgmt, all five operations, as Samba 4.17's client asked each of its AD DC's TCP endpoints
 * ({@code mgmt/samba-4.17-mgmt-tcp.txt}, recorded by {@code tools/interop/capture-samba.sh}), as a Weft user calls
 * them. Weft's client cannot send Samba's rpc__mgmt_inq_stats request, which has a second u32 that C706's has not
 * ({@code SambaCaptureReplayTest.DIVERGENCES}), but decodes its answer.
 */
class MgmtSambaCaptureTest {
    static final SambaCapture CAPTURE = SambaCapture.load("mgmt/samba-4.17-mgmt-tcp.txt");
    static final int ERROR_ACCESS_DENIED = 5, NCA_S_OP_RNG_ERROR = 0x1C010002;

    static <T> T call(String label, Function<Mgmt.Client, T> f) {
        CapturedBinding b = CapturedBinding.of(CAPTURE, label);
        try {
            return f.apply(Mgmt.client(b));
        } finally {
            b.assertSentSambasRequest();
        }
    }

    /** Each endpoint lists the interfaces it serves, mgmt always among them; the rest as Samba answers it. */
    @ParameterizedTest
    @ValueSource(strings = {"epmapper", "netlogon", "lsarpc", "samr"})
    void everyEndpoint(String where) throws Exception {
        var ids = call("inq-if-ids-" + where, Mgmt.Client::inqIfIds);
        assertEquals(0, ids.status());
        List<Uuid> served = ids.ifIdVector().ifId().stream().map(Mgmt.RpcIfId::uuid).toList();
        assertEquals(ids.ifIdVector().count(), served.size());
        assertTrue(served.contains(Uuid.parse("afa8bd80-7d8a-11c9-bef4-08002b102989")), where + ": " + served);
        assertTrue(served.contains(Uuid.parse(switch (where) {
            case "epmapper" -> "e1af8308-5d1f-11c9-91a4-08002b14a0fa";
            case "netlogon" -> "12345678-1234-abcd-ef00-01234567cffb";
            case "lsarpc" -> "12345778-1234-abcd-ef00-0123456789ab";
            default -> "12345778-1234-abcd-ef00-0123456789ac";
        })), where + ": " + served);

        var listening = call("is-server-listening-" + where, Mgmt.Client::isServerListening);
        assertEquals(1, listening.result());
        assertEquals(0, listening.status());
        assertEquals(ERROR_ACCESS_DENIED, call("stop-server-listening-" + where, Mgmt.Client::stopServerListening),
                "never remotely");
        assertEquals(NCA_S_OP_RNG_ERROR, CAPTURE.get("inq-princ-name-ntlm-" + where).fault(),
                "Samba 4.17 implements no rpc__mgmt_inq_princ_name");
        // inq_stats: Samba's request differs from C706's, but its answer is C706's: the count, the conformant
        // array of statistics (all zero: Samba's FIXME) and the status; Weft's client decodes it whole.
        var x = CAPTURE.get("inq-stats-" + where);
        var stats = (Mgmt.InqStatsResult) GeneratedStubs.of(Mgmt.class).decodeResponse(
                new GeneratedStubs.Call("inqStats", new Object[] {4}), x.syntax(), x.response());
        assertEquals(4, stats.countOut());
        assertArrayEquals(new int[4], stats.statistics());
        assertEquals(0, stats.status());
    }
}
