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
 * <p>AES and RC4-HMAC ({@link EncryptionType}). The client always speaks DCE style (three legs; see {@link KerberosClientContext}); the
 * server ({@link KerberosServerContext}, keys from a keytab) takes both DCE style and the ordinary two legs.
 */
public final class KerberosProvider implements SecurityProvider {

    /** RPC_C_AUTHN_GSS_KERBEROS. */
    public static final int AUTH_TYPE = 16;
    /** The Kerberos V5 GSS-API mechanism (RFC 1964). */
    public static final String OID = ApMessages.KRB5_OID;
    /**
     * The Microsoft OID for the same mechanism, which Windows and Samba initiators offer first in SPNEGO; a server
     * lists Kerberos under both (see {@link dev.weft.security.spnego.SpnegoProvider}).
     */
    public static final String MS_OID = ApMessages.MS_KRB5_OID;

    private final KerberosCredentials credentials;
    private final ServiceKeys serviceKeys;

    private KerberosProvider(KerberosCredentials credentials, ServiceKeys serviceKeys) {
        this.credentials = credentials;
        this.serviceKeys = serviceKeys;
    }

    /** A client provider. */
    public static KerberosProvider client(KerberosCredentials credentials) {
        return new KerberosProvider(Objects.requireNonNull(credentials, "credentials"), null);
    }

    /** A server provider: accepts tickets for the service whose keys these are (see {@link ServiceKeys#keytab}). */
    public static KerberosProvider server(ServiceKeys keys) {
        return new KerberosProvider(null, Objects.requireNonNull(keys, "keys"));
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
        if (credentials == null) throw new IllegalStateException("a server provider has no client credentials");
        if (targetName == null || targetName.isEmpty()) {
            throw new IllegalArgumentException("Kerberos needs the server's principal name as the target name");
        }
        return new KerberosClientContext(credentials, protection, targetName);
    }

    @Override
    public SecurityContext newServerContext() {
        if (serviceKeys == null) throw new IllegalStateException("a client provider has no service keys");
        return new KerberosServerContext(serviceKeys);
    }
}
