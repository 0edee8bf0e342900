package dev.weft.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.pdu.FaultStatus;
import dev.weft.server.RpcServer;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client runtime against Weft's own server over real TCP connections. */
class RpcClientTest {
    static final SyntaxId ID = new SyntaxId(Uuid.parse("5eb1a0e7-0000-4e57-8000-0000000000ac"), 1, 0);
    static final int ECHO = 0, PEND = 1, OPEN = 2, GET = 3;

    /** 0 echo bytes; 1 pend until interrupted; 2 open a context handle on a value; 3 read it back. */
    static final class Service implements RpcService {
        final CountDownLatch pending = new CountDownLatch(1);
        final List<String> cancelled = new CopyOnWriteArrayList<>();

        public SyntaxId interfaceId() {
            return ID;
        }

        public int operationCount() {
            return 4;
        }

        public void invoke(int opnum, ServerCall call) throws InterruptedException {
            switch (opnum) {
                case ECHO -> {
                    byte[] data = call.in().readBytes(call.in().readConformance());
                    call.out().writeConformance(data.length).writeBytes(data);
                }
                case PEND -> {
                    pending.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        cancelled.add(call.syntax().name());
                        throw e;
                    }
                }
                case OPEN -> call.out().writeContextHandle(call.openContextHandle(call.in().readInt32()));
                case GET -> call.out().writeInt32(call.contextHandle(call.in().readContextHandle(), Integer.class));
                default -> throw new IllegalStateException();
            }
        }
    }

    Service service;
    RpcServer server;
    String binding;

    @BeforeEach
    void start() throws IOException {
        service = new Service();
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(service).build().start();
        binding = server.endpoints().get(0).toBinding().toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static byte[] echo(BindingHandle h, byte[] data) {
        NdrReader r = h.call(ECHO, h.newRequest().writeConformance(data.length).writeBytes(data));
        byte[] back = r.readBytes(r.readConformance());
        r.expectEnd();
        return back;
    }

    @Test
    void negotiatesNdr64WithWeftAndNdrWhenAsked() {
        try (RpcClient c = RpcClient.connect(binding)) {
            BindingHandle h = c.bind(ID);
            assertEquals(TransferSyntax.NDR64, h.syntax());
            assertArrayEquals(new byte[] {1, 2, 3}, echo(h, new byte[] {1, 2, 3}));
            assertTrue(c.concurrentMultiplexing());
            assertEquals(BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING | BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN,
                    c.negotiatedFeatures());
            assertNotEquals(0, c.associationGroupId());
        }
        try (RpcClient c = RpcClient.connect(binding, ClientOptions.DEFAULT.withPreferNdr64(false))) {
            BindingHandle h = c.bind(ID);
            assertEquals(TransferSyntax.NDR20, h.syntax());
            assertArrayEquals(new byte[] {4, 5}, echo(h, new byte[] {4, 5}));
        }
    }

    @Test
    void fragmentedRequestsAndResponses() {
        try (RpcClient c = RpcClient.connect(binding, ClientOptions.DEFAULT.withMaxFragment(2048))) {
            byte[] data = new byte[300_000];
            new Random(11).nextBytes(data);
            assertArrayEquals(data, echo(c.bind(ID), data));
        }
    }

    @Test
    void hundredThreadsShareOneConnection() throws Exception {
        try (RpcClient c = RpcClient.connect(binding);
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            BindingHandle h = c.bind(ID);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 100; t++) {
                int seed = t;
                results.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 20; i++) {
                        byte[] data = new byte[random.nextInt(9000)];
                        random.nextBytes(data);
                        assertArrayEquals(data, echo(h, data));
                    }
                    return seed;
                }));
            }
            for (int t = 0; t < 100; t++) assertEquals(t, results.get(t).get(60, TimeUnit.SECONDS));
            assertEquals(1, server.connectionCount(), "all of it on one connection");
        }
    }

    @Test
    void faultsBecomeTypedExceptions() {
        try (RpcClient c = RpcClient.connect(binding)) {
            BindingHandle h = c.bind(ID);
            RpcFaultException f = assertThrows(RpcFaultException.class, () -> h.call(9, h.newRequest()));
            assertEquals(FaultStatus.NCA_S_OP_RNG_ERROR.code(), f.status());
            assertEquals("NCA_S_OP_RNG_ERROR", f.statusName());
            RpcFaultException bad = assertThrows(RpcFaultException.class,
                    () -> h.call(ECHO, h.newRequest().writeConformance(1000)));
            assertEquals(0x6F7, bad.status());
            assertArrayEquals(new byte[] {7}, echo(h, new byte[] {7}), "the connection survives faults");
        }
    }

    @Test
    void unknownInterfaceIsRefusedButTheConnectionStays() {
        try (RpcClient c = RpcClient.connect(binding)) {
            BindingHandle h = c.bind(ID);
            SyntaxId unknown = new SyntaxId(Uuid.parse("11111111-2222-3333-4444-555555555555"), 1, 0);
            RpcBindException e = assertThrows(RpcBindException.class, () -> c.bind(unknown));
            assertEquals(1, e.reason(), "abstract_syntax_not_supported");
            assertArrayEquals(new byte[] {8}, echo(h, new byte[] {8}));
        }
    }

    @Test
    void contextHandlesWorkAcrossConnectionsOfOneAssociationGroup() {
        try (RpcClient a = RpcClient.connect(binding)) {
            BindingHandle ha = a.bind(ID);
            ContextHandle handle = ha.call(OPEN, ha.newRequest().writeInt32(4242)).readContextHandle();
            try (RpcClient b = RpcClient.connect(binding, ClientOptions.DEFAULT.withAssociationGroup(a.associationGroupId()))) {
                BindingHandle hb = b.bind(ID);
                assertEquals(a.associationGroupId(), b.associationGroupId());
                assertEquals(4242, hb.call(GET, hb.newRequest().writeContextHandle(handle)).readInt32());
            }
            try (RpcClient other = RpcClient.connect(binding)) {
                BindingHandle ho = other.bind(ID);
                RpcFaultException f = assertThrows(RpcFaultException.class,
                        () -> ho.call(GET, ho.newRequest().writeContextHandle(handle)));
                assertEquals(FaultStatus.NCA_S_FAULT_CONTEXT_MISMATCH.code(), f.status());
            }
        }
    }

    @Test
    void interruptingACallerCancelsItsPendingCallAndKeepsTheConnection() throws Exception {
        try (RpcClient c = RpcClient.connect(binding)) {
            BindingHandle h = c.bind(ID);
            Thread caller = Thread.ofVirtual().start(() -> {
                RpcTransportException e = assertThrows(RpcTransportException.class, () -> h.call(PEND, h.newRequest()));
                assertTrue(e.getMessage().contains("interrupted"));
            });
            assertTrue(service.pending.await(10, TimeUnit.SECONDS));
            caller.interrupt();
            caller.join(10_000);
            assertTrue(!caller.isAlive());
            for (int i = 0; i < 500 && service.cancelled.isEmpty(); i++) Thread.sleep(10);
            assertEquals(List.of("NDR64"), service.cancelled, "the server abandoned the call (orphaned)");
            assertArrayEquals(new byte[] {9}, echo(h, new byte[] {9}));
        }
    }

    @Test
    void aCallWithNoAnswerInTimeIsCancelledAndTheConnectionStays() throws Exception {
        try (RpcClient c = RpcClient.connect(binding, ClientOptions.DEFAULT.withCallTimeout(Duration.ofSeconds(30)))) {
            BindingHandle h = c.bind(ID);
            assertEquals(Duration.ofSeconds(30), h.timeout(), "the options' timeout is the handle's");
            BindingHandle impatient = h.withTimeout(Duration.ofMillis(200));
            RpcTimeoutException e = assertThrows(RpcTimeoutException.class, () -> impatient.call(PEND, impatient.newRequest()));
            assertEquals(Duration.ofMillis(200), e.timeout());
            for (int i = 0; i < 500 && service.cancelled.isEmpty(); i++) Thread.sleep(10);
            assertEquals(1, service.cancelled.size(), "the server was told to abandon the call");
            assertArrayEquals(new byte[] {7}, echo(impatient, new byte[] {7}), "the connection still serves calls");
        }
    }

    @Test
    void aServerThatNeverAnswersTheBindFailsWithinTheConnectTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = silent.accept()) {
                    s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());   // read, never answer
                } catch (IOException ignored) {
                    // the client hung up
                }
            });
            String b = "ncacn_ip_tcp:127.0.0.1[" + silent.getLocalPort() + "]";
            try (RpcClient c = RpcClient.connect(b, ClientOptions.DEFAULT.withConnectTimeout(Duration.ofMillis(300)))) {
                RpcTransportException e = assertThrows(RpcTransportException.class, () -> c.bind(ID));
                assertTrue(e.getMessage().contains("no answer to the bind"), e.getMessage());
            }
            acceptor.join(10_000);
            assertTrue(!acceptor.isAlive(), "the client closed the connection it gave up on");
        }
    }

    @Test
    void aServerThatGoesAwayFailsWaitingCallsWithTransportErrors() throws Exception {
        RpcClient c = RpcClient.connect(binding);
        BindingHandle h = c.bind(ID);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> call = threads.submit(() -> h.call(PEND, h.newRequest()));
            assertTrue(service.pending.await(10, TimeUnit.SECONDS));
            server.close();
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof RpcTransportException, e.getCause().toString());
        }
        assertThrows(RpcTransportException.class, () -> echo(h, new byte[1]));
        c.close();
    }
}
