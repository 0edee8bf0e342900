package dev.weft.client;

import dev.weft.pdu.AuthLevel;
import dev.weft.security.SecurityProvider;
import java.util.Objects;

/**
 * How a client authenticates its connections (MS-RPCE 3.3.1.5.2): a mechanism with the user's credentials, the
 * auth level every call runs at, and the server's principal name where the mechanism needs one. Equal values (the
 * same provider object, level and target) share one security context per connection.
 *
 * <pre>{@code
 * var auth = new ClientAuth(NtlmProvider.client(NtlmCredentials.password("RPCTEST", "rpcuser", "...")),
 *         AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, null);
 * RpcClient.connect("ncacn_ip_tcp:dc.example.com", ClientOptions.DEFAULT.withAuth(auth));
 * }</pre>
 *
 * @param provider   the mechanism (NTLMSSP, SPNEGO) holding the client's credentials
 * @param level      {@link AuthLevel} CONNECT, PKT, PKT_INTEGRITY or PKT_PRIVACY (CALL is sent as PKT)
 * @param targetName the server's principal ({@code host/dc.example.com}), or {@code null}
 */
public record ClientAuth(SecurityProvider provider, int level, String targetName) {
    /**
     * The sec_trailer {@code auth_context_id} of the security context a bind builds; further contexts on the same
     * connection ({@link RpcClient#withAuth}) take 2, 3, and so on.
     */
    static final int AUTH_CONTEXT_ID = 1;

    public ClientAuth {
        Objects.requireNonNull(provider, "provider");
        if (level < AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT || level > AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY) {
            throw new IllegalArgumentException("auth level " + level + " is not CONNECT..PKT_PRIVACY");
        }
    }
}
