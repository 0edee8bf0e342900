package dev.weft.cli.examples;

import dev.weft.interfaces.examples.FrstransExample;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.frstrans.Frstrans;
import dev.weft.interfaces.examples.WitnessExample;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.witness.Witness;
import dev.weft.server.RpcService;
import java.util.List;
import java.util.function.Supplier;

/**
 * The example services {@code weft serve} offers, in one place: add a line here and the service is served by
 * default, selectable with {@code --service NAME}, listed by {@code weft serve --help} and by the endpoint mapper.
 * (mgmt and the endpoint mapper are built into the server and not listed here.)
 *
 */
public final class ExampleServices {
    /**
     * One example service.
     *
     * @param name        what {@code --service} selects it by
     * @param description one line for {@code --help}
     * @param factory     a new instance of the service for each server
     */
    public record Example(String name, String description, Supplier<RpcService> factory) {
    }

    private static final List<Example> ALL = List.of(
            new Example("rpcecho", "Samba's echo pipe (AddOne, EchoData, SinkData, SourceData, TestSleep...)",
                    () -> RpcEcho.service(new RpcEchoExample())),
            // The witness reports one interface, 127.0.0.1 in group "weft"; its AsyncNotify pends until a change
            // is published (interfaces' WitnessExample).
            new Example("witness", "MS-SWN witness: register, and AsyncNotify pends until a resource change",
                    () -> Witness.service(new WitnessExample(
                            List.of(WitnessExample.ipv4Interface("weft", new byte[] {127, 0, 0, 1}))))),
            // Any file name is 1 GiB of a generated pattern: enough to watch a byte pipe stream (weft fetch).
            new Example("frstrans", "MS-FRS2 file transfer: any name downloads 1 GiB through the byte pipe",
                    () -> Frstrans.service(FrstransExample.generated(1L << 30))));

    private ExampleServices() {
    }

    /** Every example, in the order they are served. */
    public static List<Example> all() {
        return ALL;
    }
}
