package dev.weft.pdu;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads exactly one fragment at a time from a blocking stream (C706 12.6 framing by {@code frag_length}). It reads
 * the 16-byte header, checks it (version 5.0, {@code 16 ≤ frag_length ≤ maxFragment}, room for the sec_trailer
 * when {@code auth_length} is set; RPCE-FACTS §15) before allocating, then reads the rest of the fragment and not a
 * byte more, so the next fragment stays in the stream. Any split of the input, down to one byte per read, gives the
 * same fragments.
 *
 * <p>One framer belongs to one connection's reader thread; it is not safe for concurrent use.
 */
public final class Framer {

    /** Windows' and Samba's receive limit on ncacn_ip_tcp (RPCE-FACTS §8). */
    public static final int DEFAULT_MAX_FRAGMENT = FragmentSize.TCP_TRANSPORT_MAX;

    private final InputStream in;
    private final int maxFragment;
    private int lastCallId;
    private final byte[] header = new byte[PduHeader.SIZE];

    /** A framer with the default maximum fragment, 5840 bytes. */
    public Framer(InputStream in) {
        this(in, DEFAULT_MAX_FRAGMENT);
    }

    /**
     * A framer that rejects fragments longer than {@code maxFragment} (at least 16, at most 65535) with fault
     * proto_error and disconnect, as Samba does for its transport limit.
     */
    public Framer(InputStream in, int maxFragment) {
        if (in == null) throw new NullPointerException("in");
        if (maxFragment < PduHeader.SIZE || maxFragment > PduCodec.MAX_FRAGMENT) {
            throw new IllegalArgumentException("maxFragment " + maxFragment);
        }
        this.in = in;
        this.maxFragment = maxFragment;
    }

    /**
     * The call_id of the last header read, also when {@link #readFragment} refused it: Windows answers a fragment
     * longer than the limit with a fault that names its call (Samba's raw_protocol test_neg_xmit_*).
     */
    public int lastCallId() {
        return lastCallId;
    }

    /**
     * Reads the next fragment, exactly {@code frag_length} bytes.
     *
     * @return the fragment, or {@code null} when the stream ended cleanly before its first byte
     * @throws ProtocolException when the header is invalid, or with a {@link ProtocolException.Answer.Disconnect}
     *                           answer when the stream ends inside a fragment
     * @throws IOException       when the stream fails
     */
    public byte[] readFragment() throws IOException {
        int first = in.read(header, 0, PduHeader.SIZE);
        if (first < 0) return null;
        readFully(header, first, PduHeader.SIZE - first);
        PduHeader h = PduHeader.parse(header, 0);
        lastCallId = h.callId();
        h.validate(maxFragment);
        int length = h.fragLength();
        if (length > DEFAULT_MAX_FRAGMENT) return readLong(length);
        byte[] fragment = new byte[length]; // at most the transport's 5840 for 16 bytes received
        System.arraycopy(header, 0, fragment, 0, PduHeader.SIZE);
        readFully(fragment, PduHeader.SIZE, fragment.length - PduHeader.SIZE);
        return fragment;
    }

    /**
     * A fragment longer than the transport's 5840 (a framer that reads up to 65535 to answer an over-long fragment
     * with a fault naming its call): its buffer grows as its bytes arrive, doubling, so a 16-byte header claiming
     * 65535 bytes does not make the reader hold 64 KiB until a timeout ends it.
     */
    private byte[] readLong(int length) throws IOException {
        byte[] fragment = new byte[DEFAULT_MAX_FRAGMENT];
        System.arraycopy(header, 0, fragment, 0, PduHeader.SIZE);
        int have = PduHeader.SIZE;
        while (have < length) {
            if (have == fragment.length) fragment = Arrays.copyOf(fragment, Math.min(length, 2 * fragment.length));
            int n = in.read(fragment, have, fragment.length - have);
            if (n < 0) throw ProtocolException.disconnect("end of stream inside a fragment");
            have += n;
        }
        return fragment;
    }

    /**
     * Reads and decodes the next fragment.
     *
     * @return the PDU, or {@code null} at a clean end of stream
     */
    public Pdu readPdu() throws IOException {
        byte[] fragment = readFragment();
        return fragment == null ? null : PduCodec.decode(fragment);
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) throw ProtocolException.disconnect("end of stream inside a fragment");
            off += n;
            len -= n;
        }
    }
}
