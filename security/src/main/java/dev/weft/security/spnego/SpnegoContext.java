package dev.weft.security.spnego;

import dev.weft.security.Identity;
import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import java.util.List;

/**
 * What the SPNEGO client and server share: the negotiated inner context, to which every message operation is
 * delegated once the negotiation is complete, and the mechListMIC helpers (RFC 4178 section 5).
 */
abstract sealed class SpnegoContext implements SecurityContext permits SpnegoClientContext, SpnegoServerContext {

    SecurityContext inner;
    String mechanism;
    byte[] mechTypesDer;
    private volatile boolean complete;

    final void completed() {
        complete = true;
    }

    final void requireIncomplete() {
        if (complete) throw new IllegalStateException("the SPNEGO context is already established");
    }

    /** GetMIC of the inner mechanism over the MechTypeList DER. */
    final byte[] mechListMic() {
        return inner.sign(List.of(Region.data(mechTypesDer.clone())));
    }

    /** Checks the peer's mechListMIC; a missing or wrong one is a downgrade attempt. */
    final void checkMechListMic(byte[] mic) {
        if (mic == null) throw new SecurityContextException(Reason.MESSAGE_ALTERED, "mechListMIC missing");
        inner.verify(List.of(Region.data(mechTypesDer.clone())), mic);
    }

    @Override
    public final int authType() {
        return SpnegoProvider.AUTH_TYPE;
    }

    @Override
    public final boolean isComplete() {
        return complete;
    }

    private SecurityContext established() {
        if (!complete) throw new IllegalStateException("the SPNEGO context is not established yet");
        return inner;
    }

    /** The OID of the negotiated mechanism; only once complete. */
    public final String mechanism() {
        established();
        return mechanism;
    }

    @Override
    public final Protection negotiatedProtection() {
        return established().negotiatedProtection();
    }

    @Override
    public final Identity identity() {
        return established().identity();
    }

    @Override
    public final byte[] sessionKey() {
        return established().sessionKey();
    }

    @Override
    public final int signatureLength() {
        return established().signatureLength();
    }

    @Override
    public final int signatureLength(boolean sealing) {
        return established().signatureLength(sealing);
    }

    @Override
    public final byte[] sign(List<Region> regions) {
        return established().sign(regions);
    }

    @Override
    public final void verify(List<Region> regions, byte[] signature) {
        established().verify(regions, signature);
    }

    @Override
    public final byte[] seal(List<Region> regions) {
        return established().seal(regions);
    }

    @Override
    public final void unseal(List<Region> regions, byte[] signature) {
        established().unseal(regions, signature);
    }
}
