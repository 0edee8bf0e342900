package dev.weft.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A connection's input, noting when a fragment started to arrive and when the connection was last active, for
 * the server's watchdog: a peer that stops in the middle of a PDU, or stays silent too long, is disconnected by
 * closing the socket (never by interrupting the reader, ARCHITECTURE rule 2).
 */
final class ActivityInputStream extends FilterInputStream {
    private volatile boolean inFragment;
    private volatile long fragmentStart;
    private volatile long lastActivity = System.nanoTime();

    ActivityInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) arrived();
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) arrived();
        return n;
    }

    private void arrived() {
        long now = System.nanoTime();
        if (!inFragment) {
            fragmentStart = now;
            inFragment = true;
        }
        lastActivity = now;
    }

    /** The reader has a whole fragment: the connection is between PDUs again. */
    void fragmentDone() {
        inFragment = false;
        lastActivity = System.nanoTime();
    }

    /** Nanoseconds the current fragment has been arriving, or -1 between fragments. */
    long partialFor(long now) {
        return inFragment ? now - fragmentStart : -1;
    }

    long idleFor(long now) {
        return now - lastActivity;
    }
}
