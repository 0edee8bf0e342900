package dev.weft.security.kerberos;

import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import java.util.List;

/**
 * What the Kerberos initiator and acceptor share once established: the RFC 4121 per-message tokens of {@link Cfx}
 * over the PDU regions. Each side sets {@link #established(Cfx)} when its last leg has been checked.
 */
abstract sealed class CfxContext implements SecurityContext permits KerberosClientContext, KerberosServerContext {

    private volatile Cfx cfx;

    @Override
    public final int authType() {
        return KerberosProvider.AUTH_TYPE;
    }

    /** Marks the context established with these per-message tokens. */
    final void established(Cfx tokens) {
        cfx = tokens;
    }

    /** The per-message tokens; fails before the context is established. */
    final Cfx established() {
        Cfx c = cfx;
        if (c == null) throw new IllegalStateException("the Kerberos context is not established yet");
        return c;
    }

    /** Fails once established: a context steps no further. */
    final void requireIncomplete() {
        if (cfx != null) throw new IllegalStateException("the Kerberos context is already established");
    }

    @Override
    public final boolean isComplete() {
        return cfx != null;
    }

    /** A sealed PDU carries a wrap token (76 bytes, DCE style), a signed one a MIC (28 bytes). */
    @Override
    public final int signatureLength(boolean sealing) {
        return sealing ? established().wrapLength() : Cfx.MIC_LENGTH;
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
