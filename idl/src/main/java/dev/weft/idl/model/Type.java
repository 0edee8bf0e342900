package dev.weft.idl.model;

/**
 * A resolved IDL type. The choices are closed, so a generator's pattern-matching {@code switch} over a type
 * needs no {@code default}.
 *
 * <p>Uses of a typedef name are {@link TypeReference}s (so generated code can keep the spec's names); call
 * {@link #resolved()} to see through them.
 */
public sealed interface Type
        permits PrimitiveType, EnumType, StructType, UnionType, ArrayType, PointerType, PipeType,
        ContextHandleType, HandleType, VoidType, TypeReference {

    /** Alignment, size and pointer facts in NDR20 and NDR64. */
    TypeLayout layout();

    /** This type with typedef references followed to their definition; a non-reference returns itself. */
    default Type resolved() {
        return this;
    }

    /** The type as IDL would spell it, for messages and comments in generated code. */
    String displayName();
}
