package dev.weft.pdu;

/** Fragment-size facts and the negotiation Windows and Samba perform on bind (RPCE-FACTS §8; C706 Appendix K). */
public final class FragmentSize {
    /** C706 Appendix K MustRecvFragSize for connection-oriented RPC: every peer receives at least this much. */
    public static final int MUST_RECV_FRAG_SIZE = 1432;
    /** Windows and Samba raise any smaller proposal to this value. */
    public static final int MIN_NEGOTIATED = 2048;
    /** Transport maximum of ncacn_ip_tcp (and the usual client proposal). */
    public static final int TCP_TRANSPORT_MAX = 5840;
    /** Transport maximum of ncacn_np. */
    public static final int NP_TRANSPORT_MAX = 4280;

    private FragmentSize() {
    }

    /**
     * The single fragment size a server puts in both bind_ack fields: {@code min(maxXmitFrag, maxRecvFrag)}, raised
     * to 2048, capped at the transport maximum, rounded down to a multiple of 8 (Samba {@code dcesrv_core.c},
     * tested against Windows). A proposal of 3199 gives 3192; a proposal of 1 gives 2048.
     *
     * @param maxXmitFrag  the bind's max_xmit_frag
     * @param maxRecvFrag  the bind's max_recv_frag
     * @param transportMax the server transport's maximum, e.g. {@link #TCP_TRANSPORT_MAX}
     */
    public static int negotiate(int maxXmitFrag, int maxRecvFrag, int transportMax) {
        int v = Math.min(maxXmitFrag, maxRecvFrag);
        v = Math.max(v, MIN_NEGOTIATED);
        v = Math.min(v, transportMax);
        return v & ~7;
    }
}
