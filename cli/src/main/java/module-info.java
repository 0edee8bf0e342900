/**
 * The {@code weft} command: a server with the endpoint mapper, mgmt and example services ({@code weft serve}),
 * clients for the endpoint mapper, mgmt and rpcecho, a load harness ({@code weft bench}) and the IDL compiler
 * ({@code weft idl}). {@link dev.weft.cli.Weft} is the entry point.
 */
module dev.weft.cli {
    requires dev.weft.interfaces;
    requires dev.weft.idl;

    exports dev.weft.cli;
    exports dev.weft.cli.examples;
}
