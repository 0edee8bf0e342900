package dev.weft.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Byte-level mutations that know a little about NDR and PDU layouts: bit flips, interesting integers at 2-, 4- and
 * 8-aligned offsets (in either byte order), tweaks of values that look like lengths or counts, truncation,
 * extension, insertion, deletion, copies within the input and splices with another corpus entry. The first
 * {@code prefix} bytes (a target's selector) are changed by one mutation in a hundred only.
 */
public final class Mutator {

    static final long[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 0x7F, 0x80, 0xFF, 0x100, 0x3FF, 0x400,
            0xFFF, 0x1000, 5840, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x20000, 0x20004, 0x400000, 0x3FFFFF, 0x7FFFFFFFL,
            0x80000000L, 0xFFFFFFFFL, 0xFFFFFFFEL, 0x100000000L, 0x7FFFFFFFFFFFFFFFL, -1L, Long.MIN_VALUE};

    private final int maxLength;

    /** @param maxLength the longest input a mutation may produce */
    public Mutator(int maxLength) {
        this.maxLength = maxLength;
    }

    /** One to four stacked mutations of {@code input} (never changed in place). */
    public byte[] mutate(byte[] input, int prefix, Random r, List<byte[]> corpus) {
        byte[] b = input.clone();
        int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(4) : 0);
        for (int i = 0; i < n; i++) b = once(b, prefix, r, corpus);
        return b;
    }

    byte[] once(byte[] b, int prefix, Random r, List<byte[]> corpus) {
        int p = prefix > 0 && r.nextInt(100) == 0 ? 0 : Math.min(prefix, b.length);
        int body = b.length - p;
        switch (r.nextInt(16)) {
            case 0, 1 -> { // bit flip
                if (body > 0) {
                    int at = p + r.nextInt(body);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 2 -> { // interesting or random byte
                if (body > 0) b[p + r.nextInt(body)] = (byte) (r.nextBoolean() ? r.nextInt(256) : INTERESTING[r.nextInt(16)]);
            }
            case 3 -> put(b, p, r, 2);
            case 4, 5 -> put(b, p, r, 4);
            case 6 -> put(b, p, r, 8);
            case 7, 8 -> lengthTweak(b, p, r);
            case 9 -> { // truncate
                if (body > 0) b = Arrays.copyOf(b, p + r.nextInt(body));
            }
            case 10 -> { // extend with zeros, random bytes or a copy of a chunk
                int add = 1 + r.nextInt(r.nextBoolean() ? 8 : 64);
                if (b.length + add <= maxLength) {
                    byte[] e = Arrays.copyOf(b, b.length + add);
                    if (r.nextBoolean()) {
                        for (int i = b.length; i < e.length; i++) e[i] = (byte) r.nextInt(256);
                    } else if (body > 0 && r.nextBoolean()) {
                        int from = p + r.nextInt(body);
                        System.arraycopy(b, from, e, b.length, Math.min(add, b.length - from));
                    }
                    b = e;
                }
            }
            case 11 -> { // insert bytes in the middle
                int add = 1 << r.nextInt(4);
                if (b.length + add <= maxLength) {
                    int at = p + (body == 0 ? 0 : r.nextInt(body + 1));
                    byte[] e = new byte[b.length + add];
                    System.arraycopy(b, 0, e, 0, at);
                    for (int i = 0; i < add; i++) e[at + i] = (byte) (r.nextBoolean() ? 0 : r.nextInt(256));
                    System.arraycopy(b, at, e, at + add, b.length - at);
                    b = e;
                }
            }
            case 12 -> { // delete a chunk
                if (body > 1) {
                    int at = p + r.nextInt(body);
                    int len = 1 + r.nextInt(Math.min(16, b.length - at));
                    byte[] e = new byte[b.length - len];
                    System.arraycopy(b, 0, e, 0, at);
                    System.arraycopy(b, at + len, e, at, b.length - at - len);
                    b = e;
                }
            }
            case 13 -> { // copy a chunk over another place
                if (body > 2) {
                    int from = p + r.nextInt(body);
                    int to = p + r.nextInt(body);
                    int len = 1 + r.nextInt(Math.min(32, Math.min(b.length - from, b.length - to)));
                    System.arraycopy(b, from, b, to, len);
                }
            }
            case 14 -> { // splice: our head, another entry's tail (selector kept)
                byte[] other = corpus.isEmpty() ? b : corpus.get(r.nextInt(corpus.size()));
                int head = p + (body == 0 ? 0 : r.nextInt(body + 1));
                int from = Math.min(other.length, p + (other.length - p <= 0 ? 0 : r.nextInt(other.length - p + 1)));
                int len = Math.min(other.length - from, maxLength - head);
                byte[] e = new byte[head + len];
                System.arraycopy(b, 0, e, 0, head);
                System.arraycopy(other, from, e, head, len);
                b = e;
            }
            default -> { // small arithmetic on a u8/u16/u32
                if (body >= 4) {
                    int width = 1 << r.nextInt(3);
                    int at = p + r.nextInt(body - width + 1);
                    long v = get(b, at, width, false) + (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(35));
                    set(b, at, width, v, false);
                }
            }
        }
        return b;
    }

    /** An interesting integer of {@code width} bytes at an offset aligned to it (relative to the prefix). */
    private static void put(byte[] b, int p, Random r, int width) {
        int slots = (b.length - p) / width;
        if (slots == 0) return;
        int at = p + r.nextInt(slots) * width;
        long v = r.nextInt(8) == 0 ? r.nextLong() : INTERESTING[r.nextInt(INTERESTING.length)];
        set(b, at, width, v, r.nextInt(4) == 0);
    }

    /**
     * Finds aligned 16-, 32- or 64-bit values that look like a length or a count (1 ≤ v ≤ 2 × input length) and
     * changes one: ±1, doubled, halved, zero, the bytes that remain, or huge.
     */
    private static void lengthTweak(byte[] b, int p, Random r) {
        int width = r.nextInt(3) == 0 ? 2 : r.nextInt(3) == 0 ? 8 : 4;
        int slots = (b.length - p) / width;
        if (slots == 0) return;
        int start = r.nextInt(slots);
        for (int k = 0; k < slots; k++) {
            int at = p + ((start + k) % slots) * width;
            long v = get(b, at, width, false);
            if (v < 1 || v > 2L * b.length) continue;
            long nv = switch (r.nextInt(8)) {
                case 0 -> v + 1;
                case 1 -> v - 1;
                case 2 -> v * 2;
                case 3 -> v / 2;
                case 4 -> 0;
                case 5 -> b.length - at;
                case 6 -> v + 1 + r.nextInt(64);
                default -> INTERESTING[r.nextInt(INTERESTING.length)];
            };
            set(b, at, width, nv, false);
            return;
        }
    }

    static long get(byte[] b, int at, int width, boolean bigEndian) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            int idx = bigEndian ? at + i : at + width - 1 - i;
            v = v << 8 | (b[idx] & 0xFF);
        }
        return v;
    }

    static void set(byte[] b, int at, int width, long v, boolean bigEndian) {
        for (int i = 0; i < width; i++) {
            int idx = bigEndian ? at + width - 1 - i : at + i;
            b[idx] = (byte) (v >>> (8 * i));
        }
    }
}
