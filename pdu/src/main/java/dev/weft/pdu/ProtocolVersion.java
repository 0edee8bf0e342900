package dev.weft.pdu;

/** One entry of a bind_nak's {@code p_rt_versions_supported_t} list (C706 12.6.4.5). */
public record ProtocolVersion(int major, int minor) {

    /** Version 5.0, the only connection-oriented version (MS-RPCE 1.7). */
    public static final ProtocolVersion V5_0 = new ProtocolVersion(5, 0);

    /** Checks that every field fits its wire size; copies lists. */
    public ProtocolVersion {
        if ((major & ~0xFF) != 0 || (minor & ~0xFF) != 0) throw new IllegalArgumentException("u8 out of range");
    }
}
