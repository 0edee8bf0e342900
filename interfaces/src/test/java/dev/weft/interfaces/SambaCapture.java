package dev.weft.interfaces;

import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A capture file: the DCE/RPC exchanges of one interface, recorded on the wire by {@code tools/interop/capture-samba.sh}
 * (which {@code tools/interop/dcerpc_capture.py} writes) and kept as test data under
 * {@code src/test/resources/dev/weft/interfaces/<name>/}. Its lines:
 * <pre>
 *   # comments
 *   interface &lt;uuid&gt; &lt;major&gt;.&lt;minor&gt;
 *   &lt;label&gt; &lt;opnum&gt; &lt;syntax: ndr | ndr64&gt; &lt;drep, 8 hex digits&gt; request &lt;stub hex&gt;
 *   &lt;label&gt; &lt;opnum&gt; &lt;syntax&gt; &lt;drep&gt; verification-trailer &lt;hex&gt;   (when the request had one)
 *   &lt;label&gt; &lt;opnum&gt; &lt;syntax&gt; &lt;drep&gt; response &lt;stub hex&gt;   (or: fault &lt;status, 8 hex digits&gt;)
 * </pre>
 * A label names a call of the recording script; it may appear once per syntax and byte order (the same script runs
 * little-endian, big-endian and NDR64).
 *
 * @param resource    where the file is, below {@code dev/weft/interfaces/}
 * @param interfaceId the interface the exchanges belong to
 * @param title       the first comment line: who answered, how it was recorded
 * @param exchanges   in recording order
 */
public record SambaCapture(String resource, SyntaxId interfaceId, String title, List<Exchange> exchanges) {
    private static final HexFormat HEX = HexFormat.of();

    /** The files the capture script writes, below {@code dev/weft/interfaces/}. */
    public static final List<String> FILES = List.of(
            "epmapper/samba-4.17-epmapper-tcp.txt", "epmapper/samba-4.17-epmapper-tcp-ndr64.txt",
            "mgmt/samba-4.17-mgmt-tcp.txt", "mgmt/samba-4.17-mgmt-tcp-ndr64.txt",
            "samr/samba-4.17-samr-tcp.txt", "samr/samba-4.17-samr-tcp-ndr64.txt",
            "lsarpc/samba-4.17-lsarpc-tcp.txt", "lsarpc/samba-4.17-lsarpc-tcp-ndr64.txt",
            "lsarpc/samba-4.17-lsarpc-np.txt",
            "netlogon/samba-4.17-netlogon-tcp.txt", "netlogon/samba-4.17-netlogon-tcp-ndr64.txt",
            "dssetup/samba-4.17-dssetup-tcp.txt", "dssetup/samba-4.17-dssetup-tcp-ndr64.txt",
            "srvsvc/samba-4.17-srvsvc-np.txt");

    /**
     * One call.
     *
     * @param label     the recording script's name for the call
     * @param opnum     the operation
     * @param syntax    the transfer syntax of the presentation context the call used
     * @param bigEndian whether the request's drep said big-endian (the response is in its own drep: Samba's server
     *                  answers little-endian whatever the request's byte order)
     * @param request   the request stub, exactly as sent; before a verification trailer, with the zero padding
     *                  that aligns the trailer to 4
     * @param trailer   the request's verification trailer (MS-RPCE 2.2.2.13), or {@code null}
     * @param response  the response stub, or {@code null} for a fault
     * @param fault     the fault's status, or {@code null}
     */
    public record Exchange(String label, int opnum, TransferSyntax syntax, boolean bigEndian, byte[] request,
                           byte[] trailer, byte[] response, Integer fault) {
        /** Where the exchange is in its file, for messages. */
        public String name() {
            return label + " (opnum " + opnum + ", " + syntax + (bigEndian ? ", big-endian" : "") + ")";
        }
    }

    /** The exchange with this label, in this syntax and byte order. */
    public Optional<Exchange> find(String label, TransferSyntax syntax, boolean bigEndian) {
        return exchanges.stream().filter(x -> x.label.equals(label) && x.syntax == syntax && x.bigEndian == bigEndian)
                .findFirst();
    }

    /** The little-endian NDR20 exchange with this label; fails when there is none. */
    public Exchange get(String label) {
        return find(label, TransferSyntax.NDR20, false)
                .orElseThrow(() -> new AssertionError(resource + " has no exchange " + label));
    }

    /** Reads a capture file from the test resources; fails on a malformed line. */
    public static SambaCapture load(String resource) {
        String path = "/dev/weft/interfaces/" + resource;
        try (InputStream in = SambaCapture.class.getResourceAsStream(path)) {
            if (in == null) throw new AssertionError("no capture " + path + " (tools/interop/capture-samba.sh records it)");
            return read(resource, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a capture file from {@code dir/resource} (the capture script's output directory). */
    public static SambaCapture load(java.nio.file.Path dir, String resource) {
        try (InputStream in = java.nio.file.Files.newInputStream(dir.resolve(resource))) {
            return read(resource, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SambaCapture read(String resource, InputStream in) throws IOException {
        String path = resource;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        SyntaxId id = null;
        String title = null;
        Map<String, String[]> requests = new LinkedHashMap<>();
        Map<String, byte[]> trailers = new LinkedHashMap<>();
        List<Exchange> exchanges = new ArrayList<>();
        int n = 0;
        for (String line; (line = r.readLine()) != null; ) {
            n++;
            if (line.isBlank()) continue;
            if (line.startsWith("#")) {
                if (title == null) title = line.substring(1).strip();
                continue;
            }
            String[] f = line.split(" ", -1);   // an empty stub leaves the last field empty
            if (f[0].equals("interface") && f.length == 3) {
                String[] v = f[2].split("\\.");
                id = new SyntaxId(Uuid.parse(f[1]), Integer.parseInt(v[0]), Integer.parseInt(v[1]));
                continue;
            }
            if (f.length != 6) throw new AssertionError(path + ":" + n + ": " + f.length + " fields");
            String key = f[0] + " " + f[2] + " " + f[3];
            switch (f[4]) {
                case "request" -> {
                    if (requests.put(key, f) != null) throw new AssertionError(path + ":" + n + ": " + key + " twice");
                }
                case "verification-trailer" -> trailers.put(key, HEX.parseHex(f[5]));
                case "response", "fault" -> {
                    String[] q = requests.get(key);
                    if (q == null) throw new AssertionError(path + ":" + n + ": an answer without its request");
                    TransferSyntax syntax = switch (f[2]) {
                        case "ndr" -> TransferSyntax.NDR20;
                        case "ndr64" -> TransferSyntax.NDR64;
                        default -> throw new AssertionError(path + ":" + n + ": syntax " + f[2]);
                    };
                    // drep byte 0: 0x10 little-endian, 0x00 big-endian (C706 14.1); the rest is ASCII, IEEE.
                    boolean bigEndian = switch (f[3]) {
                        case "10000000" -> false;
                        case "00000000" -> true;
                        default -> throw new AssertionError(path + ":" + n + ": drep " + f[3]);
                    };
                    boolean fault = f[4].equals("fault");
                    exchanges.add(new Exchange(f[0], Integer.parseInt(f[1]), syntax, bigEndian, HEX.parseHex(q[5]),
                            trailers.get(key), fault ? null : HEX.parseHex(f[5]),
                            fault ? Integer.parseUnsignedInt(f[5], 16) : null));
                }
                default -> throw new AssertionError(path + ":" + n + ": " + f[4]);
            }
        }
        if (id == null) throw new AssertionError(path + " names no interface");
        if (exchanges.size() != requests.size()) throw new AssertionError(path + ": a request without its answer");
        return new SambaCapture(resource, id, title, List.copyOf(exchanges));
    }
}
