package dev.weft.security.ntlm;

import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import java.util.List;

/**
 * What NTLM client and server contexts share once established: the negotiated flags, the ExportedSessionKey and the
 * {@link NtlmSession} that signs and seals. The handshake itself runs on one thread (the connection's); the fields
 * it sets are published through the volatile {@code session}/{@code complete} writes.
 */
abstract sealed class NtlmContext implements SecurityContext permits NtlmClientContext, NtlmServerContext {

    /** RPC_C_AUTHN_WINNT. */
    static final int AUTH_TYPE = 10;

    private volatile boolean complete;
    private volatile NtlmSession session; // null for anonymous
    private int flags;
    private byte[] exportedSessionKey;
    private Identity identity;
    private boolean micSent;

    /** Records the outcome of the handshake. {@code key} is null for an anonymous context. */
    final void established(int negotiatedFlags, byte[] key, Identity who, boolean client, boolean mic) {
        this.flags = negotiatedFlags;
        this.exportedSessionKey = key;
        this.identity = who;
        this.micSent = mic;
        this.session = key == null ? null : new NtlmSession(key, negotiatedFlags, client);
        this.complete = true;
    }

    final void requireIncomplete() {
        if (complete) throw new IllegalStateException("the NTLM context is already established");
    }

    @Override
    public final int authType() {
        return AUTH_TYPE;
    }

    @Override
    public final boolean isComplete() {
        return complete;
    }

    /** The flags both sides agreed on (MS-NLMP NegFlg); only once complete. */
    final int negotiatedFlags() {
        requireComplete();
        return flags;
    }

    @Override
    public final Protection negotiatedProtection() {
        requireComplete();
        if (session == null) return Protection.AUTHENTICATION;
        if (NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_SEAL)) return Protection.CONFIDENTIALITY;
        return NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_SIGN) ? Protection.INTEGRITY : Protection.AUTHENTICATION;
    }

    @Override
    public final Identity identity() {
        requireComplete();
        return identity;
    }

    @Override
    public final byte[] sessionKey() {
        requireComplete();
        return exportedSessionKey == null ? new byte[16] : exportedSessionKey.clone();
    }

    @Override
    public final int signatureLength() {
        return NtlmSession.SIGNATURE_LENGTH;
    }

    @Override
    public final byte[] sign(List<Region> regions) {
        return session().sign(regions);
    }

    @Override
    public final void verify(List<Region> regions, byte[] signature) {
        session().verify(regions, signature);
    }

    @Override
    public final byte[] seal(List<Region> regions) {
        return session().seal(regions);
    }

    @Override
    public final void unseal(List<Region> regions, byte[] signature) {
        session().unseal(regions, signature);
    }

    @Override
    public final void resetCryptoAfterMechListMic() {
        NtlmSession s = session;
        if (s != null && micSent) s.reset();
    }

    private NtlmSession session() {
        requireComplete();
        NtlmSession s = session;
        if (s == null) {
            throw new SecurityContextException(SecurityContextException.Reason.UNSUPPORTED,
                    "an anonymous NTLM context has no session key to sign or seal with");
        }
        return s;
    }

    private void requireComplete() {
        if (!complete) throw new IllegalStateException("the NTLM context is not established yet");
    }
}
