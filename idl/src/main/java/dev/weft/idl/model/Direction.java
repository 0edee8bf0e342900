package dev.weft.idl.model;

/** A parameter's direction. Request stubs carry IN and IN_OUT, response stubs OUT and IN_OUT. */
public enum Direction {
    IN, OUT, IN_OUT;

    /** Whether the parameter is marshalled in the request. */
    public boolean isIn() {
        return this != OUT;
    }

    /** Whether the parameter is marshalled in the response. */
    public boolean isOut() {
        return this != IN;
    }
}
