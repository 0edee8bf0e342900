package dev.weft.pdu;

/**
 * An orphaned (PTYPE 19; C706 12.6.4.8): the client abandoned call {@code callId}. With KeepConnectionOnOrphan
 * negotiated (MS-RPCE 3.3.1.5.10) the connection stays open.
 */
public record Orphaned(int flags, int drep, int callId, SecTrailer auth) implements Pdu {

    /** Checks that every field fits its wire size; copies lists. */
    public Orphaned {
        Fields.checkFlags(flags);
    }

    @Override
    public int ptype() {
        return PType.ORPHANED;
    }
}
