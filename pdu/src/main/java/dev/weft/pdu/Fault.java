package dev.weft.pdu;

/**
 * A fault (PTYPE 3; C706 12.6.4.7; MS-RPCE 2.2.2.8). Without verifier and stub it is 32 bytes. MS-RPCE forbids
 * servers to send stub data and tells clients to ignore it; the error is always {@code status}.
 *
 * @param allocHint   Samba sends 24 (the size of the fixed body)
 * @param contextId   {@code p_cont_id}; Windows sends 0 for an unknown context
 * @param cancelCount cancels received
 * @param reserved    the byte at offset 23; bit 0x01 flags [MS-EERR] extended error information in the stub
 * @param status      the fault status, see {@link FaultStatus}
 * @param stub        stub data after the fixed body (normally empty)
 * @param auth        the verifier, or {@code null}
 */
public record Fault(int flags, int drep, int callId, int allocHint, int contextId, int cancelCount, int reserved,
                    int status, byte[] stub, SecTrailer auth) implements Pdu {

    /** Size of header and fixed body. */
    public static final int HEADER_SIZE = 32;
    /** Bit of {@code reserved}: extended error information is present (MS-RPCE 2.2.2.8). */
    public static final int EXTENDED_ERROR_PRESENT = 0x01;

    /** Checks that every field fits its wire size; copies lists. */
    public Fault {
        Fields.checkFlags(flags);
        Fields.checkU16("p_cont_id", contextId);
        if ((cancelCount & ~0xFF) != 0 || (reserved & ~0xFF) != 0) throw new IllegalArgumentException("u8 range");
        if (stub == null) throw new NullPointerException("stub");
    }

    /**
     * The fault a server sends: FIRST|LAST, little-endian, alloc_hint 24 as Samba does, no stub, and
     * {@link PfcFlags#DID_NOT_EXECUTE} when asked.
     */
    public static Fault of(int callId, int contextId, int status, boolean didNotExecute) {
        int flags = PfcFlags.FIRST_AND_LAST | (didNotExecute ? PfcFlags.DID_NOT_EXECUTE : 0);
        return new Fault(flags, Drep.LITTLE_ENDIAN, callId, 24, contextId, 0, 0, status, new byte[0], null);
    }

    @Override
    public int ptype() {
        return PType.FAULT;
    }
}
