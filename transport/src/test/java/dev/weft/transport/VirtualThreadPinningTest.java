package dev.weft.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accepting, connecting, reading, writing and closing on virtual threads never pins a carrier
 * ({@code jdk.VirtualThreadPinned}). Meaningful on JDK 21-23, where monitors pin; on 24+ it still guards native
 * frames and anything else that pins.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadPinningTest {

    @Test
    void transportsDoNotPinVirtualThreads(@TempDir Path dir) throws Exception {
        // Warm up first: the first use of a class loads it under the class loader's lock, which pins once per class
        // (JDK behaviour, not ours). The recording is about the steady state.
        exercise(Transports.tcp(), Endpoint.tcp("127.0.0.1", 0));
        exercise(Transports.ncalrpc(dir), Endpoint.ncalrpc("warm-up"));
        List<String> pinned = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            exercise(Transports.tcp(), Endpoint.tcp("127.0.0.1", 0));
            exercise(Transports.ncalrpc(dir), Endpoint.ncalrpc("pinning"));
            recording.stop();
            Path file = dir.resolve("pinning.jfr");
            recording.dump(file);
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                    pinned.add(e.toString());
                }
            }
        }
        assertEquals(List.of(), pinned, "virtual threads pinned");
    }

    private static void exercise(Transport transport, Endpoint where) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             Listener listener = transport.listen(where)) {
            Future<?> server = threads.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    Connection c = listener.accept();
                    threads.submit(() -> {
                        try (c) {
                            c.output().write(c.input().readNBytes(64 * 1024));
                        }
                        return null;
                    });
                }
                return null;
            });
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                clients.add(threads.submit(() -> {
                    try (Connection c = transport.connect(listener.endpoint(), Duration.ofSeconds(30))) {
                        byte[] data = new byte[64 * 1024];
                        data[7] = 7;
                        c.output().write(data);
                        assertArrayEquals(data, c.input().readNBytes(data.length));
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
            server.get(60, TimeUnit.SECONDS);
        }
    }
}
