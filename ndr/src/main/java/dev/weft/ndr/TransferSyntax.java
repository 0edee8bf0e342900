package dev.weft.ndr;

/**
 * The two transfer syntaxes a presentation context may use. Everything that differs between them (pointer and
 * count widths, enum width, trailing struct padding, union alignment, pipe chunks) is decided by the writer or
 * reader from this value, so a codec is written once for both (MS-RPCE 2.2.5).
 */
public enum TransferSyntax {
    NDR20(SyntaxId.NDR20),
    NDR64(SyntaxId.NDR64);

    private final SyntaxId id;

    TransferSyntax(SyntaxId id) {
        this.id = id;
    }

    /** The syntax identifier negotiated in bind and alter_context. */
    public SyntaxId id() {
        return id;
    }

    /** The transfer syntax with this identifier, or {@code null} when it is neither NDR nor NDR64. */
    public static TransferSyntax of(SyntaxId id) {
        for (TransferSyntax t : values()) {
            if (t.id.equals(id)) return t;
        }
        return null;
    }

    public boolean isNdr64() {
        return this == NDR64;
    }

    /** Size and alignment of a pointer (referent id), a conformance or variance count, and {@code __int3264}. */
    public int pointerSize() {
        return this == NDR64 ? 8 : 4;
    }

    /** Size and alignment of an ordinary (non-{@code v1_enum}) enum: 2 in NDR, 4 in NDR64 (MS-RPCE 2.2.5.2.1). */
    public int enumSize() {
        return this == NDR64 ? 4 : 2;
    }
}
