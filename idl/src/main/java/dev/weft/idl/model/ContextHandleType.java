package dev.weft.idl.model;

/**
 * A {@code [context_handle]}: on the wire 20 bytes, {u32 attributes, UUID}, aligned 4 in both syntaxes
 * (RPCE-FACTS §10.8, §11).
 *
 * @param name        the typedef name ({@code PCONTEXT_HANDLE}), or empty for an anonymous
 *                    {@code [context_handle] void *} parameter
 * @param noSerialize {@code [context_handle_noserialize]} was given
 * @param serialize   {@code [context_handle_serialize]} was given
 */
public record ContextHandleType(String name, boolean noSerialize, boolean serialize) implements Type {
    /** Wire size of a context handle. */
    public static final int WIRE_SIZE = 20;

    @Override
    public TypeLayout layout() {
        return new TypeLayout(4, 4, WIRE_SIZE, WIRE_SIZE, false, false);
    }

    @Override
    public String displayName() {
        return name.isEmpty() ? "[context_handle] void *" : name;
    }
}
