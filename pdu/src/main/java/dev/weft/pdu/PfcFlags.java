package dev.weft.pdu;

/**
 * The {@code pfc_flags} bits at offset 3 of every header (C706 12.6.3; MS-RPCE 2.2.2.3).
 *
 * <p>Bit 0x04 has two meanings (RPCE-FACTS §14.11): {@link #PENDING_CANCEL} in request and response PDUs, and
 * {@link #SUPPORT_HEADER_SIGN} in bind, bind_ack, alter_context, alter_context_resp and rpc_auth_3.
 */
public final class PfcFlags {
    /** First fragment of a request or response. */
    public static final int FIRST_FRAG = 0x01;
    /** Last fragment; an unfragmented PDU carries {@code FIRST_FRAG | LAST_FRAG}. */
    public static final int LAST_FRAG = 0x02;
    /** C706: a cancel was pending at the sender (request and response PDUs). */
    public static final int PENDING_CANCEL = 0x04;
    /** MS-RPCE 2.2.2.3: header signing supported / requested (bind family only). Same bit as PENDING_CANCEL. */
    public static final int SUPPORT_HEADER_SIGN = 0x04;
    /** Reserved; receivers ignore it. */
    public static final int RESERVED_1 = 0x08;
    /** Concurrent multiplexing of calls on one connection (bind, echoed in bind_ack). */
    public static final int CONC_MPX = 0x10;
    /** In a fault: the call certainly did not execute. */
    public static final int DID_NOT_EXECUTE = 0x20;
    /** "maybe" call semantics. */
    public static final int MAYBE = 0x40;
    /** A 16-byte object UUID follows the request header. */
    public static final int OBJECT_UUID = 0x80;

    /** {@code FIRST_FRAG | LAST_FRAG}: an unfragmented PDU. */
    public static final int FIRST_AND_LAST = FIRST_FRAG | LAST_FRAG;

    private PfcFlags() {
    }

    /** True when every bit of {@code bit} is set in {@code flags}. */
    public static boolean has(int flags, int bit) {
        return (flags & bit) == bit;
    }
}
