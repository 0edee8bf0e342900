package dev.weft.idl.model;

import java.util.List;
import java.util.Optional;

/**
 * A struct member or union arm. Array bounds ({@code size_is} and friends), {@code [string]} and pointer
 * attributes are folded into {@link #type()}; what remains here applies to the member as a whole.
 *
 * @param name       member name
 * @param type       resolved type
 * @param switchIs   {@code switch_is} for a member whose type is (or points to) a non-encapsulated union
 * @param range      {@code range(lo, hi)}
 * @param attributes every attribute as written, for attributes a generator may want that the model does not
 *                   interpret (e.g. {@code ignore})
 * @param location   where it was declared
 */
public record Field(String name, Type type, Optional<Expression> switchIs, Optional<Range> range,
                    List<Attribute> attributes, Location location) {
    public Field {
        attributes = List.copyOf(attributes);
    }
}
