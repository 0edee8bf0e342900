/**
 * String bindings ({@code [object-uuid@]protseq:address[endpoint,option=value]}) and the blocking transports
 * Weft speaks: {@code ncacn_ip_tcp} and {@code ncalrpc} (Unix domain sockets).
 */
module dev.weft.transport {
    requires jdk.net; // SO_PEERCRED: the ncalrpc client identity

    exports dev.weft.transport;
}
