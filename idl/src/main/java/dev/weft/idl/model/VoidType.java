package dev.weft.idl.model;

/** {@code void}: an operation without a return value. Nothing goes on the wire. */
public record VoidType() implements Type {
    @Override
    public TypeLayout layout() {
        return new TypeLayout(1, 1, 0, 0, false, false);
    }

    @Override
    public String displayName() {
        return "void";
    }
}
