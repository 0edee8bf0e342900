package dev.weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Replays every kept finding: a fixed one ({@code findings/fixed}) must pass now; an open one
 * ({@code findings/open}) is replayed and reported, and does not fail the build (its bug is in another module).
 */
class FindingsTest {

    @Test
    void fixedFindingsStayFixed() throws Exception {
        for (Map.Entry<String, List<KnownFindings.Kept>> e : byTarget("fixed").entrySet()) {
            try (Target t = Targets.create(e.getKey())) { // one target per name: building the stubs seeds takes seconds
                t.seeds(new Random(0));
                for (KnownFindings.Kept k : e.getValue()) {
                    Replay.Result r = Replay.run(t, k.input());
                    System.out.println("[findings] fixed " + k.file().getFileName() + ": " + r);
                    assertTrue(r.ok(), k.file().getFileName() + " fails again: " + r);
                }
            }
        }
    }

    @Test
    void openFindingsAreReported() throws Exception {
        for (Map.Entry<String, List<KnownFindings.Kept>> e : byTarget("open").entrySet()) {
            try (Target t = Targets.create(e.getKey())) {
                t.seeds(new Random(0));
                for (KnownFindings.Kept k : e.getValue()) {
                    Replay.Result r = Replay.run(t, k.input());
                    System.out.println("[findings] open " + k.file().getFileName() + ": "
                            + (r.ok() ? "PASSES NOW: move it to findings/fixed" : "still fails: " + r.failure()));
                }
            }
        }
    }

    private static Map<String, List<KnownFindings.Kept>> byTarget(String dir) throws Exception {
        Map<String, List<KnownFindings.Kept>> m = new TreeMap<>();
        for (KnownFindings.Kept k : KnownFindings.load(dir)) m.computeIfAbsent(k.target(), x -> new ArrayList<>()).add(k);
        return m;
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
