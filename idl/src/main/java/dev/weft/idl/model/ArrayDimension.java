package dev.weft.idl.model;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One dimension of an array, with the attribute expressions that bound it.
 *
 * @param fixedSize the declared size ({@code a[10]}), empty for {@code a[]} / {@code a[*]} or a sized pointer
 * @param sizeIs    {@code size_is}: the element count
 * @param maxIs     {@code max_is}: the highest valid index (count = max_is + 1)
 * @param lengthIs  {@code length_is}: the transmitted count
 * @param firstIs   {@code first_is}: the first transmitted index
 * @param lastIs    {@code last_is}: the last transmitted index
 */
public record ArrayDimension(OptionalLong fixedSize, Optional<Expression> sizeIs, Optional<Expression> maxIs,
                             Optional<Expression> lengthIs, Optional<Expression> firstIs,
                             Optional<Expression> lastIs) {

    /** A fixed dimension of {@code size} elements. */
    public static ArrayDimension fixed(long size) {
        return new ArrayDimension(OptionalLong.of(size), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** Whether the maximum count travels on the wire (no fixed size). */
    public boolean conformant() {
        return fixedSize.isEmpty();
    }

    /** Whether an offset and actual count travel on the wire. */
    public boolean varying() {
        return lengthIs.isPresent() || firstIs.isPresent() || lastIs.isPresent();
    }
}
