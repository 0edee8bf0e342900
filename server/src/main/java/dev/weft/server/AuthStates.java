package dev.weft.server;

import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.PType;
import dev.weft.pdu.SecTrailer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The security contexts of one connection, found by the {@code auth_context_id} of each PDU's sec_trailer
 * (MS-RPCE 3.3.1.5.4, security context multiplexing). Touched by the connection's reader thread only.
 *
 * <p>Windows keeps several contexts on one connection whether or not the bind negotiated
 * SecurityContextMultiplexingSupported (Samba's raw_protocol tests, recorded against Windows: a second context
 * started by alter_context works without the feature bit); what bounds them is a per-connection limit, past
 * which the PDU that would create one more gets fault {@code nca_s_proto_error} and the connection closes. So Weft
 * does the same. The feature bit is still answered in the bind (it tells a client it may multiplex).
 *
 * <p>The rules for which context a PDU is under, as Windows applies them:
 * <ul>
 *   <li>A PDU without auth trailer is under the context the bind carried, or under "no authentication" when the
 *       bind carried none (contexts added later by alter_context must be named); except a request on a connection
 *       whose CONNECT-level context completed while no request has named a context explicitly: that context
 *       (MS-RPCE 3.3.1.5.4: the only context at CONNECT may be left out of requests).</li>
 *   <li>A PDU with one is under the context its {@code auth_context_id} names. On the first fragment of a request,
 *       a different auth_type or auth_level than the context was built with makes that context invalid for good.
 *       Later fragments belong to their call's context whatever their trailer says.</li>
 *   <li>An {@code auth_context_id} not seen before creates a new context (counted against the limit); created by
 *       a request, it is invalid from the start.</li>
 * </ul>
 */
final class AuthStates {
    /** Windows' limit: the 2050th context on a connection is refused (Samba's test_multiple_auth_limit). */
    static final int WINDOWS_LIMIT = 2049;

    private final int limit;
    private final Map<Integer, AuthState> byContextId = new HashMap<>();
    private final AuthState none = AuthState.none();
    /** The context a bind carried, or null: PDUs without auth trailer are under it (Samba 4.17 and Windows). */
    private AuthState bound;
    /** A completed CONNECT-level context that requests without auth trailer fall back to, or null. */
    private AuthState defaultConnect;
    private boolean explicitConnect;
    private boolean explicitAboveConnect;

    AuthStates(int limit) {
        this.limit = limit;
    }

    /** The outcome of finding a PDU's context: the state, and whether the trailer disagreed with it. */
    record Found(AuthState state, boolean mismatched) {
    }

    /** Thrown when one more context would pass the limit. */
    static final class LimitReached extends Exception {
        LimitReached() {
            super("too many security contexts on one connection", null, false, false);
        }
    }

    /**
     * The context a PDU is under.
     *
     * @param ptype     its PDU type
     * @param first     for a request, whether it is a FIRST fragment
     * @param auth      its sec_trailer, or null
     */
    Found find(int ptype, boolean first, SecTrailer auth) throws LimitReached {
        if (auth == null) {
            if (ptype == PType.REQUEST && defaultConnect != null) return new Found(defaultConnect, false);
            return new Found(bound != null ? bound : none, false);
        }
        int level = auth.authLevel();
        if (ptype == PType.REQUEST) {
            defaultConnect = null; // a request that names its context: from now on every request must
            if (level == AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT) explicitConnect = true;
            else if (level >= AuthLevel.RPC_C_AUTHN_LEVEL_PKT) explicitAboveConnect = true;
        }
        AuthState s = byContextId.get(auth.authContextId());
        if (s != null) {
            boolean mismatched = s.authType != auth.authType() || s.authLevel != level;
            if (mismatched && ptype == PType.REQUEST && first) s.invalid = true;
            return new Found(s, mismatched);
        }
        if (byContextId.size() >= limit) throw new LimitReached();
        s = new AuthState(auth.authType(), level, auth.authContextId());
        if (ptype == PType.REQUEST) s.invalid = true; // a request cannot start a context
        if (ptype == PType.BIND) bound = s;
        byContextId.put(auth.authContextId(), s);
        return new Found(s, ptype == PType.REQUEST);
    }

    /** The state of PDUs without authentication. */
    AuthState none() {
        return none;
    }

    /** Called when a context's legs complete. */
    void completed(AuthState s) {
        // Only when the bind carried no other context: a request without trailer on a connection whose bind
        // authenticated stays under the bind's context, never under a CONNECT context added later by alter.
        if (s.authLevel == AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT && !explicitConnect && (bound == null || bound == s)) {
            defaultConnect = s;
        }
    }

    /** Whether a request named a context above CONNECT: then a call refused for its level keeps the connection. */
    boolean sawExplicitAboveConnect() {
        return explicitAboveConnect;
    }

    /** Every context (for header signing switched on later, and tests). */
    List<AuthState> all() {
        return new ArrayList<>(byContextId.values());
    }

    int size() {
        return byContextId.size();
    }
}
