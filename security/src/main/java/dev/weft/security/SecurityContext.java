package dev.weft.security;

import java.util.List;

/**
 * One end of an authenticated conversation (a GSS-API security context, MS-RPCE 3.3.1.5.2): it steps through the
 * authentication legs, then signs, verifies, seals and unseals messages given as {@link Region}s.
 *
 * <p><b>Order matters.</b> On a connection-oriented transport the per-direction sequence numbers and cipher states
 * (NTLMSSP's RC4) run across all messages, so the sender must protect messages in exactly the order it sends them
 * (protect and write under the connection's write lock), and the receiver must verify them in the order they
 * arrive. Each direction is guarded by its own lock, so one thread may send while another receives.
 *
 * <p>Every failure is a {@link SecurityContextException}; after a failed verify or unseal the receiving
 * direction's state is undefined and the connection must be dropped.
 */
public interface SecurityContext {

    /** The sec_trailer {@code auth_type} of the mechanism. */
    int authType();

    /**
     * Runs one leg. A client starts with an empty input; a server starts with the client's first token.
     *
     * @param input the peer's token
     * @throws SecurityContextException when the token is malformed or authentication fails
     * @throws IllegalStateException    when the context is already complete
     */
    Step step(byte[] input);

    /** Whether the context is established. */
    boolean isComplete();

    /** What the established context can do (INTEGRITY also when only signing was negotiated). */
    Protection negotiatedProtection();

    /** The authenticated peer (server side) or the local user (client side); only once complete. */
    Identity identity();

    /** The session key (NTLMSSP's ExportedSessionKey); only once complete. A copy. */
    byte[] sessionKey();

    /** The length of the token {@link #sign} and {@link #seal} return (16 for NTLMSSP). */
    int signatureLength();

    /**
     * The length of the token {@link #seal} ({@code sealing}) or {@link #sign} returns, for mechanisms whose two
     * tokens differ (Kerberos: a 76-byte wrap token, a 28-byte MIC); the default is {@link #signatureLength()}.
     */
    default int signatureLength(boolean sealing) {
        return signatureLength();
    }

    /** A signature over the regions (GSS_GetMIC over several buffers). */
    byte[] sign(List<Region> regions);

    /**
     * Checks a signature made by the peer's {@link #sign}.
     *
     * @throws SecurityContextException {@link SecurityContextException.Reason#MESSAGE_ALTERED} or
     *                                  {@link SecurityContextException.Reason#OUT_OF_SEQUENCE}
     */
    void verify(List<Region> regions, byte[] signature);

    /** Encrypts the DATA regions in place and returns the signature over the plaintext (GSS_WrapEx). */
    byte[] seal(List<Region> regions);

    /** Decrypts the DATA regions in place and checks the signature (GSS_UnwrapEx). */
    void unseal(List<Region> regions, byte[] signature);

    /**
     * Called by SPNEGO once the mechListMIC has been exchanged (Samba's gensec_may_reset_crypto). NTLMSSP restarts
     * its RC4 streams there (not its sequence numbers: Samba's peers refuse that) when its AUTHENTICATE_MESSAGE
     * carried a MIC; other mechanisms do
     * nothing, which is the default.
     */
    default void resetCryptoAfterMechListMic() {
    }
}
