package dev.weft.idl.model;

/**
 * The NDR base types (C706 14.2, MS-RPCE 3.1.1.5.1). Sizes and alignments are the same in NDR20 and NDR64
 * except for the pointer-sized {@code __int3264}, which is 4 bytes in NDR20 and 8 in NDR64
 * (MS-RPCE 3.1.1.5.1.1.1).
 */
public enum PrimitiveType implements Type {
    BOOLEAN("boolean", 1, 1, false),
    BYTE("byte", 1, 1, false),
    CHAR("char", 1, 1, false),
    /** {@code unsigned char}: NDR sends it as a char; kept apart so a generator can use an unsigned Java type. */
    UCHAR("unsigned char", 1, 1, false),
    SMALL("small", 1, 1, true),
    USMALL("unsigned small", 1, 1, false),
    SHORT("short", 2, 2, true),
    USHORT("unsigned short", 2, 2, false),
    WCHAR("wchar_t", 2, 2, false),
    LONG("long", 4, 4, true),
    ULONG("unsigned long", 4, 4, false),
    ERROR_STATUS_T("error_status_t", 4, 4, false),
    HYPER("hyper", 8, 8, true),
    UHYPER("unsigned hyper", 8, 8, false),
    FLOAT("float", 4, 4, true),
    DOUBLE("double", 8, 8, true),
    INT3264("__int3264", 4, 8, true),
    UINT3264("unsigned __int3264", 4, 8, false);

    private final String idlName;
    private final int ndr20Size;
    private final int ndr64Size;
    private final boolean signed;

    PrimitiveType(String idlName, int ndr20Size, int ndr64Size, boolean signed) {
        this.idlName = idlName;
        this.ndr20Size = ndr20Size;
        this.ndr64Size = ndr64Size;
        this.signed = signed;
    }

    /** The canonical IDL spelling, e.g. {@code unsigned long}. */
    public String idlName() {
        return idlName;
    }

    /** Whether values are signed (matters for widening into Java types and for range checks). */
    public boolean signed() {
        return signed;
    }

    /** Whether the type is a character type that can carry {@code [string]}. */
    public boolean isCharacter() {
        return this == CHAR || this == UCHAR || this == BYTE || this == WCHAR || this == USHORT || this == SMALL
                || this == USMALL;
    }

    /** Whether the type is an integer (usable as a union discriminant or in size expressions). */
    public boolean isInteger() {
        return this != FLOAT && this != DOUBLE;
    }

    @Override
    public TypeLayout layout() {
        // Every NDR primitive is aligned to its own size (C706 14.2.2; MS-RPCE 2.2.5.2 keeps that for NDR64).
        return new TypeLayout(ndr20Size, ndr64Size, ndr20Size, ndr64Size, false, false);
    }

    @Override
    public String displayName() {
        return idlName;
    }
}
