package dev.weft.idl;

import dev.weft.idl.model.Diagnostic;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Compilation failed. {@link #errors()} holds every error found (one for a syntax error, since parsing stops
 * there; all of them for semantic errors), each naming file, line and column; the message is their
 * text, one per line.
 */
public final class IdlException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Diagnostic> errors;
    private final transient List<Diagnostic> warnings;

    public IdlException(List<Diagnostic> errors, List<Diagnostic> warnings) {
        super(errors.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    /** The errors, in the order found. */
    public List<Diagnostic> errors() {
        return errors;
    }

    /** The warnings reported before compilation stopped. */
    public List<Diagnostic> warnings() {
        return warnings;
    }
}
