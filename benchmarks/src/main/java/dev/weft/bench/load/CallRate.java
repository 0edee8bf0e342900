package dev.weft.bench.load;

import dev.weft.client.BindingHandle;
import dev.weft.client.RpcClient;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;


/**
 * The call-rate harness: one connection, sequential calls, side by side in one run on loopback.
 *
 * <ol>
 *   <li>the limit: a raw 64-byte TCP ping-pong between two platform threads;</li>
 *   <li>Weft's client → Weft's server, mgmt inq_if_ids, no auth;</li>
 *   <li>Weft's client → Samba's server (127.0.0.1:135), mgmt inq_if_ids;</li>
 *   <li>Samba's C client (its Python bindings) → Samba's server;</li>
 *   <li>Samba's C client → Weft's server.</li>
 * </ol>
 * Prints calls/s, p50 and p99 for each and the ratios the issues set goals for. Not a test: figures on a shared
 * 2-core machine are noisy, so compare within one run.
 *
 * <p>Usage: {@code CallRate [seconds per shape, default 10] [samba host, default 127.0.0.1]}
 */
public final class CallRate {
    static final SyntaxId MGMT = new SyntaxId(Uuid.parse("afa8bd80-7d8a-11c9-bef4-08002b102989"), 1, 0);

    record Result(String name, long calls, double seconds, double p50us, double p99us) {
        double rate() {
            return calls / seconds;
        }

        @Override
        public String toString() {
            return String.format("%-46s %10.0f calls/s   p50 %7.1f us   p99 %7.1f us   (%d calls)",
                    name, rate(), p50us, p99us, calls);
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        String sambaHost = args.length > 1 ? args[1] : "127.0.0.1";
        Result raw = rawPingPong(seconds);
        System.out.println(raw);
        try (RpcServer weft = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").build().start()) {
            String weftBinding = "ncacn_ip_tcp:127.0.0.1[" + weft.endpoints().get(0).port() + "]";
            Result ww = weftClient("Weft client -> Weft server (mgmt inq_if_ids)", weftBinding, seconds);
            System.out.println(ww);
            Result ws = weftClient("Weft client -> Samba server (mgmt inq_if_ids)",
                    "ncacn_ip_tcp:" + sambaHost + "[135]", seconds);
            System.out.println(ws);
            Result ss = sambaClient("Samba client -> Samba server (mgmt inq_if_ids)",
                    "ncacn_ip_tcp:" + sambaHost + "[135]", seconds);
            System.out.println(ss);
            Result sw = sambaClient("Samba client -> Weft server (mgmt inq_if_ids)", weftBinding, seconds);
            System.out.println(sw);
            System.out.println();
            System.out.printf("Weft server / Samba server, Samba's client:  %.2fx (goal >= 1.5)%n", sw.rate() / ss.rate());
            System.out.printf("Weft client / Samba client, Samba's server:  %.2fx (goal >= 1.0)%n", ws.rate() / ss.rate());
            System.out.printf("Weft->Weft / raw ping-pong:                  %.0f%% (goal >= 60%%)%n", 100 * ww.rate() / raw.rate());
        }
    }

    static Result weftClient(String name, String binding, double seconds) {
        try (RpcClient client = RpcClient.connect(binding)) {
            BindingHandle mgmt = client.bind(MGMT);
            for (int i = 0; i < 20_000; i++) inqIfIds(mgmt); // warm-up: let the JIT compile the path
            long[] lat = new long[16 * 1024 * 1024];
            int n = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long t1;
            do {
                long t0 = System.nanoTime();
                inqIfIds(mgmt);
                t1 = System.nanoTime();
                if (n < lat.length) lat[n++] = t1 - t0;
            } while (t1 < end);
            return summarize(name, lat, n, (t1 - start) / 1e9);
        }
    }

    static int inqIfIds(BindingHandle mgmt) {
        NdrReader r = mgmt.call(0, mgmt.newRequest());
        int count = 0;
        if (r.readUniquePointer()) {
            r.readConformance();
            count = r.readInt32();
        }
        return count;
    }

    static Result sambaClient(String name, String binding, double seconds) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("weft.bench.python", "benchmarks/src/main/python/samba_mgmt_rate.py"));
        if (!Files.exists(script)) throw new IOException("no " + script + " (run from the repository root)");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), binding, String.valueOf(seconds))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) throw new IOException("samba client failed: " + out);
        String[] f = out.lines().reduce((a, b) -> b).orElse("").trim().split("\\s+");
        return new Result(name, Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]));
    }

    /** The limit: 64 bytes each way between two platform threads over loopback TCP. */
    static Result rawPingPong(double seconds) throws IOException, InterruptedException {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread echo = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = ss.accept()) {
                    s.setTcpNoDelay(true);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] b = new byte[64];
                    while (in.readNBytes(b, 0, 64) == 64) out.write(b);
                } catch (IOException ignored) {
                    // the client hung up
                }
            });
            try (Socket c = new Socket("127.0.0.1", ss.getLocalPort())) {
                c.setTcpNoDelay(true);
                InputStream in = c.getInputStream();
                OutputStream out = c.getOutputStream();
                byte[] b = new byte[64];
                for (int i = 0; i < 20_000; i++) {
                    out.write(b);
                    in.readNBytes(b, 0, 64);
                }
                long[] lat = new long[16 * 1024 * 1024];
                int n = 0;
                long start = System.nanoTime();
                long end = start + (long) (seconds * 1e9);
                long t1;
                do {
                    long t0 = System.nanoTime();
                    out.write(b);
                    in.readNBytes(b, 0, 64);
                    t1 = System.nanoTime();
                    if (n < lat.length) lat[n++] = t1 - t0;
                } while (t1 < end);
                Result r = summarize("raw 64-byte TCP ping-pong (platform threads)", lat, n, (t1 - start) / 1e9);
                c.close();
                echo.join(5000);
                return r;
            }
        }
    }

    static Result summarize(String name, long[] lat, int n, double seconds) {
        long[] sorted = Arrays.copyOf(lat, n);
        Arrays.sort(sorted);
        return new Result(name, n, seconds, sorted[n / 2] / 1e3, sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e3);
    }

    private CallRate() {
    }

}
