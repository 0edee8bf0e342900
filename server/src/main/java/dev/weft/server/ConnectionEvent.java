package dev.weft.server;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A JFR event per connection, from accept to close (ARCHITECTURE rule 8: observable without dependencies). */
@Name("dev.weft.server.Connection")
@Label("RPC Connection")
@Category({"Weft", "RPC Server"})
@Description("A client connection, from accept to close")
final class ConnectionEvent extends Event {
    @Label("Client")
    String client;

    @Label("Endpoint")
    String endpoint;

    @Label("Calls")
    long calls;

    @Label("Association group")
    int associationGroup;
}
