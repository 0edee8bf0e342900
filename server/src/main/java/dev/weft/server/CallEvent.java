package dev.weft.server;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A JFR event per call, from its last request fragment to its answer. */
@Name("dev.weft.server.Call")
@Label("RPC Call")
@Category({"Weft", "RPC Server"})
@Description("One call, from its last request fragment to its answer")
final class CallEvent extends Event {
    @Label("Interface")
    String iface;

    @Label("Opnum")
    int opnum;

    @Label("Transfer syntax")
    String syntax;

    @Label("Request bytes")
    int requestBytes;

    @Label("Response bytes")
    int responseBytes;

    @Label("Fault status")
    @Description("0 when the call succeeded")
    int faultStatus;

    @Label("Cancelled")
    boolean cancelled;
}
