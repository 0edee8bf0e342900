package dev.weft.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Runs {@link Weft#run} in-process with captured output. */
final class Cli {
    final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    final Io io = new Io(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8), false, new CountDownLatch(1));
    int code = -1;

    static Cli run(String... args) {
        Cli c = new Cli();
        c.code = Weft.run(args, c.io);
        return c;
    }

    String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    Map<String, Object> json() {
        return JsonParser.object(out());
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out:\n" + out() + "--- err:\n" + err();
    }
}
