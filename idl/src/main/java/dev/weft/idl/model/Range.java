package dev.weft.idl.model;

/**
 * {@code [range(low, high)]}: the inclusive bounds a receiver enforces on a value or count.
 *
 * @param low  lowest allowed value
 * @param high highest allowed value
 */
public record Range(long low, long high) {
}
