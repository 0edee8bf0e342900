package dev.weft.bench.load;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.StreamingCall;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.PipeEncoder;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.server.RpcServer;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

/**
 * [out] pipe throughput over loopback, next to a raw TCP stream of the same bytes: a server streams N MiB in 64 KiB
 * chunks, a client in the same JVM reads them. Shapes: raw TCP (the limit), Weft NDR, Weft NDR64, Weft NDR with
 * NTLMSSP at PKT_PRIVACY. Run it with a small heap ({@code -Xmx64m}) to see that a pipe is never held whole.
 *
 * <p>Usage: {@code PipeThroughput [MiB per shape, default 1024]}
 */
public final class PipeThroughput {
    static final SyntaxId IFACE = new SyntaxId(Uuid.parse("0d7c3a52-6f0e-4b8e-9a53-2b8f7b1c4e21"), 1, 0);
    static final int CHUNK = 64 * 1024;

    /** Opnum 0: {@code [in] hyper size, [out] pipe byte data}. */
    static final class Source implements RpcService {
        @Override
        public SyntaxId interfaceId() {
            return IFACE;
        }

        @Override
        public int operationCount() {
            return 1;
        }

        @Override
        public boolean streams(int opnum) {
            return true;
        }

        @Override
        public void invoke(int opnum, ServerCall call) throws Exception {
            long size = call.in().readInt64();
            NdrWriter w = call.out();
            PipeEncoder<byte[]> pipe = new PipeEncoder<>(w, null, c -> c.length, w::writeBytes);
            byte[] chunk = new byte[CHUNK];
            for (long sent = 0; sent < size; sent += CHUNK) pipe.push(chunk);
            pipe.end();
        }
    }

    public static void main(String[] args) throws Exception {
        long size = (args.length > 0 ? Long.parseLong(args[0]) : 1024) << 20;
        System.out.printf("[out] pipe of %d MiB over loopback, max heap %d MiB%n", size >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        report("raw TCP stream", size, raw(size));
        NtlmCredentialSource users = NtlmCredentialSource.ofPasswords(Map.of("alice", "Secret-1"));
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(new Source())
                .authentication(NtlmProvider.server(users)).build().start()) {
            String binding = server.endpoints().get(0).toBinding().toString();
            report("Weft pipe, NDR", size, weft(binding, ClientOptions.DEFAULT.withPreferNdr64(false), size));
            report("Weft pipe, NDR64", size, weft(binding, ClientOptions.DEFAULT.withPreferNdr64(true), size));
            ClientAuth sealed = new ClientAuth(NtlmProvider.client(NtlmCredentials.password("WEFT", "alice",
                    "Secret-1")), 6, null);
            report("Weft pipe, NDR, NTLMSSP sealed", size,
                    weft(binding, ClientOptions.DEFAULT.withPreferNdr64(false).withAuth(sealed), size));
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.out.printf("heap used after the runs: %d MiB (max %d MiB)%n", (rt.totalMemory() - rt.freeMemory()) >> 20,
                rt.maxMemory() >> 20);
    }

    static void report(String name, long size, double seconds) {
        System.out.printf("%-32s %8.0f MB/s  (%.2f s)%n", name, size / 1e6 / seconds, seconds);
    }

    static double weft(String binding, ClientOptions options, long size) {
        try (RpcClient client = RpcClient.connect(binding, options)) {
            BindingHandle h = client.bind(IFACE);
            long start = System.nanoTime();
            long received = 0;
            try (StreamingCall call = h.open(0)) {
                call.request().writeInt64(size);
                NdrReader r = call.response();
                byte[] buf = new byte[CHUNK];
                for (int n = r.beginPipeChunk(); n != 0; n = r.beginPipeChunk()) {
                    for (int left = n; left > 0; ) {
                        int k = Math.min(left, buf.length);
                        r.readBytes(buf, 0, k);
                        left -= k;
                    }
                    received += n;
                    r.endPipeChunk(n);
                }
                r.endPipeChunk(0);
            }
            if (received != size) throw new IllegalStateException("received " + received + " of " + size);
            return (System.nanoTime() - start) / 1e9;
        }
    }

    static double raw(long size) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sender = Thread.ofPlatform().start(() -> {
                try (Socket s = ss.accept(); OutputStream out = s.getOutputStream()) {
                    byte[] chunk = new byte[CHUNK];
                    for (long sent = 0; sent < size; sent += CHUNK) out.write(chunk);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
                 InputStream in = s.getInputStream()) {
                long start = System.nanoTime();
                byte[] buf = new byte[CHUNK];
                long got = 0;
                for (int n; (n = in.read(buf)) > 0; ) got += n;
                if (got != size) throw new IllegalStateException("received " + got + " of " + size);
                double seconds = (System.nanoTime() - start) / 1e9;
                sender.join();
                return seconds;
            }
        }
    }
}
