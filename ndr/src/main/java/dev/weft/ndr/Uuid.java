package dev.weft.ndr;

import java.util.HexFormat;
import java.util.UUID;

/**
 * A DCE UUID (C706 Appendix A) as two longs holding its 16 bytes in the order of its text form.
 *
 * <p>On the wire (C706 chapter 14, RPCE-FACTS §9) an NDR {@code uuid_t} is a struct {u32 time_low, u16 time_mid,
 * u16 time_hi_and_version, u8[8] clock_seq_and_node}: the first three fields follow the data representation's
 * byte order, the last eight bytes are copied verbatim. Alignment is 4 in both NDR and NDR64.
 */
public record Uuid(long msb, long lsb) implements Comparable<Uuid> {

    /** The nil UUID, 00000000-0000-0000-0000-000000000000. */
    public static final Uuid NIL = new Uuid(0, 0);

    /** Size of a UUID on the wire. */
    public static final int SIZE = 16;

    /** Parses the 36-character text form, for example {@code 8a885d04-1ceb-11c9-9fe8-08002b104860}. */
    public static Uuid parse(String text) {
        if (text.length() != 36 || text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-'
                || text.charAt(23) != '-') {
            throw new IllegalArgumentException("not a UUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx): " + text);
        }
        try {
            HexFormat hex = HexFormat.of();
            long msb = hex.fromHexDigitsToLong(text, 0, 8) << 32
                    | hex.fromHexDigitsToLong(text, 9, 13) << 16
                    | hex.fromHexDigitsToLong(text, 14, 18);
            long lsb = hex.fromHexDigitsToLong(text, 19, 23) << 48
                    | hex.fromHexDigitsToLong(text, 24, 36);
            return new Uuid(msb, lsb);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a UUID: " + text, e);
        }
    }

    /** Converts from {@link java.util.UUID}, which holds the same 128 bits in the same order. */
    public static Uuid of(UUID uuid) {
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    /** A random (version 4) UUID, for context handles and object ids. */
    public static Uuid random() {
        return of(UUID.randomUUID());
    }

    /**
     * Reads the 16-byte wire form at {@code offset}: the first three fields in the given byte order, the last
     * eight bytes as they stand.
     */
    public static Uuid fromWire(byte[] b, int offset, boolean bigEndian) {
        long timeLow = bigEndian ? Bytes.getIntBE(b, offset) & 0xFFFFFFFFL : Bytes.getIntLE(b, offset) & 0xFFFFFFFFL;
        long timeMid = bigEndian ? Bytes.getShortBE(b, offset + 4) & 0xFFFF : Bytes.getShortLE(b, offset + 4) & 0xFFFF;
        long timeHi = bigEndian ? Bytes.getShortBE(b, offset + 6) & 0xFFFF : Bytes.getShortLE(b, offset + 6) & 0xFFFF;
        return new Uuid(timeLow << 32 | timeMid << 16 | timeHi, Bytes.getLongBE(b, offset + 8));
    }

    /** Writes the 16-byte little-endian wire form at {@code offset}. */
    public void toWire(byte[] b, int offset) {
        Bytes.putIntLE(b, offset, (int) (msb >>> 32));
        Bytes.putShortLE(b, offset + 4, (short) (msb >>> 16));
        Bytes.putShortLE(b, offset + 6, (short) msb);
        Bytes.putLongBE(b, offset + 8, lsb);
    }

    /** The 16-byte little-endian wire form. */
    public byte[] toWire() {
        byte[] b = new byte[SIZE];
        toWire(b, 0);
        return b;
    }

    /** The same bits as a {@link java.util.UUID}. */
    public UUID toUUID() {
        return new UUID(msb, lsb);
    }

    public boolean isNil() {
        return msb == 0 && lsb == 0;
    }

    @Override
    public int compareTo(Uuid o) {
        int c = Long.compareUnsigned(msb, o.msb);
        return c != 0 ? c : Long.compareUnsigned(lsb, o.lsb);
    }

    /** The lower-case 36-character text form. */
    @Override
    public String toString() {
        return toUUID().toString();
    }
}
