package dev.weft.ndr;

/**
 * Bounds a decoder enforces on hostile input, on top of the rule that no count may claim more elements than the
 * bytes that remain could hold ({@link NdrReader#checkCount}).
 *
 * @param maxArrayCount  the largest conformance, variance or pipe-chunk count accepted
 * @param maxStringLength the largest {@code [string]} length accepted, in characters, terminator included
 * @param maxDepth       the deepest nesting of pointers and constructed types, in both directions (a cycle of
 *                       unique pointers, or a hostile chain of them, ends here rather than in a stack overflow)
 */
public record NdrLimits(int maxArrayCount, int maxStringLength, int maxDepth) {

    /**
     * Defaults sized for the largest requests Windows accepts (4 MiB): no array of bytes could be larger, and no
     * legitimate MS protocol nests structures 256 deep.
     */
    public static final NdrLimits DEFAULT = new NdrLimits(4 * 1024 * 1024, 1024 * 1024, 256);

    public NdrLimits {
        if (maxArrayCount < 0 || maxStringLength < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxArrayCount + ", " + maxStringLength
                    + ", " + maxDepth);
        }
    }
}
