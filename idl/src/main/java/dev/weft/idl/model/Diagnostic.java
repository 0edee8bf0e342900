package dev.weft.idl.model;

/**
 * A message about the source: an error that stops compilation or a warning about something ignored.
 * {@link #toString()} gives the form users see, {@code samr.idl:120:17: expected ';' ...}.
 *
 * @param severity error or warning
 * @param location where
 * @param message  what, phrased as "expected X, found Y" where that applies
 */
public record Diagnostic(Severity severity, Location location, String message) {

    /** How bad a diagnostic is. */
    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
        return location + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
    }
}
