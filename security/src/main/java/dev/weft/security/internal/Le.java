package dev.weft.security.internal;

/** Little-endian integers in byte arrays; callers check bounds first. */
public final class Le {
    private Le() {
    }

    public static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    public static int u32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    public static long u64(byte[] b, int i) {
        return (u32(b, i) & 0xFFFFFFFFL) | (long) u32(b, i + 4) << 32;
    }

    public static void put16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }

    public static void put32(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    public static void put64(byte[] b, int i, long v) {
        put32(b, i, (int) v);
        put32(b, i + 4, (int) (v >>> 32));
    }
}
