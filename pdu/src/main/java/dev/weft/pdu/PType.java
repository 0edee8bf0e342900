package dev.weft.pdu;

/**
 * PDU type numbers, the {@code PTYPE} byte at offset 2 of every header (C706 chapter 12, table "RPC Protocol Data
 * Units"; MS-RPCE 2.2.2.10 adds rpc_auth_3; MS-RPCH 2.2.3.6.1 adds rts). Numbers 1 and 4 to 10 belong to the
 * connectionless protocol and never appear on a connection; {@link PduCodec} rejects them.
 */
public final class PType {
    public static final int REQUEST = 0;
    public static final int PING = 1;
    public static final int RESPONSE = 2;
    public static final int FAULT = 3;
    public static final int WORKING = 4;
    public static final int NOCALL = 5;
    public static final int REJECT = 6;
    public static final int ACK = 7;
    public static final int CL_CANCEL = 8;
    public static final int FACK = 9;
    public static final int CANCEL_ACK = 10;
    public static final int BIND = 11;
    public static final int BIND_ACK = 12;
    public static final int BIND_NAK = 13;
    public static final int ALTER_CONTEXT = 14;
    public static final int ALTER_CONTEXT_RESP = 15;
    public static final int RPC_AUTH_3 = 16;
    public static final int SHUTDOWN = 17;
    public static final int CO_CANCEL = 18;
    public static final int ORPHANED = 19;
    public static final int RTS = 20;

    private PType() {
    }

    /** The spec name of a PTYPE value, or {@code "ptype(n)"} for an unknown one. */
    public static String name(int ptype) {
        return switch (ptype) {
            case REQUEST -> "request";
            case PING -> "ping";
            case RESPONSE -> "response";
            case FAULT -> "fault";
            case WORKING -> "working";
            case NOCALL -> "nocall";
            case REJECT -> "reject";
            case ACK -> "ack";
            case CL_CANCEL -> "cl_cancel";
            case FACK -> "fack";
            case CANCEL_ACK -> "cancel_ack";
            case BIND -> "bind";
            case BIND_ACK -> "bind_ack";
            case BIND_NAK -> "bind_nak";
            case ALTER_CONTEXT -> "alter_context";
            case ALTER_CONTEXT_RESP -> "alter_context_resp";
            case RPC_AUTH_3 -> "rpc_auth_3";
            case SHUTDOWN -> "shutdown";
            case CO_CANCEL -> "co_cancel";
            case ORPHANED -> "orphaned";
            case RTS -> "rts";
            default -> "ptype(" + ptype + ")";
        };
    }
}
