package dev.weft.idl;

import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.PrimitiveType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Imports: found through the include path, each parsed once, shared names visible. */
class ImportTest {

    @Test
    void diamondImportsAreParsedOnce(@TempDir Path dir) throws Exception {
        Path inc = Files.createDirectories(dir.resolve("inc"));
        Files.writeString(inc.resolve("common.idl"), "typedef long COMMON;\n#define ONCE\n");
        Files.writeString(inc.resolve("left.idl"), "import \"common.idl\"; typedef COMMON LEFT;");
        Files.writeString(inc.resolve("right.idl"), "import \"common.idl\"; typedef COMMON RIGHT;");
        Path main = dir.resolve("main.idl");
        Files.writeString(main, "import \"left.idl\", \"right.idl\";\ntypedef struct { LEFT l; RIGHT r; } BOTH;");
        IdlFile f = IdlParser.parse(main, List.of(inc));
        assertEquals(List.of("left.idl", "right.idl"), f.imports());
        assertEquals(PrimitiveType.LONG, f.type("RIGHT").orElseThrow().type().resolved());
        // common.idl's directive warning appears once: the file was read once, so COMMON is not a duplicate
        assertEquals(1, f.warnings().stream().filter(w -> w.location().file().equals("common.idl")).count());
        assertEquals(List.of("BOTH"), f.types().stream().map(t -> t.name()).toList());
        assertTrue(f.interfaces().isEmpty());
    }

    @Test
    void importsNextToTheImportingFileWinOverTheIncludePath(@TempDir Path dir) throws IOException, IdlException {
        Path inc = Files.createDirectories(dir.resolve("inc"));
        Files.writeString(inc.resolve("t.idl"), "typedef short T;");
        Files.writeString(dir.resolve("t.idl"), "typedef hyper T;");
        Files.writeString(dir.resolve("main.idl"), "import \"t.idl\";");
        IdlFile f = IdlParser.parse(dir.resolve("main.idl"), List.of(inc));
        assertEquals(PrimitiveType.HYPER, f.type("T").orElseThrow().type());
    }
}
