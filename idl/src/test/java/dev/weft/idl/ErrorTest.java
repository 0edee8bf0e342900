package dev.weft.idl;

import dev.weft.idl.model.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.weft.idl.Idl.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each error class, with the exact text a user sees. */
class ErrorTest {
    private static final String IFACE = "[uuid(12345678-1234-abcd-ef00-0123456789ab)] interface t {\n";

    private static void assertErrors(String source, String... expected) {
        IdlException e = failure(source);
        assertEquals(List.of(expected), e.errors().stream().map(Diagnostic::toString).toList());
        assertEquals(String.join("\n", expected), e.getMessage());
    }

    @Test
    void missingSemicolonAfterStructMember() {
        assertErrors("""
                typedef struct {
                    long a
                typedef long b;
                """, "test.idl:3:1: expected ';' after struct member, found 'typedef'");
    }

    @Test
    void missingSemicolonAfterOperation() {
        assertErrors(IFACE + "void A(void)\nvoid B(void);\n}",
                "test.idl:3:1: expected ';' after operation A, found 'void'");
    }

    @Test
    void unclosedInterface() {
        assertErrors(IFACE + "void A(void);\n",
                "test.idl:3:1: expected '}' to close interface t, found end of file");
    }

    @Test
    void invalidTypeWordCombination() {
        assertErrors("typedef unsigned double D;", "test.idl:1:9: 'unsigned double' is not a valid type");
    }

    @Test
    void unexpectedCharacterAndUnterminatedComment() {
        assertErrors("typedef long $x;", "test.idl:1:14: unexpected character '$'");
        assertErrors("typedef long x; /* never closed", "test.idl:1:17: unterminated comment");
    }

    @Test
    void unknownTypeName() {
        assertErrors("typedef struct { FOO a; } S;", "test.idl:1:18: unknown type 'FOO'");
    }

    @Test
    void unknownStructTag() {
        assertErrors("typedef struct missing *P;", "test.idl:1:9: unknown struct 'missing'");
    }

    @Test
    void duplicateDefinition() {
        assertErrors("typedef long X;\ntypedef short X;",
                "test.idl:2:15: duplicate definition of 'X'; first defined at test.idl:1:14");
    }

    @Test
    void duplicateConstantAndEnumerator() {
        assertErrors("const long A = 1;\ntypedef enum { A, B } E;",
                "test.idl:2:16: duplicate definition of 'A'; first defined at test.idl:1:1");
    }

    @Test
    void switchIsOnANonUnion() {
        assertErrors("typedef struct { long level; [switch_is(level)] long notUnion; } S;",
                "test.idl:1:54: switch_is on member 'notUnion' of struct 'S', but its type 'long' is not a "
                        + "non-encapsulated union");
    }

    @Test
    void unionWithoutSwitchIs() {
        assertErrors("typedef [switch_type(long)] union { [case(1)] long a; } U;\n"
                        + "typedef struct { U u; } S;",
                "test.idl:2:20: member 'u' of struct 'S' has union type 'U' but no switch_is to select its arm");
    }

    @Test
    void sizeIsNamingAnUnknownField() {
        assertErrors("typedef struct { long count; [size_is(cnt)] long *data; } S;",
                "test.idl:1:31: size_is(cnt) on member 'data' of struct 'S' names 'cnt', which is neither a "
                        + "member of struct 'S' nor a constant");
    }

    @Test
    void lengthIsNamingAnUnknownParameter() {
        assertErrors(IFACE + "void Op([in] long n, [out, size_is(n), length_is(*got)] long *data);\n}",
                "test.idl:2:40: length_is(*got) on parameter 'data' of operation 'Op' names 'got', which is "
                        + "neither a parameter of operation 'Op' nor a constant");
    }

    @Test
    void tooManySizeIsPositions() {
        assertErrors(IFACE + "void Op([in] long n, [in, size_is(n, n)] long *data);\n}",
                "test.idl:2:48: size_is on 'data' has 2 positions but the declaration has only 1 pointer or "
                        + "array levels");
    }

    @Test
    void conformantArrayNotLast() {
        assertErrors("typedef struct { long n; [size_is(n)] long a[]; long after; } S;",
                "test.idl:1:44: conformant array 'a' must be the last member of struct 'S'");
    }

    @Test
    void openArrayWithoutBounds() {
        assertErrors("typedef struct { long n; long a[]; } S;",
                "test.idl:1:31: conformant array 'a' needs size_is or max_is");
    }

    @Test
    void structContainingItselfByValue() {
        assertErrors("typedef struct _A { long x; struct _A inner; } A;",
                "test.idl:1:9: type 'A' contains itself by value (A -> A); use a pointer");
    }

    @Test
    void malformedUuidAndVersion() {
        assertErrors("[uuid(1234-5678), version(1.2.3)] interface t { }",
                "test.idl:1:2: malformed uuid '1234-5678': expected 8-4-4-4-12 hexadecimal digits",
                "test.idl:1:19: malformed version '1.2.3': expected major.minor, each 0..65535");
    }

    @Test
    void badPointerDefault() {
        assertErrors("[pointer_default(shared)] interface t { }",
                "test.idl:1:2: pointer_default must be ref, unique or ptr, found 'shared'");
    }

    @Test
    void outParameterMustBeAPointer() {
        assertErrors(IFACE + "void Op([out] long x);\n}",
                "test.idl:2:20: [out] parameter 'x' of operation 'Op' must be a pointer or an array");
    }

    @Test
    void nonConstantArrayBoundAndCase() {
        assertErrors("typedef struct { long n; long a[n]; } S;",
                "test.idl:1:31: 'n' in array bound is not a constant");
        assertErrors("typedef [switch_type(long)] union { [case(1.5)] long a; } U;",
                "test.idl:1:43: malformed number '1.5'");
    }

    @Test
    void constantDefinedInTermsOfItself() {
        assertErrors("const long A = B;\nconst long B = A + 1;",
                "test.idl:1:1: constant 'A' is defined in terms of itself");
    }

    @Test
    void stringOnANonCharacterType() {
        assertErrors("typedef struct { [string] double *d; } S;",
                "test.idl:1:35: [string] on 'd' needs a character element type, not 'double'");
    }

    @Test
    void severalSemanticErrorsAreReportedTogether() {
        IdlException e = failure("typedef struct { A a; B b; } S;");
        assertEquals(List.of("test.idl:1:18: unknown type 'A'", "test.idl:1:23: unknown type 'B'"),
                e.errors().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void typeLibrariesAreRefused() {
        assertErrors("library L { }",
                "test.idl:1:1: 'library' is not supported: Weft compiles RPC interfaces, not type libraries");
    }

    @Test
    void missingImport(@TempDir Path dir) throws IOException {
        Path main = dir.resolve("main.idl");
        Files.writeString(main, "import \"nowhere.idl\";\n");
        IdlException e = assertThrows(IdlException.class, () -> IdlParser.parse(main, List.of(dir.resolve("inc"))));
        assertEquals("main.idl:1:8: cannot find imported file \"nowhere.idl\" (searched " + dir.toAbsolutePath()
                + ", " + dir.resolve("inc") + ")", e.getMessage());
    }

    @Test
    void importCycle(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.idl"), "import \"b.idl\";\ntypedef long A;\n");
        Files.writeString(dir.resolve("b.idl"), "import \"c.idl\";\n");
        Files.writeString(dir.resolve("c.idl"), "\nimport \"a.idl\";\n");
        IdlException e = assertThrows(IdlException.class, () -> IdlParser.parse(dir.resolve("a.idl"), List.of()));
        assertEquals("c.idl:2:8: import cycle: a.idl -> b.idl -> c.idl -> a.idl", e.getMessage());
    }

    @Test
    void unreadableFile(@TempDir Path dir) {
        IdlException e = assertThrows(IdlException.class, () -> IdlParser.parse(dir.resolve("gone.idl"), List.of()));
        assertEquals(1, e.errors().size());
        assertEquals("gone.idl", e.errors().get(0).location().file());
    }
}
