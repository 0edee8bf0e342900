package dev.weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.pdu.Framer;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.ProtocolException;
import dev.weft.pdu.Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What a framer that reads up to the protocol's 65535 bytes (the server's, so that it can answer an over-long
 * fragment with a fault naming its call) allocates for a header claiming 65535 bytes followed by a few: about what
 * arrived, not 64 KiB (10,000 such connections would otherwise hold 655 MB until their partial-PDU timeout). Here
 * because ThreadMXBean's allocation counter needs the class path (module pdu does not read jdk.management).
 */
class FramerAllocationTest {
    @Test
    void aLongFragmentsBufferGrowsWithItsBytes() throws Exception {
        byte[] header = PduCodec.encode(Request.of(7, 0, 0, new byte[65535 - 24]));
        byte[] stalled = Arrays.copyOf(header, 116);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[1];
        Thread t = Thread.ofPlatform().start(() -> {
            for (int i = 0; i <= 200; i++) {   // warm up: the last round is measured
                long before = threads.getCurrentThreadAllocatedBytes();
                try {
                    new Framer(new ByteArrayInputStream(stalled), PduCodec.MAX_FRAGMENT).readFragment();
                    throw new AssertionError("a stalled fragment framed");
                } catch (ProtocolException e) {
                    allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        });
        t.join();
        assertTrue(allocated[0] > 0 && allocated[0] < 16 * 1024, "allocated " + allocated[0] + " bytes for 116 received");
    }
}
