package dev.weft.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A connection's output, noting when a write started to block, for the server's watchdog: a peer that stops
 * reading (a half-open connection, a client that vanished without FIN or RST, or one that sends requests and never
 * reads the answers) leaves the server's write blocked once the socket buffers are full; the watchdog closes such a
 * connection after the write timeout, which unblocks the write (never by interrupting the writer, ARCHITECTURE
 * rule 2).
 *
 * <p>Writes go to the socket in pieces of at most {@value #PIECE} bytes, each timed on its own, so a slow reader
 * that keeps taking bytes is not mistaken for one that stopped.
 */
final class ActivityOutputStream extends OutputStream {
    static final int PIECE = 16 * 1024;
    private final OutputStream out;
    /** When the piece being written started, or 0 when no write is under way. */
    private volatile long writeStart;

    ActivityOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        writeStart = start();
        try {
            out.write(b);
        } finally {
            writeStart = 0;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, PIECE);
            writeStart = start();
            try {
                out.write(b, off, n);
            } finally {
                writeStart = 0;
            }
            off += n;
            len -= n;
        }
    }

    private static long start() {
        return System.nanoTime() | 1;   // never 0, which means "not writing"
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Nanoseconds the current piece has been blocked in the socket, or -1 when nothing is being written. */
    long writingFor(long now) {
        long s = writeStart;
        return s == 0 ? -1 : now - s;
    }
}
