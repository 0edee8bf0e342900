package dev.weft.pdu;

/** A shutdown (PTYPE 17; C706 12.6.4.11): the server asks the client to close the connection. Header only. */
public record Shutdown(int flags, int drep, int callId) implements Pdu {

    /** Checks that every field fits its wire size; copies lists. */
    public Shutdown {
        Fields.checkFlags(flags);
    }

    @Override
    public int ptype() {
        return PType.SHUTDOWN;
    }
}
