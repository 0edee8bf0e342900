package dev.weft.server;

import dev.weft.transport.Endpoint;

/** An interface served on an endpoint: one entry of the endpoint mapper's database. */
record Registration(RpcService service, Endpoint endpoint) {
}
