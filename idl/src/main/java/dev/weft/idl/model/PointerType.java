package dev.weft.idl.model;

/**
 * A pointer. Its kind is already resolved from explicit attributes, the typedef it came from, its position
 * (a top-level parameter pointer defaults to {@code ref}) and the interface's {@code pointer_default}.
 * A sized pointer ({@code [size_is(n)] T *p}) points to an {@link ArrayType}; a {@code [string]} pointer
 * points to a string {@link ArrayType}.
 *
 * <p>The layout is that of an embedded pointer: a 4-byte (NDR20) or 8-byte (NDR64) referent id or ref
 * placeholder, with the referent deferred. A top-level {@code [ref]} parameter pointer sends nothing for
 * itself; {@link Parameter#topLevelRef()} tells the generator when that applies.
 *
 * @param kind   ref, unique or full
 * @param target the referent type
 */
public record PointerType(PointerKind kind, Type target) implements Type {
    @Override
    public TypeLayout layout() {
        return new TypeLayout(4, 8, 4, 8, true, false);
    }

    @Override
    public String displayName() {
        return "[" + kind.attribute() + "] " + target.displayName() + " *";
    }
}
