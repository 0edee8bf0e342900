package dev.weft.idl.model;

/**
 * A named type: a typedef name or the tag of a struct, union or enum declared without a typedef.
 *
 * @param name     the name
 * @param type     its definition (for {@code typedef DWORD NET_API_STATUS}, a reference to DWORD)
 * @param location where it was declared
 */
public record TypeDef(String name, Type type, Location location) {
}
