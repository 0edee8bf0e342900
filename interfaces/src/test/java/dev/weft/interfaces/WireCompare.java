package dev.weft.interfaces;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.TransferSyntax;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How Weft's bytes are compared with a peer's, and values with values.
 *
 * <p>Stub bytes are compared exactly, but for pointer representations, which C706 14.3.10 leaves to the sender
 * (only "0 is null" and, for full pointers, equality mean anything: RPCE-FACTS §10.6). Samba's NDR differs from
 * Weft's there in ways the captures show:
 * <ul>
 *   <li>Samba's server numbers the pointers of a response on from those of the request it answers (its reply
 *       carries the request's pointer count over), so after a request with three non-null pointers its first is
 *       0x0002000c; Weft starts every stub at 0x00020000. Within one stub the difference is one constant;</li>
 *   <li>Samba numbers full ({@code [ptr]}) pointers 1, 2, 3 ..., in a response too on from the request's (ept_map:
 *       the request's tower is 1, the response's first tower 2), and Weft as unique ones;</li>
 *   <li>Samba writes an embedded {@code [ref]} pointer as 0xAEF1AEF1 without counting it (RPCE-FACTS §10.6), Weft
 *       as the next id; none of the captured stubs has one, but the rule allows it: after one, Weft's ids run one
 *       step ahead.</li>
 * </ul>
 * So a word (4 bytes aligned 4 in NDR20, 8 aligned 8 in NDR64) may differ only where Weft's is one of its ids
 * (0x0002xxxx, a multiple of 4) and the peer's is its id plus the stub's constant, a full-pointer number (rising),
 * or the ref placeholder.
 *
 * <p>Failures are {@link AssertionError}s; the class needs no JUnit, so the capture script's replay server
 * ({@link SambaReplayServer}) uses it too.
 */
public final class WireCompare {
    private static final HexFormat HEX = HexFormat.of();
    private static final long REF_PLACEHOLDER = 0xAEF1AEF1L;

    private WireCompare() {
    }

    /** {@code weft} is {@code peer} but for pointer values, as the class comment says. */
    public static void assertSameButReferentIds(String what, byte[] peer, byte[] weft, TransferSyntax syntax) {
        String both = "\n peer " + HEX.formatHex(peer) + "\n weft " + HEX.formatHex(weft);
        if (peer.length != weft.length) fail(what + ": " + peer.length + " bytes, Weft's " + weft.length + both);
        int size = syntax == TransferSyntax.NDR64 ? 8 : 4;
        ByteBuffer p = ByteBuffer.wrap(peer).order(ByteOrder.LITTLE_ENDIAN), w = ByteBuffer.wrap(weft).order(ByteOrder.LITTLE_ENDIAN);
        Long delta = null;   // the peer's id minus Weft's, one constant per stub
        long lastFull = 0;
        int i = 0;
        for (; i + size <= peer.length; i += size) {
            long a = size == 8 ? p.getLong(i) : p.getInt(i) & 0xFFFFFFFFL;
            long b = size == 8 ? w.getLong(i) : w.getInt(i) & 0xFFFFFFFFL;
            if (a == b) continue;
            if (!isReferentId(b)) fail(what + ": the word at byte " + i + " differs, and Weft's is no referent id" + both);
            if (isReferentId(a)) {
                if (delta == null) delta = a - b;
                if (a - b != delta) fail(what + ": referent ids at byte " + i + " differ by " + (a - b) + ", not " + delta + both);
            } else if (a == REF_PLACEHOLDER) {
                if (delta != null) delta -= 4;   // Weft counted this pointer, the peer did not
            } else if (a > lastFull && a < 0x10000) {
                lastFull = a;                     // the peer's full pointers: 1, 2, 3 ...
            } else {
                fail(what + ": the word at byte " + i + " differs, and not as a pointer value" + both);
            }
        }
        for (; i < peer.length; i++) {
            if (peer[i] != weft[i]) fail(what + ": byte " + i + " differs" + both);
        }
    }

    private static boolean isReferentId(long v) {
        return (v & ~0xFFFFL) == 0x00020000L && (v & 3) == 0;
    }

    /** A value as text: records and lists recursively, byte arrays as hex; equal text is the equality tests need. */
    public static String render(Object v) {
        return render(v, false);
    }

    /** As {@link #render(Object)}, with every context handle written as {@code handle}: values of another run. */
    public static String renderWithoutHandles(Object v) {
        return render(v, true);
    }

    private static String render(Object v, boolean maskHandles) {
        if (v == null) return "null";
        if (maskHandles && v instanceof ContextHandle) return "handle";
        if (v instanceof byte[] b) return "0x" + HEX.formatHex(b);
        if (v instanceof short[] s) return Arrays.toString(s);
        if (v instanceof int[] s) return Arrays.toString(s);
        if (v instanceof long[] s) return Arrays.toString(s);
        if (v instanceof char[] s) return Arrays.toString(s);
        if (v instanceof Object[] a) return render(Arrays.asList(a), maskHandles);
        if (v instanceof List<?> l) return l.stream().map(x -> render(x, maskHandles)).collect(Collectors.joining(", ", "[", "]"));
        if (v instanceof Record rec) {
            StringBuilder sb = new StringBuilder(rec.getClass().getSimpleName()).append('(');
            for (RecordComponent c : rec.getClass().getRecordComponents()) {
                try {
                    sb.append(c.getName()).append('=').append(render(c.getAccessor().invoke(rec), maskHandles)).append(' ');
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return sb.append(')').toString();
        }
        return v.toString();
    }

    /** Equal values, as text, with a message. */
    public static void assertSameValues(String what, Object expected, Object actual) {
        String e = render(expected), a = render(actual);
        if (!e.equals(a)) fail(what + "\n expected " + e + "\n actual   " + a);
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }
}
