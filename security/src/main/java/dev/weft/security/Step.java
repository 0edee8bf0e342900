package dev.weft.security;

/**
 * The outcome of one {@link SecurityContext#step} (GSS_Init_sec_context / GSS_Accept_sec_context): either more legs
 * follow, or the context is established. Either may carry a token for the peer.
 */
public sealed interface Step {

    /** The token to send, or an empty array when there is none. */
    byte[] token();

    /** Whether a token must go to the peer. */
    default boolean hasToken() {
        return token().length > 0;
    }

    /** Send {@code token}; the peer's answer is the input of the next step. */
    record Continue(byte[] token) implements Step {
        public Continue {
            if (token == null) throw new NullPointerException("token");
        }
    }

    /** The context is established; {@code token} (possibly empty) is the last one to send. */
    record Complete(byte[] token) implements Step {
        public Complete {
            if (token == null) throw new NullPointerException("token");
        }
    }
}
