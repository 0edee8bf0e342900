package dev.weft.client;

/** The server refused a bind or an interface: a bind_nak (with its reject reason) or a rejected context. */
public final class RpcBindException extends RpcException {
    private final int reason;

    public RpcBindException(String message, int reason) {
        super(message, null);
        this.reason = reason;
    }

    /** The bind_nak reject reason or the context's provider reason (C706 12.6.3, MS-RPCE 2.2.2.5). */
    public int reason() {
        return reason;
    }
}
