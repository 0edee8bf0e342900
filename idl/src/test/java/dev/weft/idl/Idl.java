package dev.weft.idl;

import dev.weft.idl.model.Field;
import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.Operation;
import dev.weft.idl.model.StructType;
import dev.weft.idl.model.Type;
import dev.weft.idl.model.UnionType;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Test helpers: compile snippets and dig into the model. */
final class Idl {
    private Idl() {
    }

    static IdlFile compile(String source) {
        try {
            return IdlParser.parse("test.idl", source, List.of());
        } catch (IdlException e) {
            throw new AssertionError("unexpected compile failure:\n" + e.getMessage(), e);
        }
    }

    /** Compiles a snippet inside an interface with the given pointer_default. */
    static IdlFile inInterface(String body) {
        return compile("[uuid(12345678-1234-abcd-ef00-0123456789ab), version(1.0), pointer_default(unique)]\n"
                + "interface t {\n" + body + "\n}\n");
    }

    /** The single error message (without location) of a failing compile. */
    static IdlException failure(String source) {
        return assertThrows(IdlException.class, () -> IdlParser.parse("test.idl", source, List.of()));
    }

    static Type type(IdlFile f, String name) {
        return f.type(name).orElseThrow(() -> new AssertionError("no type " + name)).type();
    }

    static StructType struct(IdlFile f, String name) {
        return (StructType) type(f, name).resolved();
    }

    static UnionType union(IdlFile f, String name) {
        return (UnionType) type(f, name).resolved();
    }

    static Field field(StructType s, String name) {
        return s.members().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + name));
    }

    static Operation op(IdlFile f, String name) {
        return f.singleInterface().operation(name).orElseThrow(() -> new AssertionError("no operation " + name));
    }

    static Path resource(String name) {
        try {
            return Path.of(Idl.class.getResource("/idl/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static IdlFile compileResource(String name) {
        try {
            return IdlParser.parse(resource(name), List.of());
        } catch (IdlException e) {
            throw new AssertionError("unexpected compile failure:\n" + e.getMessage(), e);
        }
    }
}
