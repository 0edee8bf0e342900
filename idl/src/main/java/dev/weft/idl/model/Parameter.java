package dev.weft.idl.model;

import java.util.List;
import java.util.Optional;

/**
 * An operation parameter.
 *
 * @param name       parameter name (a synthetic {@code arg<i>} when the IDL left it unnamed)
 * @param direction  in, out or in,out ({@code [in]} is assumed when neither is written)
 * @param type       resolved type; a top-level pointer defaults to {@code [ref]}
 * @param switchIs   {@code switch_is} when the type is, or points to, a non-encapsulated union
 * @param range      {@code range(lo, hi)}
 * @param retval     {@code [retval]}
 * @param attributes every attribute as written
 * @param location   where it was declared
 */
public record Parameter(String name, Direction direction, Type type, Optional<Expression> switchIs,
                        Optional<Range> range, boolean retval, List<Attribute> attributes, Location location) {
    public Parameter {
        attributes = List.copyOf(attributes);
    }

    /**
     * Whether the parameter is a top-level {@code [ref]} pointer, for which nothing is sent for the pointer
     * itself: its referent is marshalled in place (RPCE-FACTS §10.6).
     */
    public boolean topLevelRef() {
        return type instanceof PointerType p && p.kind() == PointerKind.REF;
    }

    /** Whether this is an explicit binding handle ({@code handle_t}), which is never transmitted. */
    public boolean bindingHandle() {
        return type.resolved() instanceof HandleType;
    }

    /** Whether this is a pipe parameter (marshalled after the non-pipe parameters). */
    public boolean pipe() {
        Type t = type.resolved();
        if (t instanceof PointerType p) {
            t = p.target().resolved();
        }
        return t instanceof PipeType;
    }
}
