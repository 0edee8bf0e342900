package dev.weft.pdu;

import dev.weft.ndr.SyntaxId;

/**
 * The answer to one context element in a bind_ack or alter_context_resp, C706's {@code p_result_t}: a result, a
 * provider reason (or, for {@link #NEGOTIATE_ACK}, the accepted feature bitmask of MS-RPCE 3.3.1.5.3) and the
 * accepted transfer syntax ({@link SyntaxId#NONE} when rejected or for negotiate_ack).
 */
public record ContextResult(int result, int reason, SyntaxId transferSyntax) {

    /** {@code p_cont_def_result_t} acceptance. */
    public static final int ACCEPTANCE = 0;
    /** {@code p_cont_def_result_t} user_rejection. */
    public static final int USER_REJECTION = 1;
    /** {@code p_cont_def_result_t} provider_rejection. */
    public static final int PROVIDER_REJECTION = 2;
    /** MS-RPCE 2.2.2.4: bind time feature negotiation acknowledged; the reason holds the bitmask. */
    public static final int NEGOTIATE_ACK = 3;

    /** {@code p_provider_reason_t} reason_not_specified. */
    public static final int REASON_NOT_SPECIFIED = 0;
    /** {@code p_provider_reason_t} abstract_syntax_not_supported (unknown interface or version). */
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 1;
    /** {@code p_provider_reason_t} proposed_transfer_syntaxes_not_supported. */
    public static final int PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED = 2;
    /** {@code p_provider_reason_t} local_limit_exceeded. */
    public static final int LOCAL_LIMIT_EXCEEDED = 3;

    /** Wire size of a {@code p_result_t}. */
    public static final int SIZE = 24;

    /** Checks that every field fits its wire size; copies lists. */
    public ContextResult {
        if ((result & ~0xFFFF) != 0 || (reason & ~0xFFFF) != 0) throw new IllegalArgumentException("u16 out of range");
        if (transferSyntax == null) throw new NullPointerException("transferSyntax");
    }

    /** The context was accepted with {@code syntax}. */
    public static ContextResult accepted(SyntaxId syntax) {
        return new ContextResult(ACCEPTANCE, REASON_NOT_SPECIFIED, syntax);
    }

    /** The context was rejected by the provider for {@code reason}. */
    public static ContextResult rejected(int reason) {
        return new ContextResult(PROVIDER_REJECTION, reason, SyntaxId.NONE);
    }

    /** Whether the context was accepted. */
    public boolean isAccepted() {
        return result == ACCEPTANCE;
    }
}
