package dev.weft.ndr;

/**
 * A context handle on the wire, C706's {@code ndr_context_handle}: a u32 of attributes and a UUID, 20 bytes
 * aligned to 4 in both NDR and NDR64 (RPCE-FACTS §7.2, §10.8). The server creates it; the client treats it as
 * opaque. The all-zero handle is the NULL handle that a Close operation returns.
 */
public record ContextHandle(int attributes, Uuid uuid) {

    /** Size on the wire. */
    public static final int SIZE = 20;

    /** The NULL context handle: 20 zero bytes. */
    public static final ContextHandle NULL = new ContextHandle(0, Uuid.NIL);

    public ContextHandle {
        if (uuid == null) throw new NullPointerException("uuid");
    }

    /** A fresh handle with a random UUID, as a server creates one. */
    public static ContextHandle random() {
        return new ContextHandle(0, Uuid.random());
    }

    public boolean isNull() {
        return attributes == 0 && uuid.isNil();
    }
}
