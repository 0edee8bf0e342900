package dev.weft.pdu;

import dev.weft.ndr.Uuid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a stub into request or response fragments no longer than the peer's negotiated fragment size
 * (RPCE-FACTS §8). Each fragment's stub space is {@code maxFragment − header} (24, or 40 with an object UUID);
 * with a verifier it is {@code maxFragment − header − 8 − auth_length}, rounded down to a multiple of 16 as Samba
 * does, so only the last fragment needs auth padding (and that padding still fits). {@code alloc_hint} is the
 * stub bytes remaining from each fragment on; the first fragment carries FIRST, the last LAST.
 *
 * <p>With a verifier, every fragment carries a copy of {@code authTemplate}; its {@code auth_value} (typically
 * zeros of the signature's length) is replaced when the fragment is signed or sealed.
 */
public final class Fragmenter {

    private final int maxFragment;
    private final SecTrailer authTemplate;

    /**
     * @param maxFragment  the negotiated fragment size of the receiving peer
     * @param authTemplate the verifier each fragment carries, or {@code null} for none
     * @throws IllegalArgumentException when not even one stub byte (16 with a verifier) fits a fragment
     */
    public Fragmenter(int maxFragment, SecTrailer authTemplate) {
        if (maxFragment > PduCodec.MAX_FRAGMENT) throw new IllegalArgumentException("maxFragment > 65535");
        this.maxFragment = maxFragment;
        this.authTemplate = authTemplate;
        if (stubSpace(true) <= 0) throw new IllegalArgumentException("no stub space in " + maxFragment + " bytes");
    }

    /**
     * Stub bytes per fragment.
     *
     * @param maxFragment the fragment size
     * @param objectUuid  whether the requests carry an object UUID (header 40 instead of 24)
     * @param authLength  the auth_value length, or a negative value for no verifier
     */
    public static int stubSpace(int maxFragment, boolean objectUuid, int authLength) {
        int header = objectUuid ? Request.HEADER_SIZE_WITH_OBJECT : Request.HEADER_SIZE;
        if (authLength < 0) return maxFragment - header;
        int space = maxFragment - header - SecTrailer.SIZE - authLength;
        return space < 0 ? space : space & ~(PduCodec.AUTH_PAD_ALIGNMENT - 1);
    }

    /** Stub bytes per fragment of this fragmenter. */
    public int stubSpace(boolean objectUuid) {
        return stubSpace(maxFragment, objectUuid, authTemplate == null ? -1 : authTemplate.authLength());
    }

    /** The request fragments of one call; a 0-byte stub gives one fragment. */
    public List<Request> request(int callId, int contextId, int opnum, Uuid object, byte[] stub) {
        return request(callId, contextId, opnum, object, stub, stub.length);
    }

    /**
     * As {@link #request(int, int, int, Uuid, byte[])}, keeping {@code stub[tailFrom..]} whole in the last fragment:
     * where the tail would straddle two fragments, the one before the last ends early, at the last multiple of 16
     * at or below {@code tailFrom} (so that no fragment but the last needs auth padding). For the verification
     * trailer, which MS-RPCE 2.2.2.13 puts in the last fragment of a request. A tail that cannot fit one fragment
     * with that margin is cut like any stub.
     */
    public List<Request> request(int callId, int contextId, int opnum, Uuid object, byte[] stub, int tailFrom) {
        if (tailFrom < 0 || tailFrom > stub.length) throw new IllegalArgumentException("tailFrom " + tailFrom);
        int space = stubSpace(object != null);
        int lastFrom = stub.length == 0 ? 0 : (stub.length - 1) / space * space;   // where the last piece starts
        int cut = stub.length;                                                    // none: cut every space bytes
        if (tailFrom < lastFrom && stub.length - (tailFrom & ~(PduCodec.AUTH_PAD_ALIGNMENT - 1)) <= space) {
            cut = tailFrom & ~(PduCodec.AUTH_PAD_ALIGNMENT - 1);
        }
        List<Request> out = new ArrayList<>(count(stub.length, space) + 1);
        int off = 0;
        do {
            int n = Math.min(space, stub.length - off);
            if (off < cut && off + n > cut) n = cut - off;
            out.add(new Request(flags(off, n, stub.length), Drep.LITTLE_ENDIAN, callId, stub.length - off,
                    contextId, opnum, object, Arrays.copyOfRange(stub, off, off + n), authTemplate));
            off += n;
        } while (off < stub.length);
        return out;
    }

    /** The response fragments of one call; a 0-byte stub gives one fragment. */
    public List<Response> response(int callId, int contextId, byte[] stub) {
        int space = stubSpace(false);
        List<Response> out = new ArrayList<>(count(stub.length, space));
        int off = 0;
        do {
            int n = Math.min(space, stub.length - off);
            out.add(new Response(flags(off, n, stub.length), Drep.LITTLE_ENDIAN, callId, stub.length - off,
                    contextId, 0, Arrays.copyOfRange(stub, off, off + n), authTemplate));
            off += n;
        } while (off < stub.length);
        return out;
    }

    /**
     * The wire bytes of a response's fragments, cut from the first {@code length} bytes of {@code stub} with one
     * copy each (the server's hot path). Only without a verifier: a signed or sealed response goes through
     * {@link #response} and the protector.
     */
    public List<byte[]> encodedResponse(int callId, int contextId, byte[] stub, int length) {
        if (authTemplate != null) throw new IllegalStateException("encodedResponse is for responses without a verifier");
        int space = stubSpace(false);
        List<byte[]> out = new ArrayList<>(count(length, space));
        int off = 0;
        do {
            int n = Math.min(space, length - off);
            out.add(PduCodec.encodeResponse(flags(off, n, length), callId, length - off, contextId, stub, off, n));
            off += n;
        } while (off < length);
        return out;
    }

    private static int count(int length, int space) {
        return (int) Math.max(1, ((long) length + space - 1) / space);
    }

    private static int flags(int off, int n, int total) {
        return (off == 0 ? PfcFlags.FIRST_FRAG : 0) | (off + n == total ? PfcFlags.LAST_FRAG : 0);
    }
}
