package dev.weft.pdu;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** Test streams. */
final class Streams {
    private Streams() {
    }

    /** Delivers at most one byte per read and counts what it delivered. */
    static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        int delivered;

        Trickle(byte[] data) {
            in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() {
            int b = in.read();
            if (b >= 0) delivered++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            int v = read();
            if (v < 0) return -1;
            b[off] = (byte) v;
            return 1;
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
