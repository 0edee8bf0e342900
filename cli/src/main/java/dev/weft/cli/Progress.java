package dev.weft.cli;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Progress for work that may take more than a second: nothing is shown for the first second (fast commands
 * stay quiet), then the message and the elapsed time, once a second on a terminal (redrawn in place) or every
 * ten seconds otherwise (so logs do not fill up). A virtual thread that only sleeps and prints does the
 * showing, so interrupting it on {@link #close()} is safe.
 */
public final class Progress implements AutoCloseable {
    private final PrintStream err;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile String message;
    private volatile boolean shown;

    Progress(PrintStream err, boolean interactive, String message) {
        this.err = err;
        this.interactive = interactive;
        this.message = message;
        this.thread = Thread.ofVirtual().name("weft-progress").start(this::show);
    }

    /** Replaces the message shown from the next tick on (e.g. with a running count). */
    public void update(String newMessage) {
        this.message = newMessage;
    }

    private void show() {
        try {
            Thread.sleep(1000);
            long ticks = 0;
            while (true) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                if (interactive) {
                    err.print("\r\033[Kweft: " + message + " (" + seconds + " s)");
                    err.flush();
                } else if (ticks % 10 == 0) {
                    err.println("weft: " + message + " (" + seconds + " s)");
                }
                shown = true;
                ticks++;
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Stops showing; on a terminal, clears the progress line so results start on a clean one. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shown && interactive) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
