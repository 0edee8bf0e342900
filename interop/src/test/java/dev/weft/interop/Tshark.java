package dev.weft.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tshark capture on the loopback interface, filtered to one TCP port, and the checks run on it afterwards:
 * Wireshark's DCE/RPC dissector is an implementation Weft did not write, so "nothing malformed, no warnings"
 * is an independent check of the bytes on the wire.
 */
final class Tshark implements AutoCloseable {
    private final Process process;
    private final Path file;
    private final int port;

    private Tshark(Process process, Path file, int port) {
        this.process = process;
        this.file = file;
        this.port = port;
    }

    /** Starts capturing TCP traffic to and from {@code port} on {@code lo}; returns once tshark is capturing. */
    static Tshark capture(int port) throws IOException, InterruptedException {
        return capture("tcp port " + port, port);
    }

    /**
     * Starts capturing what {@code captureFilter} selects on {@code lo}; {@code port} is a listening TCP port the
     * filter covers (knocked on to see the capture live) and is decoded as DCE/RPC.
     */
    static Tshark capture(String captureFilter, int port) throws IOException, InterruptedException {
        Path file = Files.createTempFile("weft-", ".pcapng");
        Files.delete(file); // tshark creates it
        Process p = new ProcessBuilder("tshark", "-i", "lo", "-f", captureFilter, "-w", file.toString())
                .redirectErrorStream(true).start();
        // tshark prints "Capturing on 'Loopback: lo'" once the capture runs.
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = reader.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains("Capturing on")) break;
        }
        if (line == null) throw new IllegalStateException("tshark did not start capturing:\n" + seen);
        Thread.ofVirtual().start(() -> {
            try {
                p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // tshark ended
            }
        });
        // "Capturing on" can come before dumpcap really sees packets, and a busy machine widens the gap: knock on
        // the port (the server under test listens there) until the knocks show up in the file.
        long header = -1;
        for (int i = 0; i < 100; i++) {
            long size = Files.exists(file) ? Files.size(file) : 0;
            if (header < 0 && size > 0) header = size;
            if (header > 0 && size > header) return new Tshark(p, file, port);
            try (var knock = new java.net.Socket()) {
                knock.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            } catch (IOException ignored) {
                // a refused connection is a packet too
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("tshark captured nothing on port " + port + " within 10 s:\n" + seen);
    }

    /**
     * Stops the capture (after a moment for the last packets) and returns what tshark decodes with {@code filter};
     * {@code options} are tshark preferences ({@code -o name:value}), e.g. a password to decrypt NTLMSSP.
     */
    List<String> stopAndRead(String filter, String... options) throws IOException, InterruptedException {
        if (process.isAlive()) {
            // Let the last segments reach the file before stopping: on a loaded machine dumpcap writes late, so
            // wait until the file has grown past its header and stopped growing (bounded: 10 s).
            long last = -1;
            for (int i = 0; i < 50; i++) {
                Thread.sleep(200);
                long size = Files.exists(file) ? Files.size(file) : 0;
                if (size > 1024 && size == last) break;
                last = size;
            }
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
        List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-d", "tcp.port==" + port + ",dcerpc"));
        for (String o : options) command.addAll(List.of("-o", o));
        command.addAll(List.of("-Y", filter));
        Process read = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>(read.inputReader(StandardCharsets.UTF_8).lines().toList());
        if (!read.waitFor(60, TimeUnit.SECONDS)) read.destroyForcibly();
        // An invalid filter prints nothing and exits non-zero: never let that pass as "no problems found".
        if (read.exitValue() != 0) throw new IllegalStateException("tshark -Y '" + filter + "' exited " + read.exitValue());
        return lines;
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(file);
    }
}
