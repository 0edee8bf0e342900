package dev.weft.ndr;

/**
 * A presentation syntax identifier, C706's {@code p_syntax_id_t}: an interface or transfer-syntax UUID and a
 * version. On the wire (RPCE-FACTS §2.5) it is 20 bytes: the UUID, then a u32 whose low 16 bits are the major
 * version and whose high 16 bits are the minor version.
 */
public record SyntaxId(Uuid uuid, int major, int minor) {

    /** Size on the wire. */
    public static final int SIZE = 20;

    /** The NDR (NDR20) transfer syntax, 8a885d04-1ceb-11c9-9fe8-08002b104860 v2.0 (MS-RPCE 2.2.4.12). */
    public static final SyntaxId NDR20 = new SyntaxId(Uuid.parse("8a885d04-1ceb-11c9-9fe8-08002b104860"), 2, 0);

    /** The NDR64 transfer syntax, 71710533-beba-4937-8319-b5dbef9ccc36 v1.0 (MS-RPCE 2.2.5). */
    public static final SyntaxId NDR64 = new SyntaxId(Uuid.parse("71710533-beba-4937-8319-b5dbef9ccc36"), 1, 0);

    /** A null syntax: all 20 bytes zero, as in a rejected context's result (RPCE-FACTS §2.6). */
    public static final SyntaxId NONE = new SyntaxId(Uuid.NIL, 0, 0);

    public SyntaxId {
        if (uuid == null) throw new NullPointerException("uuid");
        if ((major & ~0xFFFF) != 0 || (minor & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("version out of range: " + major + "." + minor);
        }
    }

    /** Reads the 20-byte wire form at {@code offset} in the given byte order. */
    public static SyntaxId fromWire(byte[] b, int offset, boolean bigEndian) {
        Uuid uuid = Uuid.fromWire(b, offset, bigEndian);
        int version = Bytes.getI32(b, offset + 16, bigEndian);
        return new SyntaxId(uuid, version & 0xFFFF, version >>> 16);
    }

    /** Writes the 20-byte little-endian wire form at {@code offset}. */
    public void toWire(byte[] b, int offset) {
        uuid.toWire(b, offset);
        Bytes.putIntLE(b, offset + 16, minor << 16 | major);
    }

    /** The version as C706 packs it: major in the low 16 bits, minor in the high 16 bits. */
    public int packedVersion() {
        return minor << 16 | major;
    }

    @Override
    public String toString() {
        return uuid + " v" + major + "." + minor;
    }
}
