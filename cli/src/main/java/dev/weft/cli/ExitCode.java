package dev.weft.cli;

/**
 * What the {@code weft} command exits with, so scripts can tell "you typed it wrong" from "the server is down"
 * from "the server said no". Documented in {@code docs/cli.md}; tests pin every value.
 */
public final class ExitCode {
    /** Everything asked for was done. */
    public static final int OK = 0;
    /** A bug or an unexpected failure inside weft (the message says what). */
    public static final int INTERNAL = 1;
    /** Bad arguments: unknown command or option, missing or malformed value, malformed string binding. */
    public static final int USAGE = 2;
    /** The transport failed: connection refused, host unreachable, timeout, connection lost, cannot listen. */
    public static final int UNREACHABLE = 3;
    /** The server answered but refused: a fault, a bind_nak, a rejected interface, a non-zero status. */
    public static final int REFUSED = 4;
    /** The endpoint mapper does not know what was asked for (ept_s_not_registered). */
    public static final int NOT_FOUND = 5;
    /** The IDL compiler reported errors in its input. */
    public static final int IDL_ERRORS = 6;
    /** The server answered, but not what the protocol says it should (echo data differs, AddOne is wrong). */
    public static final int WRONG_ANSWER = 7;
    /** Stopped by Ctrl-C before it finished (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
