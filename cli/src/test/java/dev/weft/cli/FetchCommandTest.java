package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.interfaces.examples.FrstransExample;
import dev.weft.interfaces.frstrans.Frstrans;
import dev.weft.server.RpcServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weft fetch: a file downloaded through frstrans' byte pipe arrives byte for byte. */
class FetchCommandTest {
    @TempDir
    Path dir;

    @Test
    void fetchesAFileThroughTheBytePipe() throws Exception {
        byte[] content = new byte[3_000_000];   // the first 64 KiB in the initial answer, the rest in the pipe
        new Random(3).nextBytes(content);
        Path served = Files.createDirectory(dir.resolve("served"));
        Files.write(served.resolve("data.bin"), content);
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]")
                .service(Frstrans.service(FrstransExample.directory(served))).build().start()) {
            String binding = server.endpoints().get(0).toBinding().toString();
            Path out = dir.resolve("out.bin");
            Cli c = Cli.run("fetch", binding, "data.bin", "-o", out.toString(), "--json");
            assertEquals(ExitCode.OK, c.code, c::toString);
            assertArrayEquals(content, Files.readAllBytes(out));
            assertEquals((long) content.length, c.json().get("bytes"));

            Cli missing = Cli.run("fetch", binding, "nothing-here", "-o", dir.resolve("x").toString());
            assertEquals(ExitCode.REFUSED, missing.code, missing::toString);
            assertEquals(ExitCode.USAGE, Cli.run("fetch", binding, "data.bin").code, "-o is required");
        }
    }
}
