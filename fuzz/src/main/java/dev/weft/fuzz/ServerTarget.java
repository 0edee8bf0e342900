package dev.weft.fuzz;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.epmapper.Epmapper;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.mgmt.Mgmt;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.ndr.TransferSyntax;
import dev.weft.pdu.AlterContext;
import dev.weft.pdu.Auth3;
import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.AuthType;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.pdu.CoCancel;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Framer;
import dev.weft.pdu.Orphaned;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Request;
import dev.weft.pdu.SecTrailer;
import dev.weft.security.Protection;
import dev.weft.server.RpcServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * (e) The server's connection state machine: an in-process {@link RpcServer} (rpcecho, mgmt, the endpoint mapper,
 * NTLMSSP and SPNEGO) on a loopback port, fed mutated PDU sequences over a real socket, one connection per input:
 * write the sequence (in one piece or three), half-close, read every answer until the server closes. Several inputs
 * run at once ({@link #concurrency()}), each on its own connection, so that one input's round trip does not leave
 * the cores idle; the server is started once for the whole run.
 *
 * <p>Properties: every byte the server sends frames and decodes as a PDU; the server closes a half-closed connection
 * (a socket read waits at most 10 s for that); nothing the server logs at WARNING or above (the log line a
 * connection or call thread writes when an untyped exception reached it: "connection ... failed", "operation ...
 * failed"); every 500 inputs and after the run a well-behaved client still gets {@code AddOne(41) = 42}; after the
 * run every connection ends. Allocation is not measured: the work happens on the server's threads.
 *
 * <p>While several inputs run, a warning is told to its input by the client address the server puts in the line
 * ("connection from 127.0.0.1:50123 failed", "operation 3 of ... failed (a call from 127.0.0.1:50123)"): each
 * input's connection has its own local port. A line that comes after its connection closed (a call thread ends
 * later than the connection) is reported by the next execution with the input it names, and {@link #settle()}
 * (after a replay and after the run) waits until the server has ended every connection, so none is missed. A
 * warning that names no known connection is a finding after the run.
 */
final class ServerTarget implements Target {
    private final RpcServer server;
    private final int port;
    /** Executions running at once ({@code -Dweft.fuzz.server.concurrency=N}). */
    static final int CONCURRENCY = Integer.getInteger("weft.fuzz.server.concurrency", 64);
    /** How long a connection may be quiet before the input is taken as answered and the client half-closes. */
    static final int QUIET_MS = Integer.getInteger("weft.fuzz.server.quiet-ms", 20);
    private static final Pattern CLIENT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
    /** The inputs of recent executions by their connection's local port (at most {@link #RECENT}). */
    private final ConcurrentHashMap<Integer, byte[]> recent = new ConcurrentHashMap<>();
    private static final int RECENT = 4096;
    /** The ports of the last {@link #RECENT} executions, a ring: each new one pushes the oldest out of {@link #recent}. */
    private final AtomicIntegerArray recentRing = new AtomicIntegerArray(RECENT);
    private final AtomicLong recentNext = new AtomicLong();
    /** Warnings told to a connection, by its local port, until an execution reports them. */
    private final ConcurrentHashMap<Integer, LogRecord> blamed = new ConcurrentHashMap<>();
    /** Warnings that name no connection of this target. */
    private final ConcurrentLinkedQueue<LogRecord> unexplained = new ConcurrentLinkedQueue<>();
    private final Handler handler;
    private final Logger weftLogger = Logger.getLogger("dev.weft");
    private final int threadsBefore;
    private final Mutator mutator = new Mutator(70_000);
    private final AtomicLong executions = new AtomicLong();

    ServerTarget() throws IOException {
        handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() < Level.WARNING.intValue()) return;
                Matcher m = CLIENT.matcher(String.valueOf(r.getMessage()));
                Integer port = m.find() ? Integer.valueOf(m.group(1)) : null;
                if (port != null && recent.containsKey(port)) blamed.putIfAbsent(port, r);
                else if (unexplained.size() < 100) unexplained.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        weftLogger.addHandler(handler);
        weftLogger.setUseParentHandlers(false);
        threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        server = RpcServer.builder()
                .listen("ncacn_ip_tcp:127.0.0.1[0]")
                .endpointMapper()
                .service(RpcEcho.service(new RpcEchoExample()))
                .authentication(Tokens.NTLM_SERVER)
                .authentication(Tokens.SPNEGO_SERVER)
                .build()
                .start();
        port = server.endpoints().get(0).port();
    }

    @Override
    public String name() {
        return "server";
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public int concurrency() {
        return CONCURRENCY;
    }

    @Override
    public List<byte[]> seeds(Random random) {
        StubTarget stubs = new StubTarget(Set.of("RpcEcho", "Mgmt", "Epmapper"));
        stubs.seeds(new Random(random.nextLong()));
        List<byte[]> echo20 = new ArrayList<>();
        List<byte[]> echo64 = new ArrayList<>();
        List<Integer> echoOps = new ArrayList<>();
        for (StubTarget.Op op : stubs.ops()) {
            if (!op.iface().equals("RpcEcho") || op.name().equals("testSleep")) continue;
            echo20.add(op.request()[0]);
            echo64.add(op.request()[1]);
            echoOps.add(op.opnum());
        }
        List<ContextElement> echo = List.of(ContextElement.of(0, RpcEcho.INTERFACE_ID, TransferSyntax.NDR20.id()));
        List<ContextElement> echo64ctx = List.of(
                new ContextElement(0, RpcEcho.INTERFACE_ID, List.of(TransferSyntax.NDR64.id(), TransferSyntax.NDR20.id())),
                BindTimeFeatures.contextElement(1, RpcEcho.INTERFACE_ID, BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN));
        int mpx = PfcFlags.FIRST_AND_LAST | PfcFlags.CONC_MPX;
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < echoOps.size(); i++) { // every echo operation, NDR20 and NDR64
            seeds.add(Pdus.concat(List.of(PduCodec.encode(Bind.of(1, 5840, 0, echo)),
                    PduCodec.encode(Request.of(2, 0, echoOps.get(i), echo20.get(i))))));
            seeds.add(Pdus.concat(List.of(PduCodec.encode(new Bind(mpx, Drep.LITTLE_ENDIAN, 1, 5840, 5840, 0, echo64ctx, null)),
                    PduCodec.encode(Request.of(2, 0, echoOps.get(i), echo64.get(i))),
                    PduCodec.encode(Request.of(3, 0, echoOps.get((i + 1) % echoOps.size()), echo64.get((i + 1) % echoOps.size()))))));
        }
        byte[] big = new byte[9000];
        random.nextBytes(big);
        byte[] echoData = new byte[4 + 4 + big.length];
        Mutator.set(echoData, 0, 4, big.length, false);
        Mutator.set(echoData, 4, 4, big.length, false);
        System.arraycopy(big, 0, echoData, 8, big.length);
        seeds.add(Pdus.concat(List.of(PduCodec.encode(Bind.of(1, 5840, 0, echo)),
                Pdus.fragmented(2, 0, RpcEcho.OPNUM_ECHO_DATA, null, echoData, 2048))));
        // alter_context to mgmt and the endpoint mapper, then calls on them
        List<ContextElement> more = List.of(ContextElement.of(1, Mgmt.INTERFACE_ID, TransferSyntax.NDR20.id()),
                ContextElement.of(2, Epmapper.INTERFACE_ID, TransferSyntax.NDR20.id()));
        List<byte[]> alter = new ArrayList<>(List.of(PduCodec.encode(Bind.of(1, 5840, 0, echo)),
                PduCodec.encode(new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 2, 5840, 5840, 0, more, null))));
        int callId = 3;
        for (StubTarget.Op op : stubs.ops()) {
            if (op.iface().equals("Mgmt")) alter.add(PduCodec.encode(Request.of(callId++, 1, op.opnum(), op.request()[0])));
            if (op.iface().equals("Epmapper") && (op.name().equals("lookup") || op.name().equals("map"))) {
                alter.add(PduCodec.encode(Request.of(callId++, 2, op.opnum(), op.request()[0])));
            }
        }
        seeds.add(Pdus.concat(alter));
        // cancel and orphan
        seeds.add(Pdus.concat(List.of(PduCodec.encode(new Bind(mpx, Drep.LITTLE_ENDIAN, 1, 5840, 5840, 0, echo, null)),
                PduCodec.encode(Request.of(2, 0, RpcEcho.OPNUM_TEST_SLEEP, new byte[] {1, 0, 0, 0})),
                PduCodec.encode(new CoCancel(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 2, null)),
                PduCodec.encode(Request.of(3, 0, echoOps.get(0), echo20.get(0))),
                PduCodec.encode(new Orphaned(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 3, null)))));
        // authenticated binds: NTLMSSP with a stale AUTHENTICATE in auth3, SPNEGO with its second leg in alter_context
        for (int type : new int[] {AuthType.RPC_C_AUTHN_WINNT, AuthType.RPC_C_AUTHN_GSS_NEGOTIATE}) {
            boolean ntlm = type == AuthType.RPC_C_AUTHN_WINNT;
            List<byte[]> t = Tokens.exchange(ntlm ? Tokens.NTLM_CLIENT : Tokens.SPNEGO_CLIENT,
                    ntlm ? Tokens.NTLM_SERVER : Tokens.SPNEGO_SERVER, Protection.INTEGRITY);
            SecTrailer first = SecTrailer.of(type, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 1, t.get(0));
            SecTrailer third = SecTrailer.of(type, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 1, t.get(2));
            Pdu second = ntlm ? new Auth3(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 1, third)
                    : new AlterContext(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 2, 5840, 5840, 0, echo, third);
            seeds.add(Pdus.concat(List.of(
                    PduCodec.encode(new Bind(PfcFlags.FIRST_AND_LAST | PfcFlags.SUPPORT_HEADER_SIGN, Drep.LITTLE_ENDIAN, 1,
                            5840, 5840, 0, echo, first)),
                    PduCodec.encode(second),
                    PduCodec.encode(Request.of(3, 0, echoOps.get(0), echo20.get(0))))));
        }
        seeds.add(PduCodec.encode(Request.of(1, 0, 0, echo20.get(0)))); // a request before any bind
        return seeds;
    }

    @Override
    public String execute(byte[] input) throws Exception {
        if (executions.incrementAndGet() % 500 == 0) wellBehavedClient();
        int[] port = new int[1];
        String shape = exchange(input, port);
        LogRecord mine = blamed.remove(port[0]);
        if (mine != null) throw violation(mine, null);
        reportLate();
        return shape;
    }

    /** A warning that came after its connection closed, reported with the input it names. */
    private void reportLate() {
        for (Integer p : blamed.keySet()) {
            LogRecord r = blamed.remove(p);
            if (r != null) throw violation(r, recent.get(p));
        }
    }

    private static PropertyViolation violation(LogRecord r, byte[] input) {
        String what = "the server logged " + r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage();
        return input == null ? new PropertyViolation(what, r.getThrown())
                : new PropertyViolation(what + " (after that input's connection closed)", r.getThrown(), input);
    }

    /**
     * Waits (at most 10 s) until the server has ended every connection, so that every line their threads log is in,
     * then reports any warning still unreported.
     */
    @Override
    public void settle() throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (server.connectionCount() > 0 && System.nanoTime() < until) Thread.sleep(1);
        reportLate();
    }

    /** One connection: the input written (whole or in three pieces), half-closed, every answer read and checked. */
    private String exchange(byte[] input, int[] localPort) throws IOException {
        Answers answers = new Answers();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            localPort[0] = s.getLocalPort();
            remember(s.getLocalPort(), input);
            OutputStream out = s.getOutputStream();
            try {
                if (input.length % 3 == 0 && input.length > 3) { // in three pieces
                    int a = input.length / 3;
                    out.write(input, 0, a);
                    out.flush();
                    out.write(input, a, a);
                    out.flush();
                    out.write(input, 2 * a, input.length - 2 * a);
                } else {
                    out.write(input);
                }
                out.flush();
            } catch (IOException e) {
                answers.shape.append("hung up early ");
            }
            // The answers first, until the server closes or says nothing for QUIET_MS: a half-close right away would
            // end the connection while its calls still run, and their answers would be lost (losing a connection
            // ends its calls). Then the half-close, and whatever the server still sends until it closes.
            s.setSoTimeout(QUIET_MS);
            if (!read(s.getInputStream(), answers, true)) {
                try {
                    s.shutdownOutput();
                } catch (IOException e) {
                    // closed by the server meanwhile
                }
                s.setSoTimeout(10_000);
                read(s.getInputStream(), answers, false);
            }
        }
        answers.end();
        return answers.shape.toString();
    }

    private void remember(int localPort, byte[] input) {
        int old = recentRing.getAndSet((int) (recentNext.getAndIncrement() % RECENT), localPort);
        if (old != 0 && old != localPort) recent.remove(old);
        recent.put(localPort, input);
    }

    /**
     * Reads what the server sends into {@code answers} until it closes (true) or, when {@code quiet}, until it sends
     * nothing for the socket's timeout (false). Without {@code quiet} the timeout is a property violation: the
     * server must close a half-closed connection.
     */
    private static boolean read(InputStream in, Answers answers, boolean quiet) throws IOException {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) answers.add(buf, n);
            return true;
        } catch (SocketTimeoutException e) {
            if (quiet) return false;
            throw new PropertyViolation("the server neither closed nor answered a half-closed connection within 10 s");
        } catch (IOException e) {
            return true;   // reset by the server: it hung up, which is an answer
        }
    }

    /**
     * The server's answers, checked as they arrive: each fragment must frame (the {@link Framer}'s checks, at most
     * 65535 bytes) and decode as a PDU, but for a last one the end of the connection cut off. Only an unfinished
     * fragment is held, so an answer of any length (SourceData of 64 MiB) is checked in bounded memory; past 1 GiB
     * an input is a finding (the server amplifies without end).
     */
    private static final class Answers {
        final StringBuilder shape = new StringBuilder();
        private byte[] pending = new byte[0];
        private long total;
        private int pdus;

        void add(byte[] b, int n) {
            total += n;
            if (total > 1L << 30) throw new PropertyViolation("the server answered more than 1 GiB to one input");
            byte[] all = Arrays.copyOf(pending, pending.length + n);
            System.arraycopy(b, 0, all, pending.length, n);
            int at = 0;
            while (all.length - at >= 16) {
                boolean little = (all[at + 4] & 0x10) != 0;
                int fragLength = little ? (all[at + 8] & 0xFF) | (all[at + 9] & 0xFF) << 8
                        : (all[at + 8] & 0xFF) << 8 | (all[at + 9] & 0xFF);
                if (fragLength < 16) throw new PropertyViolation("the server sent a header with frag_length " + fragLength);
                if (all.length - at < fragLength) break;
                decode(Arrays.copyOfRange(all, at, at + fragLength));
                at += fragLength;
            }
            pending = Arrays.copyOfRange(all, at, all.length);
        }

        private void decode(byte[] fragment) {
            try {
                byte[] f = new Framer(new ByteArrayInputStream(fragment), PduCodec.MAX_FRAGMENT).readFragment();
                Pdu pdu = PduCodec.decode(f);
                if (pdus++ < 4) shape.append(pdu.getClass().getSimpleName()).append(' ');
            } catch (IOException | RuntimeException e) {
                throw new PropertyViolation("the server sent bytes that are not a PDU: " + e, e);
            }
        }

        /**
         * The end of the stream. It may end inside a fragment: the server closes the connection when the client
         * half-closes or breaks the protocol, and a call thread writing a long answer then is cut off (a lost
         * connection ends its calls). What came before must all have been whole PDUs; the cut is noted.
         */
        void end() {
            if (pending.length > 0) shape.append("(cut) ");
        }
    }

    private void wellBehavedClient() {
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:127.0.0.1[" + port + "]")) {
            int answer = RpcEcho.client(client.bind(RpcEcho.INTERFACE_ID)).addOne(41);
            if (answer != 42) throw new PropertyViolation("AddOne(41) answered " + answer);
        } catch (RuntimeException e) {
            if (e instanceof PropertyViolation) throw e;
            throw new PropertyViolation("a well-behaved client failed: " + e, e);
        }
    }

    @Override
    public boolean allowed(Throwable t) {
        return t instanceof IOException; // connect/close trouble on loopback, the server's to give
    }

    @Override
    public long allocationBound(byte[] input) {
        return -1;
    }

    @Override
    public byte[] mutateStructure(byte[] input, Random random, List<byte[]> corpus) {
        return Pdus.mutateStream(input, random, corpus, mutator);
    }

    @Override
    public String afterRun() throws Exception {
        wellBehavedClient();
        long until = System.nanoTime() + 30_000_000_000L;
        while (server.connectionCount() > 0 && System.nanoTime() < until) Thread.sleep(20);
        int connections = server.connectionCount();
        int groups = server.associationGroupCount();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        settle();
        LogRecord r = unexplained.peek();
        if (r != null) {
            throw new AssertionError(unexplained.size() + " warnings that name no connection of the run, the first: "
                    + r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage(), r.getThrown());
        }
        if (connections != 0) throw new AssertionError(connections + " server connections still open after the run");
        if (groups != 0) throw new AssertionError(groups + " association groups left after every connection ended");
        return "after the run: a well-behaved client answered, 0 connections, 0 association groups, platform threads "
                + threadsBefore + " before the server, " + threads + " after";
    }

    @Override
    public void close() {
        server.close();
        weftLogger.removeHandler(handler);
        weftLogger.setUseParentHandlers(true);
    }
}
