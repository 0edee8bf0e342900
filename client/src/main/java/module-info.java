/**
 * The RPC client runtime: connect to a string binding, bind interfaces, and make blocking calls that are safe from
 * many virtual threads at once. {@link dev.weft.client.BindingHandle} is the seam generated client stubs call.
 */
module dev.weft.client {
    requires transitive dev.weft.pdu;
    requires transitive dev.weft.transport;
    exports dev.weft.client;
}
