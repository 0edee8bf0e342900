package dev.weft.idl;

import dev.weft.idl.gen.JavaGenerator;
import dev.weft.idl.model.IdlFile;
import org.junit.jupiter.api.Test;

import static dev.weft.idl.Idl.inInterface;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An array whose {@code size_is} or {@code length_is} names a parameter that comes after it on the wire (MS-FRS2's
 * {@code [out, size_is(bufferSize), length_is(*sizeRead)] byte *dataBuffer} before {@code [out] DWORD *sizeRead}):
 * the decoder reads the counts before the parameter, so it checks them once the parameter is decoded, and a client
 * checks them before it sends. The fuzzer found the client accepting a response whose actual count was not
 * {@code *sizeRead} (fuzz/src/test/resources/findings/fixed/stubs-frstrans-*.txt).
 */
class LateCountTest {
    private static final String IDL = """
            void Get([out, size_is(bufferSize), length_is(*sizeRead)] byte *dataBuffer,
                     [in] long bufferSize, [out] long *sizeRead);
            void Put([in, size_is(count)] byte *data, [in] long count);
            """;

    @Test
    void theClientChecksAnOutArrayAgainstALaterOutParameterOnceItIsDecoded() {
        String java = generate();
        String client = java.substring(java.indexOf("public GetResult get("));
        int read = client.indexOf("int sizeRead = r.readInt32();");
        int check = client.indexOf("checkSize(dataBuffer.length, (long) sizeRead, \"dataBuffer\");");
        int done = client.indexOf("return new GetResult(");
        assertTrue(read > 0 && check > read && done > check, client.substring(0, Math.max(0, done)));
    }

    @Test
    void theSkeletonChecksAnInArrayAgainstALaterInParameterBeforeTheCall() {
        String java = generate();
        String server = java.substring(java.indexOf("private void put(ServerCall call)"));
        int read = server.indexOf("int count = r.readInt32();");
        int check = server.indexOf("checkSize(data.length, (long) count, \"data\");");
        int call = server.indexOf("impl.put(call, data, count);");
        assertTrue(read > 0 && check > read && call > check, server);
    }

    @Test
    void theClientChecksAnInArrayAgainstALaterInParameterBeforeSending() {
        String java = generate();
        String client = java.substring(java.indexOf("public void put("));
        int check = client.indexOf("checkSize(data.length, (long) count, \"data\");");
        int send = client.indexOf("binding.call(");
        assertTrue(check > 0 && send > check, client);
    }

    private static String generate() {
        IdlFile f = inInterface(IDL);
        return JavaGenerator.generate(f, f.singleInterface(), "p", "T");
    }
}
