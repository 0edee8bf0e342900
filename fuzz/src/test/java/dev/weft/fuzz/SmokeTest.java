package dev.weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The short version of every fuzz target that CI runs: a few thousand executions with a fixed seed, then as many
 * with a random seed (printed on failure; replay with {@code tools/fuzz.sh TARGET --seed S --execs N}). Fails on any
 * finding except the open ones kept under {@code findings/open}, which it prints. Slow inputs (the watchdog's
 * reports) are printed, not failed on: this machine is shared and a slow execution is not a property violation; an
 * execution that never ends is (after 60 s the run is abandoned with a {@code hang} finding).
 */
class SmokeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pdu, 20000", "reassembly, 20000", "stubs, 10000", "ntlm, 5000", "spnego, 3000", "krb, 3000", "server, 1500"})
    void smoke(String name, int executions) throws Exception {
        List<KnownFindings.Kept> open = KnownFindings.load("open");
        for (long seed : new long[] {20_240_601L, new Random().nextLong()}) {
            Engine.Report report;
            try (Target t = Targets.create(name)) {
                Engine.Options o = Engine.Options.of(seed, executions, Duration.ofMinutes(5)).withWarmUp(executions / 5)
                        .withHang(2_000, 60_000);
                report = new Engine(t, o).run();
                if (t instanceof StubTarget s) assertEquals(List.of(), s.unseeded(), "operations without a seed");
            }
            System.out.println("[smoke] " + report.summary());
            report.slow().forEach(f -> System.out.println("[smoke] slow input (reported, not failed on): " + f));
            StringBuilder failures = new StringBuilder();
            for (Finding f : report.findings()) {
                if (KnownFindings.isOpen(f, open)) {
                    System.out.println("[smoke] known open finding (findings/open): " + f.message());
                } else {
                    failures.append(f).append('\n');
                }
            }
            if (!failures.isEmpty()) {
                fail(name + " with seed " + seed + " (replay: tools/fuzz.sh " + name + " --seed " + seed + " --execs "
                        + executions + "):\n" + failures);
            }
            assertEquals(executions, report.executions(), "the run reached its execution count");
            assertTrue(report.accepted() > 0 && report.rejected() + report.findingCount() > 0 || name.equals("server"),
                    "the mutations reach both accepting and rejecting paths: " + report.summary());
            assertTrue(report.corpus() > report.seeds(), "new behaviour grew the corpus: " + report.summary());
        }
    }
}
