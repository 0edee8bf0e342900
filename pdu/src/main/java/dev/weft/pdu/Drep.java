package dev.weft.pdu;

/**
 * The {@code packed_drep} data representation label (C706 14.1; MS-RPCE 2.2.5), held in PDU records as an int
 * whose most significant byte is wire byte 0. Byte 0's high nibble is the integer byte order (0 big-endian,
 * 1 little-endian), its low nibble the character set; byte 1 the floating-point format; bytes 2 and 3 are zero.
 */
public final class Drep {
    /** Little-endian, ASCII, IEEE: {@code 10 00 00 00}, what Windows and Samba always send. */
    public static final int LITTLE_ENDIAN = 0x10000000;
    /** Big-endian, ASCII, IEEE: {@code 00 00 00 00}. */
    public static final int BIG_ENDIAN = 0x00000000;

    private Drep() {
    }

    /** Whether integers in a PDU with this label are big-endian. */
    public static boolean isBigEndian(int drep) {
        return (drep >>> 28) == 0;
    }

    /** Whether the integer-representation nibble is one C706 defines (0 or 1). */
    public static boolean isValid(int drep) {
        return (drep >>> 28) <= 1;
    }

    /** The same label with the integer representation set to little-endian, as the encoder writes it. */
    public static int asLittleEndian(int drep) {
        return drep & 0x0FFFFFFF | LITTLE_ENDIAN;
    }

    /** The same label with the integer representation set to big-endian. */
    public static int asBigEndian(int drep) {
        return drep & 0x0FFFFFFF;
    }
}
