package dev.weft.idl.model;

/**
 * {@code handle_t}: a primitive binding handle. It selects the binding on the client and is never
 * transmitted, so it has no wire size.
 */
public record HandleType() implements Type {
    @Override
    public TypeLayout layout() {
        return new TypeLayout(1, 1, 0, 0, false, false);
    }

    @Override
    public String displayName() {
        return "handle_t";
    }
}
