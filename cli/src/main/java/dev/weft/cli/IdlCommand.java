package dev.weft.cli;

import dev.weft.idl.gen.WeftIdl;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code weft idl ...}: the IDL compiler, the same {@code weft-idl} tool the build uses, run in-process. */
final class IdlCommand implements Command {
    @Override
    public String name() {
        return "idl";
    }

    @Override
    public String summary() {
        return "compile MIDL-syntax IDL into Java stubs and NDR20/NDR64 codecs (weft-idl)";
    }

    @Override
    public String help() {
        return """
                usage: weft idl -o OUTDIR [-I INCLUDEDIR]... [--package P] [--class C] FILE.idl

                Generates one Java class per interface: types, NDR20/NDR64 codecs, a blocking client
                (Xxx.client(bindingHandle)) and a server skeleton (Xxx.service(impl)). Prints the files
                written. Exit 2 for bad arguments, 6 when the IDL has errors.

                example: weft idl -o src/main/java --package com.example.echo echo.idl
                """;
    }

    @Override
    public int run(String[] argv, Io io) {
        if (argv.length == 0) throw CliException.usage("idl: missing -o OUTDIR and FILE.idl (see weft idl --help)");
        // Called directly rather than found through ToolProvider.findFirst: the class is a ToolProvider either
        // way, and a direct call works the same on the class path, the module path and in the jlink image.
        int status = new WeftIdl().run(new PrintWriter(io.out(), true, StandardCharsets.UTF_8),
                new PrintWriter(io.err(), true, StandardCharsets.UTF_8), argv);
        return switch (status) {
            case 0 -> ExitCode.OK;
            case 2 -> ExitCode.USAGE;
            default -> ExitCode.IDL_ERRORS;
        };
    }
}
