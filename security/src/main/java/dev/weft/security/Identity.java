package dev.weft.security;

import java.util.List;

/**
 * Who the peer authenticated as.
 *
 * @param domain    the domain (or realm) as the peer gave it; empty when none
 * @param user      the account name; empty for an anonymous peer
 * @param anonymous whether the peer authenticated as the anonymous (null-session) user
 * @param userSid   the account's SID when the mechanism proved it (Kerberos with a PAC, MS-PAC 2.5), else null
 * @param groupSids the SIDs of the groups the account is a member of, as the PAC lists them (primary group, groups
 *                  of its domain, extra SIDs, resource groups), in that order without duplicates; empty when the
 *                  mechanism did not say (NTLMSSP, Kerberos without a PAC)
 */
public record Identity(String domain, String user, boolean anonymous, Sid userSid, List<Sid> groupSids) {

    /** The anonymous identity. */
    public static final Identity ANONYMOUS = new Identity("", "", true);

    public Identity {
        if (domain == null || user == null) throw new NullPointerException("domain/user");
        groupSids = List.copyOf(groupSids);
    }

    /** An identity without SIDs. */
    public Identity(String domain, String user, boolean anonymous) {
        this(domain, user, anonymous, null, List.of());
    }

    /** Whether the account is a member of the group {@code sid} (or is that SID). */
    public boolean isMemberOf(Sid sid) {
        return sid.equals(userSid) || groupSids.contains(sid);
    }

    /** {@code DOMAIN\\user}, or {@code ANONYMOUS}. */
    @Override
    public String toString() {
        return anonymous ? "ANONYMOUS" : domain.isEmpty() ? user : domain + "\\" + user;
    }
}
