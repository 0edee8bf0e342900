package dev.weft.pdu;

import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.util.List;

/** One valid PDU of every type, with and without verifiers; shared by the round-trip and robustness tests. */
final class Samples {
    static final SyntaxId EPM = new SyntaxId(Uuid.parse("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);
    static final Uuid OBJECT = Uuid.parse("12345678-1234-abcd-ef00-0123456789ab");

    private Samples() {
    }

    static byte[] seq(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 1);
        return b;
    }

    static SecTrailer ntlm(int pad) {
        return new SecTrailer(AuthType.RPC_C_AUTHN_WINNT, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, pad, 1, seq(16));
    }

    static List<Pdu> all() {
        int le = Drep.LITTLE_ENDIAN;
        int fl = PfcFlags.FIRST_AND_LAST;
        List<ContextElement> contexts = List.of(
                new ContextElement(0, EPM, List.of(SyntaxId.NDR20, SyntaxId.NDR64)),
                BindTimeFeatures.contextElement(1, EPM, 3));
        List<ContextResult> results = List.of(ContextResult.accepted(SyntaxId.NDR20),
                BindTimeFeatures.negotiateAck(3, 2), ContextResult.rejected(2));
        return List.of(
                Request.of(1, 0, 2, seq(13)),
                new Request(fl, le, 2, 13, 1, 3, OBJECT, seq(13), ntlm(0)),
                new Request(PfcFlags.FIRST_FRAG, le, 3, 100, 1, 3, null, seq(32), ntlm(0)),
                Response.of(4, 0, seq(7)),
                new Response(fl | PfcFlags.PENDING_CANCEL, le, 5, 40, 1, 2, seq(40), ntlm(0)),
                Fault.of(6, 0, FaultStatus.NCA_S_UNK_IF.code(), true),
                new Fault(fl, le, 7, 24, 2, 1, Fault.EXTENDED_ERROR_PRESENT, 5, seq(3), ntlm(0)),
                new Bind(fl | PfcFlags.CONC_MPX | PfcFlags.SUPPORT_HEADER_SIGN, le, 8, 5840, 5840, 0, contexts, null),
                new Bind(fl, le, 9, 4280, 4280, 0x1234, contexts, ntlm(0)),
                new AlterContext(fl, le, 10, 5840, 5840, 7, contexts.subList(0, 1), ntlm(0)),
                new AlterContext(fl, le, 11, 5840, 5840, 7, List.of(), null),
                new BindAck(fl, le, 12, 5840, 5840, 0x5678, "135", results, null),
                new BindAck(fl, le, 13, 4280, 4280, 1, "\\PIPE\\lsass", results, ntlm(0)),
                new BindAck(fl, le, 14, 4280, 4280, 1, "49667", List.of(), null),
                new AlterContextResp(fl, le, 15, 5840, 5840, 9, "", results.subList(0, 1), ntlm(0)),
                BindNak.of(16, RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED),
                new BindNak(fl, le, 17, 0, List.of(), null),
                new BindNak(fl, le, 18, 2, List.of(ProtocolVersion.V5_0, new ProtocolVersion(5, 1)),
                        BindNak.EXTENDED_ERROR_SIGNATURE),
                new Auth3(fl, le, 19, ntlm(0)),
                new Shutdown(fl, le, 20),
                new CoCancel(fl, le, 21, null),
                new CoCancel(fl, le, 22, ntlm(0)),
                new Orphaned(fl, le, 23, null),
                new Orphaned(fl, le, 24, ntlm(0)),
                new Rts(fl, le, 0, Rts.RTS_FLAG_PING, 1, seq(8)));
    }
}
