package dev.weft.idl.model;

import java.util.Objects;
import java.util.function.Function;

/**
 * A use of a typedef name ({@code DWORD}, {@code RPC_SID}). It keeps the spec's name for generated code and
 * links to the definition through the compiler's finished, immutable type table.
 *
 * <p>This is a class rather than a record because types may refer to themselves through pointers
 * ({@code struct node { struct node *next; }}); the link is a lookup, so the model has no mutable cycle.
 * Two references are equal when they name the same type.
 */
public final class TypeReference implements Type {
    private final String name;
    private final Function<String, Type> table;

    /**
     * @param name  the typedef name
     * @param table the lookup from names to definitions; it must know {@code name} by the time
     *              {@link #target()} is called
     */
    public TypeReference(String name, Function<String, Type> table) {
        this.name = Objects.requireNonNull(name);
        this.table = Objects.requireNonNull(table);
    }

    /** The typedef name. */
    public String name() {
        return name;
    }

    /** The typedef's definition, which may itself be a reference (for {@code typedef DWORD NET_API_STATUS}). */
    public Type target() {
        Type t = table.apply(name);
        if (t == null) {
            throw new IllegalStateException("type " + name + " is not defined");
        }
        return t;
    }

    @Override
    public Type resolved() {
        Type t = target();
        for (int hops = 0; t instanceof TypeReference r; hops++) {
            if (hops > 64) {
                throw new IllegalStateException("typedef chain too long at " + name);
            }
            t = r.target();
        }
        return t;
    }

    @Override
    public TypeLayout layout() {
        return resolved().layout();
    }

    @Override
    public String displayName() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TypeReference r && r.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "TypeReference[" + name + "]";
    }
}
