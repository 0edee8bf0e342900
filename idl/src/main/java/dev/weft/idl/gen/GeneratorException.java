package dev.weft.idl.gen;

import dev.weft.idl.model.Location;

/** The IDL uses a construct the Java generator does not support; the message names the place and the construct. */
public final class GeneratorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GeneratorException(Location where, String message) {
        super(where + ": " + message);
    }
}
