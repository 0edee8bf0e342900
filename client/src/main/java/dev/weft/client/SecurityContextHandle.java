package dev.weft.client;

import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.PduProtector;
import dev.weft.pdu.Request;
import dev.weft.pdu.SecTrailer;
import dev.weft.security.SecurityContext;

/**
 * One established security context of a client connection (MS-RPCE 3.1.1.1.1 "security context handle"; several
 * per connection with multiplexing, 3.3.1.5.4): the {@code auth_context_id} its requests name, the mechanism's
 * context that holds its keys, and the protector that signs or seals its fragments with its own sequence numbers.
 */
final class SecurityContextHandle {
    /** What a CONNECT-level request carries when it must name its context: Samba's and Windows' 16 zero bytes. */
    private static final int CONNECT_VERIFIER_LENGTH = 16;

    final ClientAuth auth;
    final int authContextId;
    final SecurityContext mechanism;
    /** Replaced (once) when header signing is switched on for the connection after this context was built. */
    private volatile PduProtector protector;
    /** Whether a verification trailer already carried BITMASK_1 under this context (Samba's client: per context). */
    volatile boolean bitmaskSent;

    SecurityContextHandle(ClientAuth auth, int authContextId, SecurityContext mechanism, boolean headerSigning) {
        this.auth = auth;
        this.authContextId = authContextId;
        this.mechanism = mechanism;
        this.protector = new PduProtector(mechanism, auth.level(), authContextId, headerSigning);
    }

    PduProtector protector() {
        return protector;
    }

    void headerSigningOn() {
        protector = protector.withHeaderSigning();
    }

    /** Whether requests and responses carry a signature (PKT and above). */
    boolean protectsPdus() {
        return protector.protectsPdus();
    }

    /**
     * The verifier each request fragment reserves room for. At CONNECT a request carries none, unless the connection
     * holds several contexts: then it MUST name its own (MS-RPCE 3.3.1.5.4), with an unsigned 16-byte auth_value.
     */
    SecTrailer template(boolean named) {
        PduProtector p = protector;
        if (p.protectsPdus()) return p.template();
        return named ? SecTrailer.of(mechanism.authType(), AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT, authContextId,
                new byte[CONNECT_VERIFIER_LENGTH]) : null;
    }

    /** The wire bytes of one request fragment that carries {@link #template}. */
    byte[] protect(Request fragment) {
        PduProtector p = protector;
        return p.protectsPdus() ? p.protect(fragment) : PduCodec.encode(fragment);
    }
}
