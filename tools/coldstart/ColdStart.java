import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A server's cold start: from starting its process to its first answered call. Starts the command, then
 * connects every millisecond to 127.0.0.1:PORT, binds mgmt and calls rpc__mgmt_is_server_listening with raw
 * PDUs (no Weft code on the measuring side, so the client costs nothing to load), and stops at the first
 * response PDU; then SIGTERMs the server and waits for it. Prints every run and the median.
 *
 * <p>{@code java tools/coldstart/ColdStart.java RUNS PORT COMMAND...}; {@code {port}} in the command is replaced.
 */
public class ColdStart {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        List<String> cmd = new ArrayList<>();
        for (int i = 2; i < args.length; i++) cmd.add(args[i].replace("{port}", String.valueOf(port)));
        double[] ms = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                while (!answered(port)) {
                    if (!p.isAlive()) throw new IllegalStateException("server exited with " + p.exitValue());
                    if (System.nanoTime() - t0 > 30_000_000_000L) throw new IllegalStateException("no answer in 30 s");
                    Thread.sleep(1);
                }
                ms[r] = (System.nanoTime() - t0) / 1e6;
            } finally {
                // the whole tree: a launcher script that does not exec would leave its java running
                List<ProcessHandle> tree = p.descendants().toList();
                p.destroy();
                tree.forEach(ProcessHandle::destroy);
                p.waitFor();
                for (ProcessHandle h : tree) h.onExit().join();
            }
            System.out.printf("run %d: %.0f ms%n", r + 1, ms[r]);
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        System.out.printf("median %.0f ms (min %.0f, max %.0f) over %d runs%n", median, sorted[0], sorted[runs - 1], runs);
    }

    /** Whether a bind + mgmt is_server_listening got a response PDU. */
    static boolean answered(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(bind());
            if (readPdu(in) != 12) return false;      // bind_ack
            out.write(request());
            return readPdu(in) == 2;                  // response
        } catch (IOException e) {
            return false;
        }
    }

    static int readPdu(DataInputStream in) throws IOException {
        byte[] h = new byte[16];
        in.readFully(h);
        int fragLength = (h[8] & 0xFF) | (h[9] & 0xFF) << 8;
        in.readFully(new byte[fragLength - 16]);
        return h[2];
    }

    static ByteBuffer header(int ptype, int length) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 5).put((byte) 0).put((byte) ptype).put((byte) 3)   // version 5.0, PFC_FIRST_FRAG|LAST_FRAG
                .put(new byte[] {0x10, 0, 0, 0})                         // drep: little-endian, ASCII, IEEE
                .putShort((short) length).putShort((short) 0).putInt(1); // frag_length, auth_length, call_id
        return b;
    }

    static byte[] bind() {
        ByteBuffer b = header(11, 72);
        b.putShort((short) 5840).putShort((short) 5840).putInt(0);      // max_xmit, max_recv, assoc_group
        b.put((byte) 1).put(new byte[3]);                              // one context
        b.putShort((short) 0).put((byte) 1).put((byte) 0);             // context 0, one transfer syntax
        uuid(b, "afa8bd80-7d8a-11c9-bef4-08002b102989").putShort((short) 1).putShort((short) 0); // mgmt 1.0
        uuid(b, "8a885d04-1ceb-11c9-9fe8-08002b104860").putInt(2);     // NDR 2.0
        return b.array();
    }

    static byte[] request() {
        ByteBuffer b = header(0, 24);
        b.putInt(0).putShort((short) 0).putShort((short) 2);           // alloc_hint, context 0, opnum 2
        return b.array();
    }

    static ByteBuffer uuid(ByteBuffer b, String text) {
        UUID u = UUID.fromString(text);
        long msb = u.getMostSignificantBits();
        b.putInt((int) (msb >>> 32)).putShort((short) (msb >>> 16)).putShort((short) msb);
        long lsb = u.getLeastSignificantBits();
        for (int i = 7; i >= 0; i--) b.put((byte) (lsb >>> (i * 8)));
        return b;
    }
}
