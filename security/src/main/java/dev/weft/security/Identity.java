package dev.weft.security;

/**
 * Who the peer authenticated as.
 *
 * @param domain    the domain (or realm) as the peer gave it; empty when none
 * @param user      the account name; empty for an anonymous peer
 * @param anonymous whether the peer authenticated as the anonymous (null-session) user
 */
public record Identity(String domain, String user, boolean anonymous) {

    /** The anonymous identity. */
    public static final Identity ANONYMOUS = new Identity("", "", true);

    public Identity {
        if (domain == null || user == null) throw new NullPointerException("domain/user");
    }

    /** {@code DOMAIN\\user}, or {@code ANONYMOUS}. */
    @Override
    public String toString() {
        return anonymous ? "ANONYMOUS" : domain.isEmpty() ? user : domain + "\\" + user;
    }
}
