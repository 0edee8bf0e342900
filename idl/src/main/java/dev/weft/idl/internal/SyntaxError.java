package dev.weft.idl.internal;

import dev.weft.idl.model.Diagnostic;
import dev.weft.idl.model.Location;

/**
 * Thrown by the lexer and parser at the first syntax error: after one, the rest of the file cannot be read
 * reliably, so the parser stops rather than report a cascade.
 */
public final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Diagnostic diagnostic;

    SyntaxError(Location location, String message) {
        super(location + ": " + message, null, false, false);
        this.diagnostic = new Diagnostic(Diagnostic.Severity.ERROR, location, message);
    }

    /** The error as a diagnostic. */
    public Diagnostic diagnostic() {
        return diagnostic;
    }
}
