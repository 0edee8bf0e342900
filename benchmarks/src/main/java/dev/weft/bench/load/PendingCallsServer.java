package dev.weft.bench.load;

import dev.weft.interfaces.examples.WitnessExample;
import dev.weft.interfaces.examples.WitnessExample.ChangeType;
import dev.weft.interfaces.witness.Witness;
import dev.weft.server.RpcServer;
import dev.weft.server.ServerLimits;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The server process of {@link PendingCalls}: a Weft server with the witness example, driven by commands on
 * standard input ({@code pending}, {@code publish NAME}, {@code stats}, {@code quit}), one answer line each.
 */
public final class PendingCallsServer {
    public static void main(String[] args) throws Exception {
        WitnessExample witness = new WitnessExample(List.of(WitnessExample.ipv4Interface("bench", new byte[] {127, 0, 0, 1})));
        ServerLimits limits = ServerLimits.DEFAULT.withMaxConnections(Integer.parseInt(args.length > 0 ? args[0] : "10000"));
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").limits(limits)
                .service(Witness.service(witness)).build().start()) {
            System.out.println(server.endpoints().get(0).toBinding());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.trim().split("\\s+");
                switch (w[0]) {
                    case "pending" -> System.out.println(witness.pendingCalls());
                    case "publish" -> System.out.println(witness.publish(w[1], ChangeType.UNAVAILABLE));
                    case "stats" -> {
                        System.gc();
                        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                        System.out.println(rssBytes() + " " + heap + " " + Thread.activeCount());
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> System.out.println("?");
                }
                System.out.flush();
            }
        }
    }

    /** Resident set size from /proc (Linux). */
    static long rssBytes() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
        }
        return -1;
    }
}
