package dev.weft.client;

/**
 * Everything a call can fail with: a fault from the server, a refused bind, a broken transport, or no answer in
 * time.
 */
public sealed class RpcException extends RuntimeException permits RpcFaultException, RpcBindException,
        RpcTransportException, RpcTimeoutException {
    RpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
