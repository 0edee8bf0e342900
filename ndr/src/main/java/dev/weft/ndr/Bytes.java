package dev.weft.ndr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Fixed-width integers in byte arrays, in either byte order. Static final {@link VarHandle}s are
 * constant-folded by the JIT into plain (unaligned) loads and stores; every hot path in Weft goes through here.
 */
public final class Bytes {
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    public static short getShortLE(byte[] b, int i) { return (short) SHORT_LE.get(b, i); }
    public static short getShortBE(byte[] b, int i) { return (short) SHORT_BE.get(b, i); }
    public static int getIntLE(byte[] b, int i) { return (int) INT_LE.get(b, i); }
    public static int getIntBE(byte[] b, int i) { return (int) INT_BE.get(b, i); }
    public static long getLongLE(byte[] b, int i) { return (long) LONG_LE.get(b, i); }
    public static long getLongBE(byte[] b, int i) { return (long) LONG_BE.get(b, i); }

    public static void putShortLE(byte[] b, int i, short v) { SHORT_LE.set(b, i, v); }
    public static void putShortBE(byte[] b, int i, short v) { SHORT_BE.set(b, i, v); }
    public static void putIntLE(byte[] b, int i, int v) { INT_LE.set(b, i, v); }
    public static void putIntBE(byte[] b, int i, int v) { INT_BE.set(b, i, v); }
    public static void putLongLE(byte[] b, int i, long v) { LONG_LE.set(b, i, v); }
    public static void putLongBE(byte[] b, int i, long v) { LONG_BE.set(b, i, v); }

    /** Unsigned 16-bit value in the given order. */
    public static int getU16(byte[] b, int i, boolean bigEndian) {
        return (bigEndian ? getShortBE(b, i) : getShortLE(b, i)) & 0xFFFF;
    }

    /** 32-bit value in the given order. */
    public static int getI32(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? getIntBE(b, i) : getIntLE(b, i);
    }
}
