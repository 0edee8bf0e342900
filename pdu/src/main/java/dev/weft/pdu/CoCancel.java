package dev.weft.pdu;

/** A co_cancel (PTYPE 18; C706 12.6.4.6): the client asks the server to cancel call {@code callId}. */
public record CoCancel(int flags, int drep, int callId, SecTrailer auth) implements Pdu {

    /** Checks that every field fits its wire size; copies lists. */
    public CoCancel {
        Fields.checkFlags(flags);
    }

    @Override
    public int ptype() {
        return PType.CO_CANCEL;
    }
}
