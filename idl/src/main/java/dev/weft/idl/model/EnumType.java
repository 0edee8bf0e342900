package dev.weft.idl.model;

import java.util.List;

/**
 * An enumeration. NDR20 sends an enum as a 16-bit value (aligned 2) unless it is {@code [v1_enum]}, which
 * makes it 32 bits; NDR64 always sends 32 bits (MS-RPCE 2.2.5.2.1, RPCE-FACTS §10.2).
 *
 * @param name   the typedef name, or the tag when there is no typedef
 * @param v1Enum {@code [v1_enum]} was given
 * @param values the enumerators in declaration order, with their values
 */
public record EnumType(String name, boolean v1Enum, List<EnumValue> values) implements Type {
    public EnumType {
        values = List.copyOf(values);
    }

    /** One enumerator. */
    public record EnumValue(String name, long value) {
    }

    @Override
    public TypeLayout layout() {
        int ndr20 = v1Enum ? 4 : 2;
        return new TypeLayout(ndr20, 4, ndr20, 4, false, false);
    }

    @Override
    public String displayName() {
        return name;
    }
}
