package dev.weft.idl.model;

import java.util.List;
import java.util.Optional;

/**
 * An array, one or more dimensions (row-major, outermost first). Arrays are fixed, conformant, varying or
 * conformant varying; {@code [string]} arrays are varying (fixed size) or conformant varying.
 *
 * @param element    the element type
 * @param dimensions the dimensions, outermost first (at least one)
 * @param string     present when the array is a {@code [string]}
 */
public record ArrayType(Type element, List<ArrayDimension> dimensions, Optional<StringAttr> string)
        implements Type {

    public ArrayType {
        dimensions = List.copyOf(dimensions);
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("an array needs at least one dimension");
        }
    }

    /** The NDR array shape. */
    public ArrayKind kind() {
        boolean conformant = dimensions.stream().anyMatch(ArrayDimension::conformant);
        boolean varying = string.isPresent() || dimensions.stream().anyMatch(ArrayDimension::varying);
        if (conformant) {
            return varying ? ArrayKind.CONFORMANT_VARYING : ArrayKind.CONFORMANT;
        }
        return varying ? ArrayKind.VARYING : ArrayKind.FIXED;
    }

    @Override
    public TypeLayout layout() {
        TypeLayout e = element.layout();
        if (kind() == ArrayKind.FIXED && e.fixedSize()) {
            long count = 1;
            for (ArrayDimension d : dimensions) {
                count *= d.fixedSize().orElseThrow();
            }
            // Elements are each aligned to their own alignment: the stride is the size rounded up. NDR20
            // has no padding after the last element; NDR64 element sizes already include it.
            long stride20 = TypeLayout.roundUp(e.ndr20Size(), e.ndr20Alignment());
            long size20 = count == 0 ? 0 : stride20 * (count - 1) + e.ndr20Size();
            long size64 = TypeLayout.roundUp(e.ndr64Size(), e.ndr64Alignment()) * count;
            return new TypeLayout(e.ndr20Alignment(), e.ndr64Alignment(), size20, size64, e.deferredPointers(),
                    false);
        }
        if (kind() == ArrayKind.FIXED) {
            return new TypeLayout(e.ndr20Alignment(), e.ndr64Alignment(), TypeLayout.NOT_FIXED,
                    TypeLayout.NOT_FIXED, e.deferredPointers(), false);
        }
        // Counts (max_count, offset, actual_count) are u32 in NDR20 and u64 in NDR64 (MS-RPCE 2.2.5.3.2).
        return new TypeLayout(Math.max(4, e.ndr20Alignment()), Math.max(8, e.ndr64Alignment()),
                TypeLayout.NOT_FIXED, TypeLayout.NOT_FIXED, e.deferredPointers(),
                kind() == ArrayKind.CONFORMANT || kind() == ArrayKind.CONFORMANT_VARYING);
    }

    @Override
    public String displayName() {
        StringBuilder b = new StringBuilder(string.isPresent() ? "[string] " : "").append(element.displayName());
        for (ArrayDimension d : dimensions) {
            b.append('[');
            d.fixedSize().ifPresent(b::append);
            b.append(']');
        }
        return b.toString();
    }
}
