package dev.weft.idl;

import dev.weft.idl.gen.JavaGenerator;
import dev.weft.idl.model.IdlFile;
import org.junit.jupiter.api.Test;

import static dev.weft.idl.Idl.inInterface;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the generator makes of a pointer to a nullable pointer and of an [in, out] pipe, the shapes whose Java types
 * are not a plain value: the wire behaviour of both is tested on generated code in the interfaces module
 * (constructs.idl: ConstructsCodecTest against hand-derived bytes, ConstructsAgainstWeftTest over loopback).
 */
class PointersAndPipesGeneratorTest {
    private static final String IDL = """
            typedef pipe byte BYTE_PIPE;
            void Twice([in, out, unique] long **value);
            void Thrice([in, out, unique] long ***value);
            void Once([in, unique] long *value);
            void RefThenUnique([in] long **value);
            void Stream([in] long key, [in, out] BYTE_PIPE *data);
            long Check([in] long what, [out] long *Result);
            """;

    private static String generate() {
        IdlFile f = inInterface(IDL);
        return JavaGenerator.generate(f, f.singleInterface(), "p", "T");
    }

    private static void contains(String java, String expected) {
        assertTrue(java.contains(expected), "expected in the generated code: " + expected);
    }

    @Test
    void aUniquePointerToANullablePointerIsAPointer() {
        String java = generate();
        contains(java, "Pointer<Integer> twice(Pointer<Integer> value);");
        contains(java, "Pointer<Pointer<Integer>> thrice(Pointer<Pointer<Integer>> value);");
        contains(java, "if (w.writeUniquePointer(value.target())) {");
        contains(java, "valueOut = Pointer.to(value");
        contains(java, "import dev.weft.ndr.Pointer;");
    }

    @Test
    void pointersThatCannotBePresentWithANullTargetStayPlainValues() {
        String java = generate();
        contains(java, "void once(Integer value);");
        contains(java, "void refThenUnique(Integer value);");   // the [ref] pointer is never null
    }

    @Test
    void anInOutPipeIsOneInOutPipeForClientAndServer() {
        String java = generate();
        contains(java, "void stream(int key, InOutPipe<byte[]> data);");
        contains(java, "void stream(ServerCall call, int key, InOutPipe<byte[]> data) throws Exception;");
        // the server's decoder and encoder, joined; the first push drains the request's pipes
        contains(java, "PipeDecoder<byte[]> dataIn = new PipeDecoder<>(r, null, ");
        contains(java, "PipeEncoder<byte[]> dataOut = new PipeEncoder<>(w, null, dataIn, ");
        contains(java, "InOutPipe<byte[]> data = InOutPipe.of(dataIn, dataOut);");
        // the client pulls it into the request and pushes the response's chunks back into it
        contains(java, "Pipes.pull(data)");
        contains(java, "Pipes.push(data, ");
    }

    @Test
    void anOutParameterNamedResultDoesNotCollideWithTheReturnValue() {
        contains(generate(), "public record CheckResult(int resultOut, int result)");
    }
}
