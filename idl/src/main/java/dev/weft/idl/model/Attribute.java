package dev.weft.idl.model;

import java.util.List;

/**
 * An attribute as written, {@code [name(arg, arg)]}, with each argument rendered as text (an empty string
 * for an empty position such as the first one in {@code size_is(, *pcount)}).
 *
 * @param name      attribute name
 * @param arguments rendered arguments
 * @param location  where it was written
 */
public record Attribute(String name, List<String> arguments, Location location) {
    public Attribute {
        arguments = List.copyOf(arguments);
    }
}
