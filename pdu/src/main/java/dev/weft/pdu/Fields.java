package dev.weft.pdu;

/** Range checks shared by the PDU records' constructors (kept out of the public {@link Pdu} interface). */
final class Fields {
    private Fields() {
    }

    /** Checks a u8 {@code pfc_flags} value. */
    static int checkFlags(int flags) {
        if ((flags & ~0xFF) != 0) throw new IllegalArgumentException("pfc_flags out of range: " + flags);
        return flags;
    }

    /** Checks a u16 field. */
    static int checkU16(String name, int v) {
        if ((v & ~0xFFFF) != 0) throw new IllegalArgumentException(name + " out of range: " + v);
        return v;
    }
}
