package dev.weft.fuzz;

import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.AlterContext;
import dev.weft.pdu.AlterContextResp;
import dev.weft.pdu.Auth3;
import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.AuthType;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindAck;
import dev.weft.pdu.BindNak;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.pdu.CoCancel;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.ContextResult;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Fault;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.Orphaned;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.ProtocolVersion;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import dev.weft.pdu.Rts;
import dev.weft.pdu.SecTrailer;
import dev.weft.pdu.Shutdown;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Valid PDUs of every type, encoded with {@link PduCodec}, and fragment-level mutations of PDU streams. */
final class Pdus {
    private Pdus() {
    }

    static final SyntaxId SOME_INTERFACE = new SyntaxId(Uuid.parse("60a15ec5-4de8-11d7-a637-005056a20182"), 1, 0);

    /** One of every PDU type, in several shapes. */
    static List<Pdu> every(Random r, byte[] token) {
        List<Pdu> p = new ArrayList<>();
        List<ContextElement> contexts = List.of(
                ContextElement.of(0, SOME_INTERFACE, TransferSyntax.NDR20.id()),
                new ContextElement(1, SOME_INTERFACE, List.of(TransferSyntax.NDR64.id(), TransferSyntax.NDR20.id())),
                BindTimeFeatures.contextElement(2, SOME_INTERFACE, BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN
                        | BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING));
        SecTrailer auth = SecTrailer.of(AuthType.RPC_C_AUTHN_WINNT, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 7, token);
        p.add(Bind.of(1, 5840, 0, contexts));
        p.add(Bind.of(2, 4280, 0x1234, contexts.subList(0, 1)));
        p.add(new Bind(PfcFlags.FIRST_AND_LAST | PfcFlags.CONC_MPX | PfcFlags.SUPPORT_HEADER_SIGN, Drep.LITTLE_ENDIAN, 3,
                5840, 5840, 0, contexts, auth));
        p.add(new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 4, 5840, 5840, 0, contexts, null));
        p.add(new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 4, 5840, 5840, 9, contexts.subList(1, 2), auth));
        List<ContextResult> results = List.of(ContextResult.accepted(TransferSyntax.NDR64.id()),
                ContextResult.rejected(ContextResult.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED),
                BindTimeFeatures.negotiateAck(3, 2));
        p.add(new BindAck(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 1, 5840, 5840, 0x55, "1350", results, null));
        p.add(new BindAck(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 1, 5840, 5840, 0x55, "", results.subList(0, 1), auth));
        p.add(new AlterContextResp(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 2, 5840, 5840, 0x55, "", results, null));
        p.add(BindNak.of(1, 4));
        p.add(new BindNak(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 1, 0, List.of(ProtocolVersion.V5_0,
                new ProtocolVersion(5, 1)), BindNak.EXTENDED_ERROR_SIGNATURE));
        byte[] stub = new byte[40 + r.nextInt(60)];
        r.nextBytes(stub);
        p.add(Request.of(5, 0, 3, stub));
        p.add(new Request(PfcFlags.FIRST_FRAG | PfcFlags.OBJECT_UUID, Drep.LITTLE_ENDIAN, 6, 1000, 1, 2,
                new Uuid(r.nextLong(), r.nextLong()), stub, null));
        p.add(new Request(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 7, stub.length, 0, 1, null, stub,
                SecTrailer.of(AuthType.RPC_C_AUTHN_WINNT, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, 7, new byte[16])));
        p.add(Response.of(5, 0, stub));
        p.add(new Response(PfcFlags.LAST_FRAG, Drep.LITTLE_ENDIAN, 5, 9000, 1, 0, stub,
                SecTrailer.of(AuthType.RPC_C_AUTHN_GSS_NEGOTIATE, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 1, new byte[16])));
        p.add(Fault.of(5, 0, 0x1C010003, true));
        p.add(new Fault(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 6, 8, 0, 0, 0, 5, new byte[8], null));
        p.add(new Auth3(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 3, auth));
        p.add(new CoCancel(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 5, null));
        p.add(new Orphaned(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 5, null));
        p.add(new Shutdown(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 0));
        p.add(new Rts(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 0, Rts.RTS_FLAG_PING, 1, new byte[] {2, 0, 0, 0, 0, 0, 1, 0}));
        return p;
    }

    /** A request stub cut into fragments, encoded back to back. */
    static byte[] fragmented(int callId, int contextId, int opnum, Uuid object, byte[] stub, int maxFrag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Request f : new Fragmenter(maxFrag, null).request(callId, contextId, opnum, object, stub)) {
            out.writeBytes(PduCodec.encode(f));
        }
        return out.toByteArray();
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Splits a stream at its frag_length fields; whatever does not parse stays in one trailing piece. */
    static List<byte[]> split(byte[] stream) {
        List<byte[]> parts = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int len = stream.length - at >= 16 ? fragLength(stream, at) : 0;
            if (len < 16 || len > stream.length - at) len = stream.length - at;
            byte[] f = new byte[len];
            System.arraycopy(stream, at, f, 0, len);
            parts.add(f);
            at += len;
        }
        return parts;
    }

    static int fragLength(byte[] b, int at) {
        boolean le = (b[at + 4] & 0x10) != 0;
        return le ? (b[at + 8] & 0xFF) | (b[at + 9] & 0xFF) << 8 : (b[at + 9] & 0xFF) | (b[at + 8] & 0xFF) << 8;
    }

    static void setFragLength(byte[] b, int len) {
        if (b.length < 16) return;
        boolean le = (b[4] & 0x10) != 0;
        b[le ? 8 : 9] = (byte) len;
        b[le ? 9 : 8] = (byte) (len >>> 8);
    }

    /**
     * Fragment-level mutations of a PDU stream: drop, duplicate or swap fragments, insert one from another corpus
     * entry, mutate one fragment's bytes and fix its frag_length so the stream still frames, change a fragment's
     * flags or call id.
     */
    static byte[] mutateStream(byte[] input, Random r, List<byte[]> corpus, Mutator mutator) {
        List<byte[]> f = new ArrayList<>(split(input));
        if (f.isEmpty()) return null;
        int i = r.nextInt(f.size());
        switch (r.nextInt(8)) {
            case 0 -> {
                if (f.size() > 1) f.remove(i);
            }
            case 1 -> f.add(i, f.get(i).clone());
            case 2 -> {
                int j = r.nextInt(f.size());
                byte[] t = f.get(i);
                f.set(i, f.get(j));
                f.set(j, t);
            }
            case 3 -> {
                List<byte[]> other = split(corpus.get(r.nextInt(corpus.size())));
                if (!other.isEmpty()) f.add(r.nextInt(f.size() + 1), other.get(r.nextInt(other.size())));
                if (f.size() > 64) f.subList(64, f.size()).clear();
            }
            case 4, 5 -> { // mutate inside one fragment, keeping its header's frag_length honest
                byte[] m = mutator.mutate(f.get(i), 16, r, List.of());
                if (r.nextInt(4) != 0) setFragLength(m, m.length);
                f.set(i, m);
            }
            case 6 -> { // flags
                byte[] m = f.get(i).clone();
                if (m.length > 3) m[3] ^= (byte) (1 << r.nextInt(8));
                f.set(i, m);
            }
            default -> { // call id: another fragment's, or a small number
                byte[] m = f.get(i).clone();
                if (m.length >= 16) {
                    byte[] src = f.get(r.nextInt(f.size()));
                    if (src.length >= 16 && r.nextBoolean()) System.arraycopy(src, 12, m, 12, 4);
                    else Mutator.set(m, 12, 4, r.nextInt(8), (m[4] & 0x10) == 0);
                }
                f.set(i, m);
            }
        }
        return concat(f);
    }
}
