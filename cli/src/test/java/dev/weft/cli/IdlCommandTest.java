package dev.weft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** weft idl runs the weft-idl tool and maps its outcome to weft's exit codes. */
class IdlCommandTest {
    @TempDir
    Path dir;

    @Test
    void generatesJavaFromIdl() throws IOException {
        Path idl = dir.resolve("hello.idl");
        Files.writeString(idl, """
                [uuid(12345678-1234-5678-1234-567812345678), version(1.0), pointer_default(unique)]
                interface hello
                {
                    long hello_Add([in] long a, [in] long b, [out] long *sum);
                }
                """);
        Path out = dir.resolve("out");
        Cli c = Cli.run("idl", "-o", out.toString(), "--package", "com.example.hello", idl.toString());
        assertEquals(ExitCode.OK, c.code, c::toString);
        try (var files = Files.walk(out)) {
            Path java = files.filter(p -> p.toString().endsWith(".java")).findFirst().orElseThrow();
            String src = Files.readString(java);
            assertTrue(src.contains("package com.example.hello;"), src);
            assertTrue(src.contains("12345678-1234-5678-1234-567812345678"), src);
            assertTrue(c.out().contains(java.toString()), c::toString);
        }
    }

    @Test
    void idlErrorsExitSix() throws IOException {
        Path idl = dir.resolve("broken.idl");
        Files.writeString(idl, "interface { this is not IDL");
        Cli c = Cli.run("idl", "-o", dir.resolve("out").toString(), idl.toString());
        assertEquals(ExitCode.IDL_ERRORS, c.code, c::toString);
        assertTrue(!c.err().isBlank(), c::toString);
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(ExitCode.USAGE, Cli.run("idl").code);
        assertEquals(ExitCode.USAGE, Cli.run("idl", "-o").code);
        assertEquals(ExitCode.USAGE, Cli.run("idl", "file.idl").code);
        Cli help = Cli.run("idl", "--help");
        assertEquals(ExitCode.OK, help.code);
        assertTrue(help.out().contains("weft-idl"), help::toString);
    }
}
