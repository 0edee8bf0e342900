package dev.weft.fuzz;

import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.witness.Witness;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindAck;
import dev.weft.pdu.BindNak;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Fault;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.Framer;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hostile side of {@link Faults}, in a JVM of its own so that the server's JVM is measured alone:
 * {@code Attacker FAULT HOST PORT SECONDS ATTACKERS [ATTEMPTS]}. It prints {@code ready} once started, attacks for
 * {@code SECONDS} with {@code ATTACKERS} virtual threads each making one hostile connection after another, prints
 * {@code done} with its counts, then holds the connections it was told to keep open (half-open, limit) until its
 * standard input ends, closes them, prints {@code closed} and exits.
 *
 * <p>Faults: {@code slowloris} (a bind a byte per 100 ms), {@code killed} (bind, then half a fragment, or the first
 * of ten fragments, or a witness registration with a pending AsyncNotify; then a reset), {@code reset} (a reset
 * right after connecting, inside the first header, or after the bind_ack), {@code bind-flood} (bind, close),
 * {@code oversize} (a first fragment with alloc_hint 0xFFFFFFFF, or a frag_length of 65535, in a bind or a request:
 * each must get a fault or bind_nak and a disconnect, or a disconnect), {@code half-open} (connections that stop
 * reading and writing forever: silent from the start, after the bind, in the middle of a fragment, after opening
 * a context handle, or after sending requests whose answers are never read; held until the end), {@code limit}
 * ({@code ATTEMPTS} connection attempts, each held open until the end).
 */
public final class Attacker {
    private static final SyntaxId ECHO = RpcEcho.INTERFACE_ID;

    private final String fault;
    private final InetSocketAddress address;
    private final long deadline;
    private final Random seeds = new Random(42);
    /** Connections kept open until the end (half-open, limit). */
    private final ConcurrentLinkedQueue<Socket> held = new ConcurrentLinkedQueue<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong expected = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final ConcurrentLinkedQueue<String> surprises = new ConcurrentLinkedQueue<>();

    private Attacker(String fault, InetSocketAddress address, long deadline) {
        this.fault = fault;
        this.address = address;
        this.deadline = deadline;
    }

    public static void main(String[] args) throws Exception {
        String fault = args[0];
        InetSocketAddress address = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        int seconds = Integer.parseInt(args[3]);
        int attackers = Integer.parseInt(args[4]);
        int attempts = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        System.out.println("ready");
        System.out.flush();
        Attacker a = new Attacker(fault, address, System.nanoTime() + seconds * 1_000_000_000L);
        a.run(attackers, attempts);
        System.out.println("done " + a.summary());
        System.out.flush();
        // Hold what is held until told to let go: the server must reclaim it on its own before that.
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // anything before the end of input is ignored
        }
        for (Socket s; (s = a.held.poll()) != null; ) {
            try {
                s.close();
            } catch (IOException e) {
                // gone already
            }
        }
        System.out.println("closed");
        System.out.flush();
    }

    private String summary() {
        String s = String.format("connections=%d refused=%d expected=%d unexpected=%d held=%d", connections.get(),
                refused.get(), expected.get(), unexpected.get(), held.size());
        // refused: connection attempts that failed (limit: past the server's limit and the kernel's backlog)
        String first = surprises.peek();
        return first == null ? s : s + " first-unexpected=" + first.replace(' ', '_');
    }

    private void run(int attackers, int attempts) throws InterruptedException {
        if (attackers == 0) { // the baseline: no attack, the same length of time
            Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
            return;
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            if (fault.equals("limit")) {
                AtomicInteger next = new AtomicInteger();
                for (int i = 0; i < attackers; i++) {
                    threads.execute(() -> {
                        while (next.getAndIncrement() < attempts && System.nanoTime() < deadline) holdOne();
                    });
                }
                threads.close();
                // Every attempt made: hold them for the rest of the attack, while the well-behaved client is measured.
                Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
            } else {
                for (int i = 0; i < attackers; i++) {
                    Random r = new Random(seeds.nextLong());
                    threads.execute(() -> loop(r));
                }
            }
        }
    }

    /** One connection attempt of the limit fault, kept open when it connects. */
    private void holdOne() {
        Socket s = new Socket();
        try {
            s.connect(address, 3000);
            connections.incrementAndGet();
            held.add(s);
        } catch (IOException e) {
            refused.incrementAndGet();   // past the server's limit and the kernel's backlog: refused or timed out
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to free
            }
        }
    }

    private void loop(Random r) {
        while (System.nanoTime() < deadline) {
            Socket s = new Socket();
            boolean keep = false;
            try {
                if (fault.equals("half-open")) s.setReceiveBufferSize(4096);   // a small window: writes block soon
                s.connect(address, 3000);
                connections.incrementAndGet();
                keep = attack(s, r);
            } catch (IOException e) {
                // the server closed it first: what most faults expect
            } catch (InterruptedException e) {
                return;
            } finally {
                if (keep) {
                    held.add(s);
                } else {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // gone already
                    }
                }
            }
            try {
                // At most one hostile connection per attacker every 10 ms (200 ms for half-open ones, which pile up):
                // attackers looping flat out on two cores measure CPU starvation of everyone, not the server.
                Thread.sleep(fault.equals("half-open") ? 200 : 10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One hostile connection; returns whether to keep it open until the end. */
    private boolean attack(Socket s, Random r) throws IOException, InterruptedException {
        OutputStream out = s.getOutputStream();
        switch (fault) {
            case "slowloris" -> {
                byte[] bind = bind(ECHO);
                for (int i = 0; i < bind.length && System.nanoTime() < deadline; i++) {
                    out.write(bind[i]);
                    out.flush();
                    Thread.sleep(100);   // the partial-PDU timeout ends it long before the bind does
                }
                return false;
            }
            case "killed" -> {
                switch (r.nextInt(3)) {
                    case 0 -> {                                   // mid-fragment
                        bound(s, ECHO);
                        byte[] first = echoFragments(r).get(0);
                        out.write(Arrays.copyOf(first, first.length / 2));
                    }
                    case 1 -> {                                   // mid-call: the first of ten fragments
                        bound(s, ECHO);
                        out.write(echoFragments(r).get(0));
                    }
                    default -> {                                  // a context handle and a pending call
                        bound(s, Witness.INTERFACE_ID);
                        byte[] handle = register(s, r);
                        out.write(PduCodec.encode(Request.of(3, 0, Witness.OPNUM_WITNESSR_ASYNC_NOTIFY, handle)));
                    }
                }
                out.flush();
                s.setSoLinger(true, 0);                           // close() sends a reset
                return false;
            }
            case "reset" -> {
                switch (r.nextInt(3)) {
                    case 0 -> {
                    }
                    case 1 -> out.write(Arrays.copyOf(bind(ECHO), 10));
                    default -> bound(s, ECHO);
                }
                out.flush();
                s.setSoLinger(true, 0);
                return false;
            }
            case "bind-flood" -> {
                out.write(bind(ECHO));
                out.flush();
                return false;
            }
            case "oversize" -> {
                oversize(s, r);
                return false;
            }
            case "half-open" -> {
                switch (r.nextInt(5)) {
                    case 0 -> {
                    }                                             // silent from the start
                    case 1 -> bound(s, ECHO);                     // silent after the bind
                    case 2 -> {                                   // silent in the middle of a fragment
                        bound(s, ECHO);
                        byte[] first = echoFragments(r).get(0);
                        out.write(Arrays.copyOf(first, first.length / 2));
                    }
                    case 3 -> {                                   // a context handle left open, then silent
                        bound(s, Witness.INTERFACE_ID);
                        register(s, r);
                    }
                    default -> {                                  // answers never read: the server's writes block
                        bound(s, ECHO, PfcFlags.CONC_MPX);
                        // 1 MiB of answers into a 4 KiB receive window (set before connecting): far more than
                        // the socket buffers take, so the server's write blocks until its write timeout.
                        for (int id = 2; id < 6; id++) {
                            out.write(PduCodec.encode(Request.of(id, 0, RpcEcho.OPNUM_SOURCE_DATA,
                                    new NdrWriter(TransferSyntax.NDR20).writeInt32(256 * 1024).toByteArray())));
                        }
                    }
                }
                out.flush();
                return true;
            }
            default -> throw new IllegalArgumentException("no fault " + fault);
        }
    }

    /**
     * Sizes the server must refuse before allocating: alloc_hint 0xFFFFFFFF on a first fragment (MS-RPCE
     * 3.3.3.5.4: fault and disconnect), frag_length 65535 over the server's 5840 (proto_error and disconnect), in a
     * request or in the bind itself. Anything but a fault or bind_nak followed by the end of the connection, or the
     * end alone, is counted as unexpected.
     */
    private void oversize(Socket s, Random r) throws IOException {
        OutputStream out = s.getOutputStream();
        byte[] attack;
        switch (r.nextInt(3)) {
            case 0 -> {
                bound(s, ECHO);
                byte[] stub = new NdrWriter(TransferSyntax.NDR20).writeInt32(1000).writeConformance(1000)
                        .writeBytes(new byte[1000]).toByteArray();
                attack = PduCodec.encode(new Request(PfcFlags.FIRST_FRAG, Drep.LITTLE_ENDIAN, 2, 0xFFFFFFFF, 0,
                        RpcEcho.OPNUM_ECHO_DATA, null, stub, null));
            }
            case 1 -> {
                bound(s, ECHO);
                attack = PduCodec.encode(Request.of(2, 0, RpcEcho.OPNUM_ADD_ONE, new byte[4]));
                Mutator.set(attack, 8, 2, 0xFFFF, false);           // frag_length 65535, body as sent
            }
            default -> {
                attack = bind(ECHO);
                Mutator.set(attack, 8, 2, 0xFFFF, false);
            }
        }
        out.write(attack);
        out.flush();
        s.setSoTimeout(5000);
        Framer framer = new Framer(s.getInputStream(), PduCodec.MAX_FRAGMENT);
        String answer = "";
        try {
            byte[] f;
            while ((f = framer.readFragment()) != null) {
                Pdu p = PduCodec.decode(f);
                answer += p.getClass().getSimpleName() + (p instanceof Fault fault ? "(0x" + Integer.toHexString(fault.status()) + ")" : "") + " ";
                if (!(p instanceof Fault || p instanceof BindNak)) {
                    unexpected(answer + "instead of a fault");
                    return;
                }
            }
            expected.incrementAndGet();
        } catch (SocketTimeoutException e) {
            unexpected(answer + "and the connection stayed open");
        } catch (IOException e) {
            expected.incrementAndGet();   // a reset ends it too
        } catch (RuntimeException e) {
            unexpected(answer + "then bytes that are not a PDU: " + e);
        }
    }

    private void unexpected(String what) {
        unexpected.incrementAndGet();
        if (surprises.size() < 4) surprises.add(what.strip());
    }

    // ------------------------------------------------------------------------------------------------ PDUs

    private static byte[] bind(SyntaxId iface) {
        return bind(iface, 0);
    }

    private static byte[] bind(SyntaxId iface, int flags) {
        return PduCodec.encode(new Bind(PfcFlags.FIRST_AND_LAST | flags, Drep.LITTLE_ENDIAN, 1, 5840, 5840, 0,
                List.of(ContextElement.of(0, iface, SyntaxId.NDR20)), null));
    }

    /** Binds and reads the bind_ack. */
    private static void bound(Socket s, SyntaxId iface) throws IOException {
        bound(s, iface, 0);
    }

    private static void bound(Socket s, SyntaxId iface, int flags) throws IOException {
        s.getOutputStream().write(bind(iface, flags));
        s.getOutputStream().flush();
        Pdu ack = PduCodec.decode(new Framer(s.getInputStream(), PduCodec.MAX_FRAGMENT).readFragment());
        if (!(ack instanceof BindAck)) throw new IOException("no bind_ack: " + ack);
    }

    /** EchoData of 20,000 bytes cut in ten 2048-byte fragments. */
    private static List<byte[]> echoFragments(Random r) {
        byte[] data = new byte[20_000];
        r.nextBytes(data);
        byte[] stub = new NdrWriter(TransferSyntax.NDR20).writeInt32(data.length).writeConformance(data.length)
                .writeBytes(data).toByteArray();
        return new Fragmenter(2048, null).request(2, 0, RpcEcho.OPNUM_ECHO_DATA, null, stub).stream()
                .map(PduCodec::encode).toList();
    }

    /**
     * witnessr_Register (v1) over the bound connection; returns the AsyncNotify request stub for the context handle
     * it got (the handle's 20 bytes are the whole [in] stub).
     */
    private static byte[] register(Socket s, Random r) throws IOException {
        StubTarget.FakeBinding b = new StubTarget.FakeBinding(Witness.INTERFACE_ID, TransferSyntax.NDR20);
        b.capture = true;
        byte[] stub;
        try {
            Witness.client(b).witnessrRegister(0x00010001, "fileserver", "192.0.2.1", "attacker-" + r.nextInt(1000));
            throw new IllegalStateException("the witness client did not call");
        } catch (StubTarget.Captured c) {
            stub = c.stub;
        }
        OutputStream out = s.getOutputStream();
        out.write(PduCodec.encode(Request.of(2, 0, Witness.OPNUM_WITNESSR_REGISTER, stub)));
        out.flush();
        InputStream in = s.getInputStream();
        Pdu p = PduCodec.decode(new Framer(in, PduCodec.MAX_FRAGMENT).readFragment());
        if (!(p instanceof Response resp)) throw new IOException("no answer to Register: " + p);
        // The response: the context handle (20 bytes), then the status.
        return Arrays.copyOf(resp.stub(), 20);
    }
}
