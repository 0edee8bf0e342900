package dev.weft.interfaces.frstrans;

import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.examples.FrstransExample;
import dev.weft.interfaces.frstrans.Frstrans.Filetime;
import dev.weft.interfaces.frstrans.Frstrans.FrsUpdate;
import dev.weft.interfaces.frstrans.Frstrans.InitializeFileTransferAsyncResult;
import dev.weft.ndr.Pipe;
import dev.weft.ndr.PipeSink;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.server.RpcServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * frstrans RawGetFileDataAsync streams a file through its BYTE_PIPE, client and server in this JVM: 1 GiB with the
 * heap's live set (measured after a GC every 64 MiB) staying under 64 MiB, which fails the moment either side
 * holds the pipe whole; and a smaller pipe signed and sealed with NTLMSSP.
 */
class FrstransPipeTest {
    private static final long GIB = 1L << 30;
    private static final long BOUND = 64L << 20;
    private static final int FIRST = 4096;

    static FrsUpdate update(String name) {
        Filetime zero = new Filetime(0, 0);
        Uuid nil = Uuid.parse("00000000-0000-0000-0000-000000000000");
        return new FrsUpdate(1, 0, 0, zero, zero, zero, nil, new byte[20], new byte[16], nil, 0, nil, 0, nil, 0,
                name, 0);
    }

    /** Checks every byte against the pattern as it arrives, and measures the live heap every 64 MiB. */
    static final class Checker implements PipeSink<byte[]> {
        final Runtime runtime = Runtime.getRuntime();
        long received;
        long maxLive;
        long nextSample = 0;
        int chunks;

        Checker(long start) {
            received = start;
        }

        @Override
        public void push(byte[] chunk) {
            chunks++;
            for (byte b : chunk) {
                if (b != FrstransExample.patternByte(received)) throw new AssertionError("byte " + received + " differs");
                received++;
            }
            if (received >= nextSample) {
                nextSample += 64L << 20;
                System.gc();
                maxLive = Math.max(maxLive, runtime.totalMemory() - runtime.freeMemory());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void oneGibibyteStreamsInBoundedMemory(TransferSyntax syntax) throws IOException {
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]")
                .service(Frstrans.service(FrstransExample.generated(GIB))).build().start();
             RpcClient client = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            var handle = client.bind(Frstrans.INTERFACE_ID);
            assertEquals(syntax, handle.syntax());
            Frstrans.Client frs = Frstrans.client(handle);
            InitializeFileTransferAsyncResult init = frs.initializeFileTransferAsync(Uuid.random(), update("big"), 0,
                    Frstrans.FrsRequestedStagingPolicy.SERVER_DEFAULT, FIRST);
            assertEquals(0, init.result());
            assertEquals(FIRST, init.sizeRead());
            Checker checker = new Checker(FIRST);
            assertEquals(0, frs.rawGetFileDataAsync(init.serverContext(), checker));
            assertEquals(GIB, checker.received);
            assertTrue(checker.chunks > 1, "the pipe arrived in chunks");
            assertTrue(checker.maxLive < BOUND, "live heap reached " + (checker.maxLive >> 20) + " MiB");
            // The connection is still good after 1 GiB: the context closes.
            assertEquals(0, frs.rdcClose(init.serverContext()).result());
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void sealedWithNtlmssp(TransferSyntax syntax) throws Exception {
        long size = 3 * 1024 * 1024 + 17;
        NtlmCredentialSource users = NtlmCredentialSource.ofPasswords(Map.of("alice", "Secret-1"));
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]")
                .authentication(NtlmProvider.server(users))
                .service(Frstrans.service(FrstransExample.generated(size))).build().start();
             RpcClient client = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64).withAuth(new ClientAuth(
                             NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", "Secret-1")),
                             AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, null)))) {
            Frstrans.Client frs = Frstrans.client(client.bind(Frstrans.INTERFACE_ID));
            InitializeFileTransferAsyncResult init = frs.initializeFileTransferAsync(Uuid.random(), update("f"), 0,
                    Frstrans.FrsRequestedStagingPolicy.SERVER_DEFAULT, FIRST);
            // The client reads the pipe on its own thread through a bounded channel, as an iterator would.
            try (Pipe<byte[]> pipe = new Pipe<>(4); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Integer> call = pool.submit(() -> {
                    try {
                        return frs.rawGetFileDataAsync(init.serverContext(), pipe);
                    } finally {
                        pipe.close();
                    }
                });
                Checker checker = new Checker(FIRST);
                for (byte[] chunk; (chunk = pipe.pull()) != null; ) checker.push(chunk);
                assertEquals(0, call.get());
                assertEquals(size, checker.received);
            }
            // Every fragment was sealed in order: the next call on the connection still verifies.
            assertEquals(0, frs.rdcClose(init.serverContext()).result());
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void aFailingSinkCancelsTheCallAndKeepsTheConnection(TransferSyntax syntax) throws IOException {
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]")
                .service(Frstrans.service(FrstransExample.generated(256L << 20))).build().start();
             RpcClient client = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            Frstrans.Client frs = Frstrans.client(client.bind(Frstrans.INTERFACE_ID));
            InitializeFileTransferAsyncResult init = frs.initializeFileTransferAsync(Uuid.random(), update("f"), 0,
                    Frstrans.FrsRequestedStagingPolicy.SERVER_DEFAULT, FIRST);
            PipeSink<byte[]> failing = chunk -> {
                throw new IOException("disk full");
            };
            var e = assertThrows(java.io.UncheckedIOException.class,
                    () -> frs.rawGetFileDataAsync(init.serverContext(), failing));
            assertEquals("disk full", e.getCause().getMessage());
            // The abandoned call was cancelled on the server, whose write lock is free again.
            assertEquals(0, frs.rdcClose(init.serverContext()).result());
            assertThrows(RpcFaultException.class, () -> frs.rawGetFileDataAsync(init.serverContext(), chunk -> { }));
        }
    }
}
