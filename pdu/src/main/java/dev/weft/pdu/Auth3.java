package dev.weft.pdu;

/**
 * An rpc_auth_3 (PTYPE 16; MS-RPCE 2.2.2.10): the third authentication leg of NTLMSSP. Four pad bytes (old DCE
 * names: max_xmit_frag, max_recv_frag) precede the sec_trailer; they are sent as zeros and ignored. The server
 * sends no reply. {@code auth} should not be {@code null} (a server rejects an empty auth3), but the codec decodes
 * one so that the server can decide.
 */
public record Auth3(int flags, int drep, int callId, SecTrailer auth) implements Pdu {

    /** Size of header and pad. */
    public static final int HEADER_SIZE = 20;

    /** Checks that every field fits its wire size; copies lists. */
    public Auth3 {
        Fields.checkFlags(flags);
    }

    @Override
    public int ptype() {
        return PType.RPC_AUTH_3;
    }
}
