package dev.weft.security.kerberos;

import dev.weft.security.Protection;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityProvider;
import java.util.Objects;

/**
 * Kerberos (RFC 4120/4121, MS-KILE) for RPC: auth_type 16 (RPC_C_AUTHN_GSS_KERBEROS) on its own, or inside SPNEGO
 * under {@link #OID}. The JDK's JGSS obtains the tickets and makes the AP-REQ and checks the AP-REP; Weft reads the
 * keys and sequence numbers out of them and makes the RFC 4121 per-message tokens itself, because JGSS cannot
 * sign a header it does not encrypt (MS-RPCE header signing).
 *
 * <p>Client only so far, AES enctypes only, always DCE style (three legs; see {@link KerberosClientContext}).
 */
public final class KerberosProvider implements SecurityProvider {

    /** RPC_C_AUTHN_GSS_KERBEROS. */
    public static final int AUTH_TYPE = 16;
    /** The Kerberos V5 GSS-API mechanism (RFC 1964). */
    public static final String OID = ApMessages.KRB5_OID;

    private final KerberosCredentials credentials;

    private KerberosProvider(KerberosCredentials credentials) {
        this.credentials = credentials;
    }

    /** A client provider. */
    public static KerberosProvider client(KerberosCredentials credentials) {
        return new KerberosProvider(Objects.requireNonNull(credentials, "credentials"));
    }

    @Override
    public int authType() {
        return AUTH_TYPE;
    }

    @Override
    public String name() {
        return "Kerberos";
    }

    /**
     * @param targetName the service principal, {@code service/host} (e.g. {@code host/dc.example.com}), with or
     *                   without {@code @REALM}; required
     */
    @Override
    public SecurityContext newClientContext(Protection protection, String targetName) {
        if (targetName == null || targetName.isEmpty()) {
            throw new IllegalArgumentException("Kerberos needs the server's principal name as the target name");
        }
        return new KerberosClientContext(credentials, protection, targetName);
    }

    @Override
    public SecurityContext newServerContext() {
        throw new IllegalStateException("the Kerberos acceptor is not implemented yet (spike: client only)");
    }
}
