package dev.weft.pdu;

/**
 * An rts PDU (PTYPE 20; MS-RPCH 2.2.3.6.1), used only by RPC over HTTP. The commands are kept as raw bytes for
 * now; {@code numberOfCommands} is carried as received, not checked against them.
 *
 * @param rtsFlags         the RTS {@code Flags} field (RTS_FLAG_*)
 * @param numberOfCommands the {@code NumberOfCommands} field
 * @param commands         the command bytes after offset 20
 */
public record Rts(int flags, int drep, int callId, int rtsFlags, int numberOfCommands, byte[] commands)
        implements Pdu {

    /** Size of header, Flags and NumberOfCommands. */
    public static final int HEADER_SIZE = 20;

    public static final int RTS_FLAG_NONE = 0x0;
    public static final int RTS_FLAG_PING = 0x1;
    public static final int RTS_FLAG_OTHER_CMD = 0x2;
    public static final int RTS_FLAG_RECYCLE_CHANNEL = 0x4;
    public static final int RTS_FLAG_IN_CHANNEL = 0x8;
    public static final int RTS_FLAG_OUT_CHANNEL = 0x10;
    public static final int RTS_FLAG_EOF = 0x20;
    public static final int RTS_FLAG_ECHO = 0x40;

    /** Checks that every field fits its wire size; copies lists. */
    public Rts {
        Fields.checkFlags(flags);
        Fields.checkU16("Flags", rtsFlags);
        Fields.checkU16("NumberOfCommands", numberOfCommands);
        if (commands == null) throw new NullPointerException("commands");
    }

    @Override
    public int ptype() {
        return PType.RTS;
    }
}
