package dev.weft.pdu;

/**
 * The one exception family of the PDU layer: a peer broke the protocol (malformed or truncated PDU, a length
 * that contradicts the bytes received, a limit exceeded, fragments out of order). It carries the {@link Answer}
 * that a Windows server gives in the same situation (RPCE-FACTS §3.1, §2.7, §8, §15), so a server maps it to bytes
 * without inspecting the message. A client treats every answer as "drop the connection".
 */
public final class ProtocolException extends RuntimeException {

    /** What a server answers to a violation. Exhaustive: switch over it without {@code default}. */
    public sealed interface Answer {
        /**
         * Send a fault with {@code status} (and {@link PfcFlags#DID_NOT_EXECUTE} when {@code didNotExecute}), then
         * close the connection when {@code disconnect}.
         */
        record SendFault(int status, boolean didNotExecute, boolean disconnect) implements Answer {
        }

        /** Send a bind_nak with this reason, then close the connection, as Windows and Samba do (RPCE-FACTS §2.7). */
        record SendBindNak(int reason) implements Answer {
        }

        /** Close the connection without answering (nothing sensible can be framed). */
        record Disconnect() implements Answer {
        }
    }

    private static final Answer DISCONNECT = new Answer.Disconnect();

    private final transient Answer answer;

    /** A violation whose server-side answer is {@code answer}. */
    public ProtocolException(Answer answer, String message) {
        super(message);
        if (answer == null) throw new NullPointerException("answer");
        this.answer = answer;
    }

    /** What a server sends (or does) in reply. */
    public Answer answer() {
        return answer;
    }

    /** Fault {@code nca_s_proto_error} and disconnect: the default answer to a malformed non-bind PDU. */
    public static ProtocolException protoError(String message) {
        return new ProtocolException(
                new Answer.SendFault(FaultStatus.NCA_S_PROTO_ERROR.code(), false, true), message);
    }

    /** A fault with {@code status}, then disconnect. */
    public static ProtocolException faultAndDisconnect(FaultStatus status, String message) {
        return new ProtocolException(new Answer.SendFault(status.code(), false, true), message);
    }

    /** A fault with {@code status}; the connection stays open. */
    public static ProtocolException fault(FaultStatus status, String message) {
        return new ProtocolException(new Answer.SendFault(status.code(), false, false), message);
    }

    /** bind_nak with {@code reason} (followed by disconnect). */
    public static ProtocolException bindNak(int reason, String message) {
        return new ProtocolException(new Answer.SendBindNak(reason), message);
    }

    /** Close the connection without a reply. */
    public static ProtocolException disconnect(String message) {
        return new ProtocolException(DISCONNECT, message);
    }

    /**
     * The answer Windows gives to a malformed PDU of type {@code ptype}: bind_nak reason 4
     * (PROTOCOL_VERSION_NOT_SPECIFIED, MS-RPCE 2.2.2.5) for a bind, fault proto_error and disconnect otherwise
     * (including alter_context, RPCE-FACTS §2.5).
     */
    public static ProtocolException malformed(int ptype, String message) {
        String m = PType.name(ptype) + ": " + message;
        return switch (ptype) {
            case PType.BIND -> bindNak(RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED, m);
            // Windows marks the fault for a broken alter_context "did not execute" (Samba's raw_protocol
            // test_alter_no_auth_no_ctx); a broken request's fault carries no such flag.
            case PType.ALTER_CONTEXT -> new ProtocolException(
                    new Answer.SendFault(FaultStatus.NCA_S_PROTO_ERROR.code(), true, true), m);
            default -> protoError(m);
        };
    }
}
