package dev.weft.idl.model;

/**
 * What a code generator needs to know about a type's wire shape before it writes a codec, in both transfer
 * syntaxes.
 *
 * <p>Sizes are the inline ("flat") size: for a struct, its members' inline parts with the padding between
 * them, and in NDR64 the trailing padding to the struct's alignment (MS-RPCE 2.2.5.3.4.1); NDR20 has no
 * trailing padding. A size of {@code -1} means "not fixed" (conformant or varying arrays, strings, unions,
 * pipes).
 *
 * @param ndr20Alignment   alignment in NDR20 (1, 2, 4 or 8)
 * @param ndr64Alignment   alignment in NDR64 (1, 2, 4 or 8)
 * @param ndr20Size        inline size in NDR20, or -1 when not fixed
 * @param ndr64Size        inline size in NDR64, or -1 when not fixed
 * @param deferredPointers whether encoding the type inline leaves pointer referents to be written after it
 *                         (C706 14.3.12): true for embedded pointers and anything that contains one
 * @param conformant       whether the type is a conformant array or a conformant structure, whose
 *                         max_count(s) are hoisted to the front of the outermost structure (C706 14.3.7)
 */
public record TypeLayout(int ndr20Alignment, int ndr64Alignment, long ndr20Size, long ndr64Size,
                         boolean deferredPointers, boolean conformant) {

    /** Size marker for types without a fixed inline size. */
    public static final long NOT_FIXED = -1;

    /** The alignment in the given syntax. */
    public int alignment(Syntax syntax) {
        return syntax == Syntax.NDR20 ? ndr20Alignment : ndr64Alignment;
    }

    /** The inline size in the given syntax, or {@link #NOT_FIXED}. */
    public long size(Syntax syntax) {
        return syntax == Syntax.NDR20 ? ndr20Size : ndr64Size;
    }

    /** Whether the inline size is the same for every value of the type (in both syntaxes). */
    public boolean fixedSize() {
        return ndr20Size >= 0 && ndr64Size >= 0;
    }

    /** A scalar: same size and alignment in both syntaxes, no pointers. */
    static TypeLayout scalar(int size) {
        return new TypeLayout(size, size, size, size, false, false);
    }

    static long roundUp(long value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
