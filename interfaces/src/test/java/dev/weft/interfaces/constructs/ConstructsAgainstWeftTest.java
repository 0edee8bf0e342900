package dev.weft.interfaces.constructs;

import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.interfaces.constructs.Constructs.CountResult;
import dev.weft.interfaces.constructs.Constructs.DoublePointerResult;
import dev.weft.interfaces.constructs.Constructs.MixedResult;
import dev.weft.interfaces.constructs.Constructs.SumResult;
import dev.weft.interfaces.constructs.Constructs.Tagged;
import dev.weft.ndr.InOutPipe;
import dev.weft.ndr.PipeSink;
import dev.weft.ndr.PipeSource;
import dev.weft.ndr.Pointer;
import dev.weft.ndr.TransferSyntax;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.server.RpcServer;
import dev.weft.server.ServerCall;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * constructs.idl's generated client and server over loopback TCP, in both transfer syntaxes: [in] pipes of several
 * megabytes spread over many request fragments, two [in] pipes in one call, an [in, out] pipe (its request half read
 * to the end, then its response half written), [in], [in, out] and [out] pipes in one call, a server that pushes
 * before it has read its request, the same sealed with NTLMSSP, and the three forms of a pointer to a pointer.
 */
class ConstructsAgainstWeftTest {
    /** Bounds every wait for an answer, so that a call that never ends fails instead of hanging the build. */
    private static final Duration BOUND = Duration.ofSeconds(120);

    /** What the tests' server does; {@code early} makes Transform push before it pulls. */
    static final class Impl implements Constructs.Server {
        final boolean early;
        /** The length of what Transform's pull returned after its early pushes, -1 for the end of the pipe. */
        final AtomicInteger pulledAfterPush = new AtomicInteger(-2);

        Impl(boolean early) {
            this.early = early;
        }

        @Override
        public SumResult sum(ServerCall call, int seed, PipeSource<int[]> values) throws IOException {
            long total = seed;
            int chunks = 0;
            for (int[] chunk; (chunk = values.pull()) != null; ) {
                chunks++;
                for (int v : chunk) total += v;
            }
            return new SumResult(total, chunks, 0);
        }

        @Override
        public CountResult count(ServerCall call, PipeSource<byte[]> bytes, PipeSource<List<Tagged>> tagged)
                throws IOException {
            long n = 0;
            for (byte[] chunk; (chunk = bytes.pull()) != null; ) n += chunk.length;
            long sum = 0;
            for (List<Tagged> chunk; (chunk = tagged.pull()) != null; ) {
                for (Tagged t : chunk) sum += t.tag() * t.amount();
            }
            return new CountResult(n, sum, 0);
        }

        @Override
        public int transform(ServerCall call, byte key, InOutPipe<byte[]> data) throws IOException {
            if (early) {
                for (int i = 0; i < 64; i++) data.push(new byte[65536]); // 4 MB before the request is read
                byte[] after = data.pull();
                pulledAfterPush.set(after == null ? -1 : after.length);
                return 1;
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] chunk; (chunk = data.pull()) != null; ) all.write(chunk);
            byte[] b = all.toByteArray();
            for (int i = 0; i < b.length; i++) b[i] ^= key;
            for (int off = 0; off < b.length; off += 50_000) {
                data.push(Arrays.copyOfRange(b, off, Math.min(b.length, off + 50_000)));
            }
            return 0;
        }

        @Override
        public MixedResult mixed(ServerCall call, PipeSource<byte[]> first, InOutPipe<int[]> second,
                                 PipeSink<byte[]> third) throws IOException {
            long n = 0;
            for (byte[] chunk; (chunk = first.pull()) != null; ) n += chunk.length;
            List<int[]> got = new ArrayList<>();
            for (int[] chunk; (chunk = second.pull()) != null; ) got.add(chunk);
            for (int i = got.size() - 1; i >= 0; i--) {   // back in reverse chunk order, each value negated
                second.push(Arrays.stream(got.get(i)).map(v -> -v).toArray());
            }
            third.push(new byte[] {(byte) got.size()});
            third.push("third".getBytes());
            return new MixedResult(n, 0);
        }

        @Override
        public DoublePointerResult doublePointer(ServerCall call, Pointer<Integer> value) {
            // Each form comes back as another, so the test sees the server tell all three apart.
            if (value == null) return new DoublePointerResult(Pointer.toNull(), 0);
            if (value.isNull()) return new DoublePointerResult(Pointer.to(-1), 1);
            return new DoublePointerResult(null, 2 + value.target());
        }
    }

    static RpcServer server(Impl impl, boolean sealed) throws IOException {
        RpcServer.Builder b = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(Constructs.service(impl));
        if (sealed) b.authentication(NtlmProvider.server(NtlmCredentialSource.ofPasswords(Map.of("alice", "Secret-1"))));
        return b.build().start();
    }

    static Constructs.Client client(RpcClient c, TransferSyntax syntax) {
        var handle = c.bind(Constructs.INTERFACE_ID).withTimeout(BOUND);
        assertEquals(syntax, handle.syntax());
        return Constructs.client(handle);
    }

    static RpcClient connect(RpcServer server, TransferSyntax syntax, boolean sealed) {
        ClientOptions options = ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64);
        if (sealed) options = options.withAuth(new ClientAuth(NtlmProvider.client(NtlmCredentials.password("WEFT",
                "alice", "Secret-1")), AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, null));
        return RpcClient.connect(server.endpoints().get(0).toBinding().toString(), options);
    }

    /** {@code count} chunks produced one at a time by {@code chunk}, then the end. */
    static <T> PipeSource<T> chunks(int count, java.util.function.IntFunction<T> chunk) {
        int[] next = {0};
        return () -> next[0] < count ? chunk.apply(next[0]++) : null;
    }

    static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + (i >>> 8));
        return b;
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void inPipesArriveWholeInDeclarationOrder(TransferSyntax syntax) throws IOException {
        try (RpcServer server = server(new Impl(false), false); RpcClient c = connect(server, syntax, false)) {
            Constructs.Client constructs = client(c, syntax);
            // 1,000 chunks of 1,000 longs: about 4 MB, hundreds of request fragments.
            SumResult sum = constructs.sum(17, chunks(1000, i -> {
                int[] chunk = new int[1000];
                Arrays.fill(chunk, i);
                return chunk;
            }));
            assertEquals(17 + 1000L * (999L * 1000 / 2), sum.total());
            assertEquals(1000, sum.chunks());
            assertEquals(new SumResult(3, 0, 0), constructs.sum(3, () -> null), "an empty pipe");

            CountResult count = constructs.count(chunks(300, i -> new byte[i]),
                    chunks(40, i -> List.of(new Tagged((short) i, 1_000_000_007L), new Tagged((short) 1, -i))));
            assertEquals(299L * 300 / 2, count.byteCount());
            long expected = 0;
            for (int i = 0; i < 40; i++) expected += i * 1_000_000_007L - i;
            assertEquals(expected, count.taggedSum());
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void inOutPipeGoesOutWholeAndComesBack(TransferSyntax syntax) throws IOException {
        try (RpcServer server = server(new Impl(false), false); RpcClient c = connect(server, syntax, false)) {
            transformRoundTrip(client(c, syntax), 3 * 1024 * 1024 + 5);
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void inOutPipeSealedWithNtlmssp(TransferSyntax syntax) throws IOException {
        try (RpcServer server = server(new Impl(false), true); RpcClient c = connect(server, syntax, true)) {
            transformRoundTrip(client(c, syntax), 300_001);
        }
    }

    static void transformRoundTrip(Constructs.Client constructs, int size) {
        byte[] sent = pattern(size);
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        int chunk = 7000;
        int status = constructs.transform((byte) 0x5a, InOutPipe.of(
                chunks((size + chunk - 1) / chunk, i -> Arrays.copyOfRange(sent, i * chunk, Math.min(size, (i + 1) * chunk))),
                back::writeBytes));
        assertEquals(0, status);
        byte[] expected = sent.clone();
        for (int i = 0; i < expected.length; i++) expected[i] ^= 0x5a;
        assertArrayEquals(expected, back.toByteArray());
    }

    /**
     * A server that pushes 4 MB into its [in, out] pipe before reading it, while the client sends 8 MB: the first push
     * reads and drops the rest of the request (C706's order: the response follows the whole request; answering
     * while a request streams in could leave both sides waiting once the buffers fill), and the pipe has nothing left
     * to pull. Without the drain the pull returns the client's next chunk.
     */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void aPushBeforeTheRequestIsReadDrainsIt(TransferSyntax syntax) throws IOException {
        Impl early = new Impl(true);
        try (RpcServer server = server(early, false); RpcClient c = connect(server, syntax, false)) {
            long[] back = {0};
            int status = client(c, syntax).transform((byte) 9, InOutPipe.of(chunks(128, i -> new byte[65536]),
                    chunk -> back[0] += chunk.length));
            assertEquals(1, status);
            assertEquals(64 * 65536, back[0]);
            assertEquals(-1, early.pulledAfterPush.get(), "the request's pipe was drained by the first push");
            // The connection is in step: the next call on it works.
            assertEquals(new SumResult(5, 1, 0), client(c, syntax).sum(4, chunks(1, i -> new int[] {1})));
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void inInOutAndOutPipesInOneCall(TransferSyntax syntax) throws IOException {
        try (RpcServer server = server(new Impl(false), false); RpcClient c = connect(server, syntax, false)) {
            List<int[]> second = new ArrayList<>();
            ByteArrayOutputStream third = new ByteArrayOutputStream();
            MixedResult r = client(c, syntax).mixed(chunks(50, i -> new byte[1000]),
                    InOutPipe.of(chunks(3, i -> new int[] {i, i + 10}), second::add), third::writeBytes);
            assertEquals(new MixedResult(50_000, 0), r);
            assertEquals(3, second.size());
            assertArrayEquals(new int[] {-2, -12}, second.get(0));
            assertArrayEquals(new int[] {-1, -11}, second.get(1));
            assertArrayEquals(new int[] {0, -10}, second.get(2));
            assertArrayEquals("\u0003third".getBytes(), third.toByteArray());
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void pointerToPointerRoundTripsInItsThreeForms(TransferSyntax syntax) throws IOException {
        try (RpcServer server = server(new Impl(false), false); RpcClient c = connect(server, syntax, false)) {
            Constructs.Client constructs = client(c, syntax);
            assertEquals(new DoublePointerResult(Pointer.toNull(), 0), constructs.doublePointer(null));
            assertEquals(new DoublePointerResult(Pointer.to(-1), 1), constructs.doublePointer(Pointer.toNull()));
            assertEquals(new DoublePointerResult(null, 42), constructs.doublePointer(Pointer.to(40)));
        }
    }
}
