package dev.weft.client;

/** Everything a call can fail with: a fault from the server, a refused bind, or a broken transport. */
public sealed class RpcException extends RuntimeException permits RpcFaultException, RpcBindException,
        RpcTransportException {
    RpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
