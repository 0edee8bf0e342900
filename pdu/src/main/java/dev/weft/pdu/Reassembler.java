package dev.weft.pdu;

import java.util.ArrayList;

/**
 * Joins request fragments into whole requests for one connection, with Windows' rules (RPCE-FACTS §8, §3.1):
 *
 * <ul>
 *   <li>Only one fragmented request may be arriving at a time, even with PFC_CONC_MPX: a fragment of another call
 *       while one is in progress, a fragment without FIRST while none is, or a new FIRST for the call in progress
 *       is fault {@code nca_s_proto_error} and disconnect.</li>
 *   <li>The {@code alloc_hint} of a FIRST fragment that is not also LAST above the request limit (4 MiB by default,
 *       MS-RPCE 3.3.3.5.4), or a total stub
 *       above it, is fault 0x5 (access denied) and disconnect; so is exceeding the fragment-count limit.</li>
 *   <li>A FIRST fragment with PFC_PENDING_CANCEL is fault {@code RPC_S_NO_CALL_ACTIVE} and disconnect.</li>
 *   <li>The p_cont_id and opnum of later fragments are ignored: the call is the one its first fragment names, as
 *       Windows and Samba run it (Samba's raw_protocol ntlmssp_multi_auth_first1_lastSame111; RPCE-FACTS §8 says
 *       proto_error, which neither peer does).</li>
 * </ul>
 *
 * <p>Memory grows only with the bytes actually received ({@code alloc_hint} sizes nothing): the fragments' stubs
 * are kept as they were decoded and copied once, into an array of the exact total, when the last one arrives. A
 * request in one fragment is not copied at all. Verifiers are per fragment and are expected to have been checked (and padding removed) before
 * {@link #add(Request)}; the whole request it returns carries none.
 *
 * <p>One reassembler belongs to one connection's reader thread; it is not safe for concurrent use.
 */
public final class Reassembler {

    /** MS-RPCE 3.3.3.5.4: servers SHOULD limit requests to 4 MB. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 4 * 1024 * 1024;
    /** Default limit on fragments per request; 4 MiB in 2048-byte fragments needs about 2100. */
    public static final int DEFAULT_MAX_FRAGMENTS = 8192;

    private final int maxRequestSize;
    private final int maxFragments;

    private Request first; // the in-progress call's first fragment, or null
    private final ArrayList<byte[]> parts = new ArrayList<>();
    private int length;
    private int fragments;

    /** A reassembler with the Windows defaults. */
    public Reassembler() {
        this(DEFAULT_MAX_REQUEST_SIZE, DEFAULT_MAX_FRAGMENTS);
    }

    /**
     * @param maxRequestSize the largest whole request stub accepted
     * @param maxFragments   the most fragments one request may have
     */
    public Reassembler(int maxRequestSize, int maxFragments) {
        if (maxRequestSize < 0 || maxFragments < 1) throw new IllegalArgumentException("limits");
        this.maxRequestSize = maxRequestSize;
        this.maxFragments = maxFragments;
    }

    /**
     * Adds one request fragment.
     *
     * @return the whole request (FIRST|LAST, {@code alloc_hint} = stub length, no verifier) once its last fragment
     *         arrived, else {@code null}
     * @throws ProtocolException on a violation; the partial call is dropped
     */
    public Request add(Request fragment) {
        try {
            return first == null ? start(fragment) : proceed(fragment);
        } catch (ProtocolException e) {
            reset();
            throw e;
        }
    }

    private Request start(Request f) {
        if (!PfcFlags.has(f.flags(), PfcFlags.FIRST_FRAG)) {
            throw ProtocolException.protoError("request fragment without FIRST while no call is in progress");
        }
        if (PfcFlags.has(f.flags(), PfcFlags.PENDING_CANCEL)) {
            throw ProtocolException.faultAndDisconnect(FaultStatus.RPC_S_NO_CALL_ACTIVE,
                    "first request fragment with PFC_PENDING_CANCEL");
        }
        if (f.stub().length > maxRequestSize) throw tooBig("stub of " + f.stub().length + " bytes");
        // A whole request in one fragment: its alloc_hint announces nothing, and Windows ignores it (Samba's
        // raw_protocol test_alloc_hint sends 0xffffffff and gets a response).
        if (PfcFlags.has(f.flags(), PfcFlags.LAST_FRAG)) return whole(f, f.stub());
        if (Integer.compareUnsigned(f.allocHint(), maxRequestSize) > 0) {
            throw tooBig("alloc_hint " + Integer.toUnsignedString(f.allocHint()));
        }
        parts.add(f.stub());
        length = f.stub().length;
        fragments = 1;
        first = f;
        return null;
    }

    private Request proceed(Request f) {
        if (f.callId() != first.callId()) {
            throw ProtocolException.protoError("fragment of call " + f.callId() + " while call " + first.callId()
                    + " is still arriving");
        }
        if (PfcFlags.has(f.flags(), PfcFlags.FIRST_FRAG)) {
            throw ProtocolException.protoError("new FIRST fragment for call " + f.callId() + " in progress");
        }
        if (++fragments > maxFragments) throw tooBig(fragments + " fragments");
        int n = f.stub().length;
        if (n > maxRequestSize - length) throw tooBig((long) length + n + " bytes");
        parts.add(f.stub());
        length += n;
        if (!PfcFlags.has(f.flags(), PfcFlags.LAST_FRAG)) return null;
        byte[] stub = new byte[length];
        int off = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, stub, off, part.length);
            off += part.length;
        }
        Request whole = whole(first, stub);
        reset();
        return whole;
    }

    private static Request whole(Request first, byte[] stub) {
        return new Request(first.flags() | PfcFlags.FIRST_AND_LAST, first.drep(), first.callId(), stub.length,
                first.contextId(), first.opnum(), first.object(), stub, null);
    }

    private ProtocolException tooBig(String what) {
        return ProtocolException.faultAndDisconnect(FaultStatus.ERROR_ACCESS_DENIED,
                "request over the limit (" + maxRequestSize + " bytes, " + maxFragments + " fragments): " + what);
    }

    /** Whether a fragmented request is partly received. */
    public boolean inProgress() {
        return first != null;
    }

    /** The call id of the request being received; meaningful only when {@link #inProgress()}. */
    public int inProgressCallId() {
        return first == null ? 0 : first.callId();
    }

    /** Drops the partial request of {@code callId} (for orphaned or co_cancel); returns whether there was one. */
    public boolean discard(int callId) {
        if (first == null || first.callId() != callId) return false;
        reset();
        return true;
    }

    /** Bytes currently held for the partial request (tests check that alloc_hint never sizes this). */
    int capacity() {
        return length;
    }

    /** Drops any partial request. */
    public void reset() {
        first = null;
        parts.clear();
        length = 0;
        fragments = 0;
    }
}
