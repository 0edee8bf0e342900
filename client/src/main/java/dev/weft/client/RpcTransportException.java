package dev.weft.client;

/** The connection failed or closed under a call; the server may or may not have run it. */
public final class RpcTransportException extends RpcException {
    public RpcTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
