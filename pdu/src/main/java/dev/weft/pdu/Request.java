package dev.weft.pdu;

import dev.weft.ndr.Uuid;

/**
 * A request fragment (PTYPE 0; C706 12.6.4.9). {@code object} is present exactly when {@link PfcFlags#OBJECT_UUID}
 * is set; the constructor keeps the two consistent. {@code stub} excludes the auth padding and verifier but includes
 * a verification trailer (MS-RPCE 2.2.2.13), which is part of the body.
 *
 * @param allocHint remaining stub bytes of the call from this fragment on; a hint only, 0 means unknown
 * @param contextId the presentation context ({@code p_cont_id})
 * @param opnum     the operation number
 * @param object    the object UUID, or {@code null}
 * @param auth      the verifier, or {@code null}
 */
public record Request(int flags, int drep, int callId, int allocHint, int contextId, int opnum, Uuid object,
                      byte[] stub, SecTrailer auth) implements Pdu {

    /** Header size without the object UUID. */
    public static final int HEADER_SIZE = 24;
    /** Header size with the object UUID. */
    public static final int HEADER_SIZE_WITH_OBJECT = 40;

    /** Checks field ranges and sets {@link PfcFlags#OBJECT_UUID} exactly when {@code object} is present. */
    public Request {
        Fields.checkFlags(flags);
        Fields.checkU16("p_cont_id", contextId);
        Fields.checkU16("opnum", opnum);
        if (stub == null) throw new NullPointerException("stub");
        flags = object != null ? flags | PfcFlags.OBJECT_UUID : flags & ~PfcFlags.OBJECT_UUID;
    }

    /** An unfragmented little-endian request without object or verifier. */
    public static Request of(int callId, int contextId, int opnum, byte[] stub) {
        return new Request(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, stub.length, contextId, opnum, null,
                stub, null);
    }

    @Override
    public int ptype() {
        return PType.REQUEST;
    }

    /** The header size of this request: 24, or 40 with an object UUID. */
    public int headerSize() {
        return object != null ? HEADER_SIZE_WITH_OBJECT : HEADER_SIZE;
    }

    /** The same request with another verifier. */
    public Request withAuth(SecTrailer newAuth) {
        return new Request(flags, drep, callId, allocHint, contextId, opnum, object, stub, newAuth);
    }
}
