package dev.weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The soak, short: 64 clients for {@code weft.soak.seconds} (default 30) at mixed auth levels, fragmented and
 * pending calls. Every call is answered right and every pending call exactly once; afterwards the server holds no
 * connection or association group and the process no more descriptors or platform threads than a small slack.
 * The recorded 10-minute run: {@code -Dweft.soak.seconds=600} (docs/robustness.md).
 */
class SoakTest {
    @Test
    void sixtyFourClientsAtMixedLevelsLoseNothingAndLeakNothing() throws Exception {
        int seconds = Integer.getInteger("weft.soak.seconds", 30);
        long seed = Long.getLong("weft.soak.seed", System.nanoTime());
        // A lost answer would leave a client waiting for ever: bound the whole run.
        Soak.Report r = assertTimeoutPreemptively(Duration.ofSeconds(2L * seconds + 60),
                () -> Soak.run(Duration.ofSeconds(seconds), 64, seed), "seed " + seed);
        System.out.println("SoakTest: " + r);
        assertEquals(0, r.failures(), r.toString());
        assertTrue(r.calls() > 64, "the clients made calls: " + r);
        assertTrue(r.notifications() >= 64, "every client's pending calls were answered: " + r);
        // Each client's last AsyncNotify is answered by the publisher's final round: started == answered.
        assertEquals(r.pendingStarted(), r.notifications(), "every pending call answered exactly once: " + r);
        assertEquals(0, r.connectionsAfter(), r.toString());
        assertEquals(0, r.groupsAfter(), r.toString());
        assertTrue(r.fdsAfter() <= r.fdsBefore() + 4, "file descriptors: " + r);
        assertTrue(r.threadsAfter() <= r.threadsBefore() + 2, "platform threads: " + r);
        assertTrue(r.heapAfter() <= r.heapBefore() + 32L * 1024 * 1024, "heap after GC: " + r);
    }
}
