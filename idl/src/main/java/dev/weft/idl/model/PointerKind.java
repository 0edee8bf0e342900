package dev.weft.idl.model;

/** The three NDR pointer kinds (C706 14.3.10, RPCE-FACTS §10.6). */
public enum PointerKind {
    /** {@code [ref]}: never NULL; at top level nothing is sent for the pointer itself. */
    REF("ref"),
    /** {@code [unique]}: may be NULL, no aliasing; a referent id on the wire. */
    UNIQUE("unique"),
    /** {@code [ptr]}: a full pointer; may be NULL and may alias, so the referent is sent once per id. */
    FULL("ptr");

    private final String attribute;

    PointerKind(String attribute) {
        this.attribute = attribute;
    }

    /** The IDL attribute that selects this kind. */
    public String attribute() {
        return attribute;
    }

    /** The kind for an attribute name ({@code ref}, {@code unique}, {@code ptr}), or null. */
    public static PointerKind forAttribute(String name) {
        for (PointerKind kind : values()) {
            if (kind.attribute.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
