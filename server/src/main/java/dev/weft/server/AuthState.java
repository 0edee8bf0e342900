package dev.weft.server;

import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.PduProtector;
import dev.weft.security.Identity;
import dev.weft.security.SecurityContext;

/**
 * One security context of a connection, as the connection sees it: the sec_trailer fields that name it, the
 * mechanism's context and how far its legs have come (MS-RPCE 3.3.1.5.2; the "Table of Security Context Handles"
 * of the connection, 3.3.1.1).
 *
 * <p>{@code started}: a bind or alter_context began the legs (or the state stands for "no authentication").
 * {@code complete}: the legs are done and calls may use it. {@code invalid}: it was misused (a request named it
 * with another type or level, an auth3 failed or did not fit) and every later use is refused. A state a request
 * names before any leg ran is created invalid: it can never become valid. All fields are touched by the
 * connection's reader thread only; calls read the immutable {@link Established} they were handed.
 */
final class AuthState {
    final int authType;
    final int authLevel;
    final int contextId;
    /** The mechanism's context; null for the state that stands for "no authentication". */
    SecurityContext security;
    boolean started;
    boolean complete;
    boolean invalid;
    /** Set once complete and the level is CONNECT or above. */
    PduProtector protector;

    AuthState(int authType, int authLevel, int contextId) {
        this.authType = authType;
        this.authLevel = authLevel;
        this.contextId = contextId;
    }

    /** The state of a connection, or of PDUs, without authentication: complete from the start. */
    static AuthState none() {
        AuthState s = new AuthState(0, AuthLevel.RPC_C_AUTHN_LEVEL_NONE, 0);
        s.started = true;
        s.complete = true;
        return s;
    }

    boolean isNone() {
        return security == null;
    }

    /** Whether a request's sec_trailer fields name this state exactly. */
    boolean matches(int type, int level, int context) {
        return type == authType && level == authLevel && context == contextId;
    }

    /** What a call needs of the state it arrived under, fixed when its first fragment was accepted. */
    record Established(PduProtector protector, int authLevel, Identity identity) {
        static final Established NONE = new Established(null, AuthLevel.RPC_C_AUTHN_LEVEL_NONE, null);
    }

    Established established() {
        if (isNone()) return Established.NONE;
        return new Established(protector, protector == null ? authLevel : protector.authLevel(), security.identity());
    }
}
