package dev.weft.idl.internal;

import dev.weft.idl.model.Diagnostic;
import dev.weft.idl.model.Diagnostic.Severity;
import dev.weft.idl.model.Location;

import java.util.ArrayList;
import java.util.List;

/** Collects the warnings and errors of one compilation. Used by one thread at a time. */
public final class Diagnostics {
    private final List<Diagnostic> warnings = new ArrayList<>();
    private final List<Diagnostic> errors = new ArrayList<>();

    void warn(Location location, String message) {
        warnings.add(new Diagnostic(Severity.WARNING, location, message));
    }

    void error(Location location, String message) {
        errors.add(new Diagnostic(Severity.ERROR, location, message));
    }

    /** Warnings so far, in the order reported. */
    public List<Diagnostic> warnings() {
        return List.copyOf(warnings);
    }

    /** Errors so far, in the order reported. */
    public List<Diagnostic> errors() {
        return List.copyOf(errors);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }
}
