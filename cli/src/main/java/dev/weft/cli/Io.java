package dev.weft.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Where a command writes and what stops it: results go to {@code out}, errors and progress to {@code err}, so
 * {@code --json} output on {@code out} stays parseable whatever else is shown.
 *
 * @param out         results (human text, or one JSON document with {@code --json})
 * @param err         errors and progress
 * @param interactive whether {@code err} is a terminal: progress then redraws one line instead of adding lines
 * @param stop        counted down to stop a long-running command ({@code serve}, {@code bench}); the process's
 *                    shutdown hook does it on Ctrl-C, a test does it directly
 */
public record Io(PrintStream out, PrintStream err, boolean interactive, CountDownLatch stop) {

    /** The process's own streams; interactive when there is a console. */
    public static Io system() {
        return new Io(System.out, System.err, System.console() != null, new CountDownLatch(1));
    }

    /** Shows {@code message} on {@code err} if the work takes more than a second; close it when done. */
    public Progress progress(String message) {
        return new Progress(err, interactive, message);
    }

    /** Whether {@link #stop} has been counted down. */
    public boolean stopping() {
        return stop.getCount() == 0;
    }
}
