package dev.weft.idl.model;

/**
 * A {@code const} declaration.
 *
 * @param name     the name
 * @param type     the declared type
 * @param value    the value: an {@link Expression.IntegerLiteral} for integer constants, an
 *                 {@link Expression.StringLiteral} for string constants
 * @param location where it was declared
 */
public record Constant(String name, Type type, Expression value, Location location) {
}
