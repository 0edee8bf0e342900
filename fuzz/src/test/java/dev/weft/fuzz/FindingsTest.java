package dev.weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Replays every kept finding: a fixed one ({@code findings/fixed}) must pass now; an open one
 * ({@code findings/open}) is replayed and reported, and does not fail the build (its bug is in another module).
 */
class FindingsTest {

    @Test
    void fixedFindingsStayFixed() throws Exception {
        for (KnownFindings.Kept k : KnownFindings.load("fixed")) {
            try (Target t = Targets.create(k.target())) {
                t.seeds(new Random(0));
                Replay.Result r = Replay.run(t, k.input());
                assertTrue(r.ok(), k.file().getFileName() + " fails again: " + r);
            }
        }
    }

    @Test
    void openFindingsAreReported() throws Exception {
        for (KnownFindings.Kept k : KnownFindings.load("open")) {
            try (Target t = Targets.create(k.target())) {
                t.seeds(new Random(0));
                Replay.Result r = Replay.run(t, k.input());
                System.out.println("[findings] open " + k.file().getFileName() + ": "
                        + (r.ok() ? "PASSES NOW: move it to findings/fixed" : "still fails: " + r.failure()));
            }
        }
    }

    @Test
    void theFindingsFormatRoundTrips() {
        Finding f = new Finding("pdu", "untyped", "a message\nover two lines", new byte[] {0, 1, (byte) 0xFE},
                "java.lang.RuntimeException: x\n\tat a.b(C.java:1)\n");
        String text = Fuzz.format(f);
        assertTrue(java.util.Arrays.equals(f.input(), Fuzz.parse(text)));
        assertTrue(Fuzz.targetOf(text).equals("pdu"));
    }
}
