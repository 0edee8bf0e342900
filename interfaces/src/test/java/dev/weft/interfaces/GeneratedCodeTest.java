package dev.weft.interfaces;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The generated code under src/main/java is exactly what weft-idl makes of src/main/idl today (gRPC-java's rule:
 * generated code is committed, and a test regenerates and diffs), and so is the test interface's under
 * src/test/java, from src/test/idl. Run with {@code -Dweft.idl.regenerate=true} to rewrite the committed files
 * instead.
 */
class GeneratedCodeTest {
    /** Each shipped IDL file: its Java package and class. */
    static final List<String[]> SHIPPED = List.of(
            new String[]{"rpcecho.idl", "dev.weft.interfaces.rpcecho", "RpcEcho"},
            new String[]{"ept.idl", "dev.weft.interfaces.epmapper", "Epmapper"},
            new String[]{"mgmt.idl", "dev.weft.interfaces.mgmt", "Mgmt"},
            new String[]{"ms-swn.idl", "dev.weft.interfaces.witness", "Witness"},
            new String[]{"ms-dssp.idl", "dev.weft.interfaces.dssetup", "Dssetup"},
            new String[]{"ms-frs2.idl", "dev.weft.interfaces.frstrans", "Frstrans"},
            new String[]{"ms-samr.idl", "dev.weft.interfaces.samr", "Samr"},
            new String[]{"ms-nrpc.idl", "dev.weft.interfaces.netlogon", "Netlogon"},
            new String[]{"ms-lsad.idl", "dev.weft.interfaces.lsarpc", "Lsarpc"},
            new String[]{"ms-srvs.idl", "dev.weft.interfaces.srvsvc", "Srvsvc"});

    /** IDL of Weft's own that only tests use (src/test/idl, generated into src/test/java). */
    static final List<String[]> TESTING = List.<String[]>of(
            new String[]{"constructs.idl", "dev.weft.interfaces.constructs", "Constructs"});

    /** Hand-written companions of a generated class, in its package on purpose (what the IDL cannot say). */
    static final List<String> HAND_WRITTEN = List.of("dev/weft/interfaces/samr/SamrPasswords.java");

    private static final Path IDL = Path.of("src/main/idl");
    private static final Path JAVA = Path.of("src/main/java");
    private static final Path TEST_IDL = Path.of("src/test/idl");
    private static final Path TEST_JAVA = Path.of("src/test/java");

    @Test
    void committedCodeIsWhatTheGeneratorMakes() throws IOException {
        List<String> differences = new ArrayList<>();
        compare(SHIPPED, IDL, JAVA, differences);
        compare(TESTING, TEST_IDL, TEST_JAVA, differences);
        try (Stream<Path> all = Files.walk(JAVA.resolve("dev/weft/interfaces"))) {
            List<String> expected = SHIPPED.stream().map(s -> s[1].replace('.', '/') + "/" + s[2] + ".java").toList();
            all.filter(p -> p.toString().endsWith(".java")).map(p -> JAVA.relativize(p).toString())
                    .filter(p -> !expected.contains(p))
                    .filter(p -> !HAND_WRITTEN.contains(p))
                    .filter(p -> !p.startsWith("dev/weft/interfaces/examples/"))   // written by hand, on purpose
                    .forEach(p -> differences.add(p + " is not generated from any shipped IDL"));
        }
        if (!differences.isEmpty()) {
            fail("generated code differs from the committed code (regenerate with -Dweft.idl.regenerate=true): "
                    + differences);
        }
    }

    /** Generates each of {@code files} from {@code idl} and compares it with the file committed under {@code java}. */
    private static void compare(List<String[]> files, Path idl, Path java, List<String> differences)
            throws IOException {
        boolean regenerate = Boolean.getBoolean("weft.idl.regenerate");
        Path out = regenerate ? java : Files.createTempDirectory("weft-idl");
        ToolProvider tool = ToolProvider.findFirst("weft-idl").orElseThrow(() -> new AssertionError(
                "weft-idl is not registered as a ToolProvider"));
        for (String[] s : files) {
            StringWriter err = new StringWriter();
            int status = tool.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "-o", out.toString(),
                    "-I", IDL.toString(), "--package", s[1], "--class", s[2], idl.resolve(s[0]).toString());
            assertEquals(0, status, s[0] + ": " + err);
            Path relative = Path.of(s[1].replace('.', '/'), s[2] + ".java");
            Path committed = java.resolve(relative);
            assertTrue(Files.exists(committed), "missing generated file " + committed);
            if (!Files.readString(committed).equals(Files.readString(out.resolve(relative)))) {
                differences.add(committed.toString());
            }
        }
    }
}
