package dev.weft.idl;

import dev.weft.idl.internal.Compiler;
import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.Location;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The front half of the Weft IDL compiler: reads MIDL-syntax IDL, as the Microsoft protocol specifications
 * publish it in their "Full IDL" appendices, and returns the resolved {@link IdlFile} model.
 *
 * <p>The MS-DTYP base types (DWORD, RPC_UNICODE_STRING, RPC_SID, ...) are always available: the built-in
 * {@code ms-dtyp.idl} is loaded before every file, and {@code import "ms-dtyp.idl";} names it.
 * Other imports are looked up next to the importing file, then along the include path.
 *
 * <pre>{@code
 * IdlFile f = IdlParser.parse(Path.of("witness.idl"), List.of(Path.of("idl")));
 * Interface witness = f.singleInterface();
 * }</pre>
 */
public final class IdlParser {
    private IdlParser() {
    }

    /**
     * Compiles a file.
     *
     * @param file        the IDL file
     * @param includePath directories searched for imports, in order
     * @return the resolved model, with any warnings
     * @throws IdlException when the file or an import cannot be read, does not parse, or does not resolve
     */
    public static IdlFile parse(Path file, List<Path> includePath) throws IdlException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IdlException(List.of(new dev.weft.idl.model.Diagnostic(
                    dev.weft.idl.model.Diagnostic.Severity.ERROR, new Location(String.valueOf(file.getFileName()), 1, 1),
                    "cannot read file: " + e)), List.of());
        }
        return compile(String.valueOf(file.getFileName()), file, text, includePath);
    }

    /**
     * Compiles IDL held in memory; imports are searched along the include path only.
     *
     * @param fileName    the name used in messages
     * @param source      the IDL text
     * @param includePath directories searched for imports
     */
    public static IdlFile parse(String fileName, String source, List<Path> includePath) throws IdlException {
        return compile(fileName, null, source, includePath);
    }

    /** The built-in MS-DTYP base IDL, as text. */
    public static String baseIdl() {
        return Compiler.baseText();
    }

    private static IdlFile compile(String name, Path path, String text, List<Path> includePath) throws IdlException {
        Compiler compiler = new Compiler(includePath);
        IdlFile result = compiler.compile(name, path, text);
        if (result == null) {
            throw new IdlException(compiler.diagnostics().errors(), compiler.diagnostics().warnings());
        }
        return result;
    }
}
