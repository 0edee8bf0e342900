package dev.weft.server;

import java.util.concurrent.atomic.LongAdder;

/** The counters mgmt's inq_stats reports (C706: calls in, calls out, packets in, packets out). */
final class ServerStatistics {
    final LongAdder callsIn = new LongAdder();
    final LongAdder callsOut = new LongAdder();
    final LongAdder packetsIn = new LongAdder();
    final LongAdder packetsOut = new LongAdder();

    long[] snapshot() {
        return new long[] {callsIn.sum(), callsOut.sum(), packetsIn.sum(), packetsOut.sum()};
    }
}
