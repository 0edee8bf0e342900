/**
 * The RPC server runtime: listeners on string bindings, one virtual thread per connection and one per call,
 * presentation contexts, association groups spanning connections, context handles and their rundown,
 * cancellation, and the seam ({@link dev.weft.server.RpcService}) that generated server skeletons implement.
 */
module dev.weft.server {
    requires transitive dev.weft.pdu;
    requires transitive dev.weft.transport;
    requires jdk.jfr;
    exports dev.weft.server;
}
