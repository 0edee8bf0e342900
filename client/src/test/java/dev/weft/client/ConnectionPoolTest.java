package dev.weft.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.server.RpcServer;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A pool of connections in one association group (ClientOptions.withMaxConnections). */
class ConnectionPoolTest {
    static final SyntaxId ID = new SyntaxId(Uuid.parse("5eb1a0e7-0000-4e57-8000-0000000000ae"), 1, 0);
    static final int HOLD = 0, OPEN = 1, GET = 2;

    /** 0 holds the call until released and answers with the client's address; 1 opens a handle; 2 reads it. */
    static final class Service implements RpcService {
        final CountDownLatch release = new CountDownLatch(1);
        final Set<String> clients = ConcurrentHashMap.newKeySet();

        public SyntaxId interfaceId() {
            return ID;
        }

        public int operationCount() {
            return 3;
        }

        public void invoke(int opnum, ServerCall call) throws InterruptedException {
            switch (opnum) {
                case HOLD -> {
                    clients.add(call.client().toString());
                    release.await();
                }
                case OPEN -> call.out().writeContextHandle(call.openContextHandle(call.in().readInt32()));
                default -> call.out().writeInt32(call.contextHandle(call.in().readContextHandle(), Integer.class));
            }
        }
    }

    @Test
    void busyConnectionsOpenMoreInOneAssociationGroupUpToTheLimit() throws Exception {
        Service service = new Service();
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(service).build().start();
             RpcClient client = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withMaxConnections(3));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            BindingHandle h = client.bind(ID);
            PooledBinding pool = assertInstanceOf(PooledBinding.class, h);
            // A handle opened on one connection...
            ContextHandle handle = h.call(OPEN, h.newRequest().writeInt32(42)).readContextHandle();
            List<Future<?>> held = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                held.add(threads.submit(() -> h.call(HOLD, h.newRequest())));
                for (int t = 0; t < 500 && service.clients.size() < Math.min(i + 1, 3); t++) Thread.sleep(10);
            }
            assertEquals(3, pool.connections(), "three connections, no more");
            assertEquals(3, service.clients.size(), "the held calls spread over three connections");
            // ...works on all of them: the pool's connections share one association group.
            for (int i = 0; i < 6; i++) {
                NdrReader r = h.call(GET, h.newRequest().writeContextHandle(handle));
                assertEquals(42, r.readInt32());
            }
            service.release.countDown();
            for (Future<?> f : held) f.get(10, TimeUnit.SECONDS);
        }
    }

    /** An answered bind or alter_context is not a call in flight: calls one after another need one connection. */
    @Test
    void sequentialCallsOnAPoolUseOneConnection() throws Exception {
        Service service = new Service();
        service.release.countDown();
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(service).build().start();
             RpcClient client = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withMaxConnections(3))) {
            BindingHandle h = client.bind(ID);
            for (int i = 0; i < 5; i++) h.call(HOLD, h.newRequest());
            assertEquals(1, ((PooledBinding) h).connections());
            assertEquals(1, service.clients.size());
        }
    }

    @Test
    void oneConnectionByDefault() throws Exception {
        Service service = new Service();
        service.release.countDown();
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(service).build().start();
             RpcClient client = RpcClient.connect(server.endpoints().get(0).toBinding().toString());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            BindingHandle h = client.bind(ID);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) calls.add(threads.submit(() -> h.call(HOLD, h.newRequest())));
            for (Future<?> f : calls) f.get(10, TimeUnit.SECONDS);
            assertEquals(1, service.clients.size());
        }
    }
}
