package dev.weft.client;

/**
 * Everything a call can fail with: a fault from the server, a refused bind, a broken transport, no answer in time,
 * or a further security context that could not be built.
 */
public sealed class RpcException extends RuntimeException permits RpcFaultException, RpcBindException,
        RpcTransportException, RpcTimeoutException, RpcSecurityContextException {
    RpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
