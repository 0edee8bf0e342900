package dev.weft.interfaces;

import dev.weft.interfaces.GeneratedStubs.Call;
import dev.weft.interfaces.SambaCapture.Exchange;
import dev.weft.ndr.TransferSyntax;
import dev.weft.server.FaultException;
import dev.weft.server.RpcServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Weft server that answers samr, lsarpc, netlogon and dssetup with what the Samba AD DC answered in the NDR20
 * captures, for {@code tools/interop/capture-samba.sh}: Samba's server refuses NDR64, so Samba's client is pointed
 * at this server with its {@code ndr64} binding option, and its NDR64 requests are recorded against Weft's NDR64
 * answers of the same values. Samba's client decoding those answers to the values it decoded from Samba's NDR20
 * ones is the script's check of Weft's NDR64 encoding by an implementation Weft did not write. The endpoint mapper
 * and mgmt are Weft's own (built into every Weft server).
 *
 * <p>A call is answered with the first recorded exchange of its operation not yet used whose request decoded to
 * the same arguments, else the first not yet used; a recorded fault is answered as that fault. Run with the test
 * class path: {@code java -cp ... dev.weft.interfaces.SambaReplayServer [ADDRESS [CAPTURE-DIR]]} (the captures
 * from the class path without a directory); it prints {@code listening <port>}.
 */
public final class SambaReplayServer {
    /** The captures replayed, below {@code dev/weft/interfaces/}. */
    static final List<String> REPLAYED = List.of("samr/samba-4.17-samr-tcp.txt", "lsarpc/samba-4.17-lsarpc-tcp.txt",
            "netlogon/samba-4.17-netlogon-tcp.txt", "dssetup/samba-4.17-dssetup-tcp.txt");

    /** One recorded answer: the operation, its arguments as text, the result or the fault. */
    private static final class Recorded {
        final String method, args, label;
        final Object result;
        final Integer fault;
        boolean used;

        Recorded(String label, String method, String args, Object result, Integer fault) {
            this.label = label;
            this.method = method;
            this.args = args;
            this.result = result;
            this.fault = fault;
        }
    }

    private SambaReplayServer() {
    }

    public static void main(String[] args) throws Exception {
        String address = args.length > 0 ? args[0] : "127.0.0.1";
        // The capture script's output directory: the files it has just written, not the class path's.
        java.nio.file.Path dir = args.length > 1 ? java.nio.file.Path.of(args[1]) : null;
        RpcServer.Builder b = RpcServer.builder().endpointMapper().listen("ncacn_ip_tcp:" + address + "[0]");
        ReentrantLock lock = new ReentrantLock();
        for (String file : REPLAYED) {
            SambaCapture capture = dir != null ? SambaCapture.load(dir, file) : SambaCapture.load(file);
            GeneratedStubs stubs = GeneratedStubs.of(capture.interfaceId());
            List<Recorded> recorded = new ArrayList<>();
            for (Exchange x : capture.exchanges()) {
                // The NDR64 run makes no schannel calls (Weft has no schannel): their answers would be taken for the
                // unauthenticated calls of the same arguments, which Samba refuses.
                if (x.bigEndian() || x.syntax() != TransferSyntax.NDR20 || x.label().startsWith("schannel-")) continue;
                try {
                    Call call = stubs.decodeRequest(x.opnum(), x.syntax(), false, x.request(), x.trailer() != null);
                    Object result = x.fault() == null ? stubs.decodeResponse(call, x.syntax(), x.response()) : null;
                    recorded.add(new Recorded(x.label(), call.method(), WireCompare.render(call.args()), result, x.fault()));
                } catch (Exception | AssertionError e) {
                    // What the specification's IDL cannot take (SambaCaptureReplayTest.DIVERGENCES) has no answer.
                    System.err.println("replay: " + file + " " + x.label() + " not replayed: " + e.getMessage());
                }
            }
            b.service(stubs.service((proxy, m, a) -> {
                String wanted = WireCompare.render(Arrays.copyOfRange(a, 1, a.length));
                lock.lock();
                try {
                    Recorded r = recorded.stream().filter(c -> !c.used && c.method.equals(m.getName()) && c.args.equals(wanted))
                            .findFirst().orElse(null);
                    if (r == null) {
                        r = recorded.stream().filter(c -> !c.used && c.method.equals(m.getName())).findFirst()
                                .orElseThrow(() -> new FaultException(0x1C010002, "nothing recorded for " + m.getName()));
                        System.err.println("replay: " + m.getName() + " answered with " + r.label + ", recorded for other arguments");
                    }
                    r.used = true;
                    if (r.fault != null) throw new FaultException(r.fault, "as recorded for " + r.label);
                    return r.result;
                } finally {
                    lock.unlock();
                }
            }));
        }
        try (RpcServer server = b.build().start()) {
            System.out.println("listening " + server.endpoints().get(0).toBinding().endpoint());
            System.out.flush();
            new CountDownLatch(1).await();   // until the script ends the process
        }
    }
}
