package dev.weft.pdu;

/**
 * A connection-oriented PDU (C706 12.6; MS-RPCE 2.2.2). Every implementation is a record holding the header fields
 * a sender chooses ({@code pfc_flags}, {@code packed_drep}, {@code call_id}) and its body; {@code frag_length} and
 * {@code auth_length} are derived by {@link PduCodec#encode(Pdu)}. The interface is sealed, so a pattern-matching
 * {@code switch} over a PDU needs no {@code default} and a new PDU type is a compile error wherever it matters.
 */
public sealed interface Pdu permits Request, Response, Fault, Bind, BindAck, BindNak, AlterContext, AlterContextResp,
        Auth3, Shutdown, CoCancel, Orphaned, Rts {

    /** The {@link PType} number. */
    int ptype();

    /** The {@link PfcFlags} bits. */
    int flags();

    /** The {@link Drep} label; the encoder always writes little-endian. */
    int drep();

    /** The call id that pairs requests with responses and binds with their answers. */
    int callId();

    /** The authentication verifier, or {@code null} when {@code auth_length} is 0. */
    default SecTrailer auth() {
        return null;
    }
}
