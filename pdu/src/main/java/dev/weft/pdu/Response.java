package dev.weft.pdu;

/**
 * A response fragment (PTYPE 2; C706 12.6.4.10). {@code stub} excludes the auth padding and verifier.
 *
 * @param allocHint   remaining stub bytes from this fragment on (Windows and Samba send a non-zero value)
 * @param contextId   the presentation context of the request
 * @param cancelCount cancels received by the server for this call
 * @param auth        the verifier, or {@code null}
 */
public record Response(int flags, int drep, int callId, int allocHint, int contextId, int cancelCount, byte[] stub,
                       SecTrailer auth) implements Pdu {

    /** Header size. */
    public static final int HEADER_SIZE = 24;

    /** Checks that every field fits its wire size; copies lists. */
    public Response {
        Fields.checkFlags(flags);
        Fields.checkU16("p_cont_id", contextId);
        if ((cancelCount & ~0xFF) != 0) throw new IllegalArgumentException("cancel_count out of range");
        if (stub == null) throw new NullPointerException("stub");
    }

    /** An unfragmented little-endian response without verifier. */
    public static Response of(int callId, int contextId, byte[] stub) {
        return new Response(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, stub.length, contextId, 0, stub,
                null);
    }

    @Override
    public int ptype() {
        return PType.RESPONSE;
    }

    /** The same response with another verifier. */
    public Response withAuth(SecTrailer newAuth) {
        return new Response(flags, drep, callId, allocHint, contextId, cancelCount, stub, newAuth);
    }
}
