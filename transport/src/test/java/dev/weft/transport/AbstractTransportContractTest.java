package dev.weft.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one contract every {@link Transport} passes (the gRPC-java AbstractTransportTest idea): a subclass per
 * transport supplies the transport and where to listen; ncacn_np and ncacn_http join by adding a subclass.
 *
 * <p>Timeouts here are safety nets against a hang, never assertions about speed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class AbstractTransportContractTest {

    /** Generous: a connect that should fail at once must fail with ConnectException, not wait for this. */
    protected static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final long SAFETY_SECONDS = 60;

    private final ConcurrentLinkedQueue<AutoCloseable> resources = new ConcurrentLinkedQueue<>();
    private ExecutorService threads;
    protected Transport transport;

    /** The transport under test; called once per test. */
    protected abstract Transport newTransport() throws Exception;

    /** Where to listen: a fresh endpoint (port 0, a new name...), on loopback. */
    protected abstract Endpoint listenEndpoint();

    /** Transport-specific checks of the addresses of an accepted connection and its client side. */
    protected abstract void assertAddresses(Listener listener, Connection serverSide, Connection clientSide);

    @BeforeEach
    final void setUpTransport() throws Exception {
        transport = newTransport();
        threads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterEach
    final void closeEverything() throws Exception {
        for (AutoCloseable c : resources) {
            c.close();
        }
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(SAFETY_SECONDS, TimeUnit.SECONDS), "test threads did not finish");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    protected final <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    protected final Listener listen() throws IOException {
        return track(transport.listen(listenEndpoint()));
    }

    protected final Connection connect(Endpoint endpoint) throws IOException {
        return track(transport.connect(endpoint, CONNECT_TIMEOUT));
    }

    /** A connected pair: [client, server]. Connecting completes into the backlog, so accept can come after. */
    protected final Connection[] pair(Listener listener) throws IOException {
        Connection client = connect(listener.endpoint());
        Connection server = track(listener.accept());
        return new Connection[] {client, server};
    }

    protected final <T> Future<T> fork(java.util.concurrent.Callable<T> task) {
        return threads.submit(task);
    }

    protected static <T> T join(Future<T> future) throws Exception {
        try {
            return future.get(SAFETY_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("safety net: the operation hung", e);
        }
    }

    /** Waits (bounded) until {@code thread} is parked, e.g. blocked in accept or read. Not an assertion. */
    protected static void awaitBlocked(Thread thread) throws InterruptedException {
        for (int i = 0; i < 2_000 && thread.getState() != Thread.State.WAITING && thread.isAlive(); i++) {
            Thread.sleep(1);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes in uneven chunks, so both small and large writes are exercised. */
    private static void writeChunked(Connection c, byte[] data) throws IOException {
        int off = 0;
        int chunk = 1;
        while (off < data.length) {
            int n = Math.min(chunk, data.length - off);
            c.output().write(data, off, n);
            off += n;
            chunk = chunk * 3 + 7;
            if (chunk > 200_000) {
                chunk = 13;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the contract

    @Test
    public void connectAcceptAndExchangeBytesBothWays() throws Exception {
        Listener listener = listen();
        assertEquals(transport.protseq(), listener.endpoint().protseq());
        assertNotNull(listener.endpoint().name(), "the listener reports its actual endpoint");
        assertTrue(listener.isOpen());

        Connection[] c = pair(listener);
        assertEquals(transport.protseq(), c[0].protseq());
        assertEquals(transport.protseq(), c[1].protseq());
        assertTrue(c[0].isOpen() && c[1].isOpen());

        c[0].output().write(bytes("bind"));
        assertArrayEquals(bytes("bind"), c[1].input().readNBytes(4));
        c[1].output().write(bytes("bind_ack"));
        c[1].output().flush();
        assertArrayEquals(bytes("bind_ack"), c[0].input().readNBytes(8));
        c[0].output().write(0xA5); // the one-byte forms too
        assertEquals(0xA5, c[1].input().read());
    }

    @Test
    public void connectWithAStringBindingIgnoresOptionsAndObject() throws Exception {
        Listener listener = listen();
        StringBinding binding = listener.endpoint().toBinding().withOption("sign", "").withObjectUuid(UUID.randomUUID());
        Connection client = track(transport.connect(binding, CONNECT_TIMEOUT));
        Connection server = track(listener.accept());
        client.output().write(bytes("x"));
        assertArrayEquals(bytes("x"), server.input().readNBytes(1));
    }

    @Test
    public void oneMebibyteEachWayConcurrently() throws Exception {
        Listener listener = listen();
        Connection[] c = pair(listener);
        byte[] up = random(1 << 20, 1);
        byte[] down = random(1 << 20, 2);
        // Both sides write before anyone reads all: a transport that serialised reads and writes would deadlock.
        Future<?> clientWrites = fork(() -> {
            writeChunked(c[0], up);
            c[0].shutdownOutput();
            return null;
        });
        Future<?> serverWrites = fork(() -> {
            writeChunked(c[1], down);
            c[1].shutdownOutput();
            return null;
        });
        Future<byte[]> serverReads = fork(() -> c[1].input().readAllBytes());
        Future<byte[]> clientReads = fork(() -> c[0].input().readAllBytes());
        join(clientWrites);
        join(serverWrites);
        assertArrayEquals(up, join(serverReads), "client to server");
        assertArrayEquals(down, join(clientReads), "server to client");
    }

    @Test
    public void halfCloseGivesEofAndKeepsTheOtherDirection() throws Exception {
        Connection[] c = pair(listen());
        c[0].output().write(bytes("request"));
        c[0].shutdownOutput();
        assertArrayEquals(bytes("request"), c[1].input().readAllBytes(), "server reads up to EOF");
        assertEquals(-1, c[1].input().read(), "EOF stays EOF");
        c[1].output().write(bytes("response")); // the client still reads after its half-close
        c[1].close();
        assertArrayEquals(bytes("response"), c[0].input().readAllBytes());
        assertEquals(-1, c[0].input().read(new byte[10], 0, 10));
        assertThrows(IOException.class, () -> c[0].output().write(bytes("more")), "output was shut down");
    }

    @Test
    public void closingTheListenerUnblocksAccept() throws Exception {
        Listener listener = listen();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                Connection unexpected = listener.accept();
                unexpected.close();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        awaitBlocked(acceptor);
        listener.close();
        Throwable t = outcome.get(SAFETY_SECONDS, TimeUnit.SECONDS);
        ListenerClosedException e = assertInstanceOf(ListenerClosedException.class, t);
        assertTrue(e.getMessage().contains(listener.endpoint().toString()), e.getMessage());
        assertFalse(listener.isOpen());
        assertThrows(ListenerClosedException.class, listener::accept, "accept after close");
        listener.close(); // idempotent
    }

    @Test
    public void connectingToAClosedEndpointFailsPromptlyWithConnectException() throws Exception {
        Listener listener = listen();
        Endpoint endpoint = listener.endpoint();
        listener.close();
        // The timeout is long: getting ConnectException (and not SocketTimeoutException) shows it did not wait.
        ConnectException e = assertThrows(ConnectException.class, () -> transport.connect(endpoint, CONNECT_TIMEOUT));
        assertTrue(e.getMessage().contains(endpoint.toString()), e.getMessage());
    }

    @Test
    public void acceptedConnectionsOutliveTheirListener() throws Exception {
        Listener listener = listen();
        Connection[] c = pair(listener);
        listener.close();
        c[0].output().write(bytes("still"));
        assertArrayEquals(bytes("still"), c[1].input().readNBytes(5));
        c[1].output().write(bytes("here"));
        assertArrayEquals(bytes("here"), c[0].input().readNBytes(4));
    }

    @Test
    public void peerCloseGivesEofThenWritesFail() throws Exception {
        Connection[] c = pair(listen());
        c[1].close();
        assertFalse(c[1].isOpen());
        assertEquals(-1, c[0].input().read(), "the peer's close reads as EOF");
        // Writing to a closed peer fails: at once (Unix domain) or once its reset has come back (TCP).
        IOException failure = null;
        byte[] chunk = new byte[8192];
        for (int i = 0; i < 10_000 && failure == null; i++) {
            try {
                c[0].output().write(chunk);
            } catch (IOException e) {
                failure = e;
            }
        }
        assertNotNull(failure, "writing to a closed peer never failed");
    }

    @Test
    public void closingAConnectionUnblocksItsReader() throws Exception {
        Connection[] c = pair(listen());
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(c[0].input().read());
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        awaitBlocked(reader);
        c[0].close();
        Object result = outcome.get(SAFETY_SECONDS, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, result, "a read blocked in a closed connection throws");
        assertEquals(-1, c[1].input().read(), "and the peer sees EOF");
    }

    @Test
    public void closeIsIdempotentAndUseAfterCloseFails() throws Exception {
        Connection[] c = pair(listen());
        c[0].close();
        c[0].close();
        assertFalse(c[0].isOpen());
        IOException read = assertThrows(IOException.class, () -> c[0].input().read());
        assertTrue(read.getMessage().contains("closed"), read.getMessage());
        assertThrows(IOException.class, () -> c[0].output().write(1));
        assertThrows(IOException.class, () -> c[0].shutdownOutput());
        c[1].input().close(); // closing a stream closes its connection
        assertFalse(c[1].isOpen());
    }

    @Test
    public void manyConcurrentConnectionsOnVirtualThreads() throws Exception {
        final int clients = 200;
        Listener listener = listen();
        AtomicInteger accepted = new AtomicInteger();
        Future<?> server = fork(() -> {
            for (int i = 0; i < clients; i++) {
                Connection conn = track(listener.accept());
                accepted.incrementAndGet();
                fork(() -> { // echo: 4-byte length, then that many bytes
                    try (conn) {
                        int length = ByteBuffer.wrap(conn.input().readNBytes(4)).getInt();
                        byte[] body = conn.input().readNBytes(length);
                        conn.output().write(ByteBuffer.allocate(4).putInt(length).array());
                        conn.output().write(body);
                    }
                    return null;
                });
            }
            return null;
        });
        List<Future<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            final int id = i;
            results.add(fork(() -> {
                try (Connection conn = transport.connect(listener.endpoint(), CONNECT_TIMEOUT)) {
                    byte[] body = random(100 + id * 37, id);
                    conn.output().write(ByteBuffer.allocate(4).putInt(body.length).array());
                    conn.output().write(body);
                    InputStream in = conn.input();
                    int length = ByteBuffer.wrap(in.readNBytes(4)).getInt();
                    assertEquals(body.length, length);
                    byte[] echoed = in.readNBytes(length);
                    assertArrayEquals(body, echoed, "client " + id + " got its own bytes back");
                    assertEquals(-1, in.read(), "then EOF");
                    return echoed;
                }
            }));
        }
        for (Future<byte[]> r : results) {
            assertNotNull(join(r));
        }
        join(server);
        assertEquals(clients, accepted.get());
    }

    @Test
    public void remoteAddressIdentifiesTheClient() throws Exception {
        Listener listener = listen();
        Connection[] first = pair(listener);
        Connection[] second = pair(listener);
        RemoteAddress a = first[1].remoteAddress();
        RemoteAddress b = second[1].remoteAddress();
        assertEquals(transport.protseq(), a.protseq());
        assertFalse(a.identity().isEmpty());
        assertFalse(a.description().isEmpty());
        assertTrue(a.sameClient(b), "two connections from one process are the same client: " + a + " / " + b);
        assertFalse(a.sameClient(new RemoteAddress(a.protseq(), a.identity() + "-other", "x")));
        assertEquals(transport.protseq(), first[1].localEndpoint().protseq());
        assertEquals(listener.endpoint().name(), first[1].localEndpoint().name(),
                "the accepted side's local endpoint is the listener's");
        assertAddresses(listener, first[1], first[0]);
    }

    @Test
    public void partialEndpointAsksForTheEndpointMapper() {
        Endpoint partial = new Endpoint(transport.protseq(), listenEndpoint().networkAddress(), null);
        UnresolvedEndpointException e = assertThrows(UnresolvedEndpointException.class,
                () -> transport.connect(partial, CONNECT_TIMEOUT));
        assertTrue(e.getMessage().contains("endpoint mapper"), e.getMessage());
    }

    @Test
    public void endpointOfAnotherProtseqIsRejected() {
        Endpoint foreign = transport.protseq() == Protseq.NCACN_IP_TCP
                ? Endpoint.ncalrpc("x") : Endpoint.tcp("127.0.0.1", 1);
        assertThrows(IllegalArgumentException.class, () -> transport.connect(foreign, CONNECT_TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> transport.listen(foreign));
    }

    @Test
    public void nonPositiveTimeoutIsRejected() throws Exception {
        Listener listener = listen();
        assertThrows(IllegalArgumentException.class, () -> transport.connect(listener.endpoint(), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> transport.connect(listener.endpoint(), Duration.ofSeconds(-1)));
    }

    @Test
    public void listeningOnAnEndpointInUseFails() throws Exception {
        Listener listener = listen();
        BindException e = assertThrows(BindException.class, () -> track(transport.listen(listener.endpoint())));
        assertTrue(e.getMessage().contains(listener.endpoint().name()), e.getMessage());
        Connection[] c = pair(listener); // and the first listener is unharmed
        c[0].output().write(7);
        assertEquals(7, c[1].input().read());
    }

    @Test
    public void eachListenGetsItsOwnEndpoint() throws Exception {
        Listener a = listen();
        Listener b = listen();
        assertNotEquals(a.endpoint(), b.endpoint());
        Connection toB = connect(b.endpoint());
        Connection atB = track(b.accept());
        toB.output().write(bytes("b"));
        assertArrayEquals(bytes("b"), atB.input().readNBytes(1));
        b.close();
        Connection toA = connect(a.endpoint()); // closing b left a alone
        Connection atA = track(a.accept());
        toA.output().write(bytes("a"));
        assertArrayEquals(bytes("a"), atA.input().readNBytes(1));
    }
}
