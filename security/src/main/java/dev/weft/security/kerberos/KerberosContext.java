package dev.weft.security.kerberos;

import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import java.util.List;

/**
 * What the Kerberos initiator and acceptor share once established: the per-message tokens of the context key's
 * encryption type ({@link MessageTokens}) over the PDU regions. Each side sets {@link #established} when its last
 * leg has been checked.
 */
abstract sealed class KerberosContext implements SecurityContext permits KerberosClientContext, KerberosServerContext {

    private volatile MessageTokens tokens;
    private volatile int keyType;

    @Override
    public final int authType() {
        return KerberosProvider.AUTH_TYPE;
    }

    /** Marks the context established with these per-message tokens, made for a key of {@code keyType}. */
    final void established(MessageTokens tokens, int keyType) {
        this.keyType = keyType;
        this.tokens = tokens;
    }

    /** The per-message tokens; fails before the context is established. */
    final MessageTokens established() {
        MessageTokens t = tokens;
        if (t == null) throw new IllegalStateException("the Kerberos context is not established yet");
        return t;
    }

    /** Fails once established: a context steps no further. */
    final void requireIncomplete() {
        if (tokens != null) throw new IllegalStateException("the Kerberos context is already established");
    }

    /** The encryption type of the context key (18, 17 or 23), which chose the per-message tokens. */
    final int keyType() {
        established();
        return keyType;
    }

    @Override
    public final boolean isComplete() {
        return tokens != null;
    }

    /**
     * A sealed PDU carries a wrap token, a signed one a MIC: 76 and 28 bytes with AES (DCE style), 45 and 37 with
     * RC4-HMAC.
     */
    @Override
    public final int signatureLength(boolean sealing) {
        return sealing ? established().wrapLength() : established().micLength();
    }

    @Override
    public final byte[] sign(List<Region> regions) {
        return established().getMic(regions);
    }

    @Override
    public final void verify(List<Region> regions, byte[] signature) {
        established().verifyMic(regions, signature);
    }

    @Override
    public final byte[] seal(List<Region> regions) {
        return established().wrap(regions);
    }

    @Override
    public final void unseal(List<Region> regions, byte[] signature) {
        established().unwrap(regions, signature);
    }
}
