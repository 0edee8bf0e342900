package dev.weft.security.ntlm;

import java.util.Objects;

/**
 * A client's NTLM credentials: domain, user and the NT hash (MD4 of the UTF-16LE password, MS-NLMP 3.3.1), or the
 * anonymous user. The password itself is never kept.
 *
 * @param domain    the user's domain as NTLMv2 hashes it (case preserved); may be empty
 * @param user      the account name; empty for anonymous
 * @param ntHash    16 bytes, or {@code null} for anonymous
 * @param workstation the client's name sent in AUTHENTICATE_MESSAGE; may be empty
 */
public record NtlmCredentials(String domain, String user, byte[] ntHash, String workstation) {

    public NtlmCredentials {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(workstation, "workstation");
        if (ntHash != null) {
            if (ntHash.length != 16) throw new IllegalArgumentException("an NT hash is 16 bytes");
            ntHash = ntHash.clone();
        }
        if (ntHash == null && !user.isEmpty()) throw new IllegalArgumentException("a named user needs an NT hash");
    }

    /** Credentials from a password. */
    public static NtlmCredentials password(String domain, String user, String password) {
        return new NtlmCredentials(domain, user, ntHash(password), "");
    }

    /** Credentials from an NT hash (pass-the-hash, or a stored machine secret). */
    public static NtlmCredentials hash(String domain, String user, byte[] ntHash) {
        return new NtlmCredentials(domain, user, ntHash, "");
    }

    /** The anonymous (null session) user: no name, no password, no session key (MS-NLMP 3.2.5.1.2). */
    public static NtlmCredentials anonymous() {
        return new NtlmCredentials("", "", null, "");
    }

    /** The same credentials with a workstation name. */
    public NtlmCredentials withWorkstation(String name) {
        return new NtlmCredentials(domain, user, ntHash, name);
    }

    /** Whether these are the anonymous credentials. */
    public boolean isAnonymous() {
        return ntHash == null;
    }

    /** A copy of the NT hash, or {@code null}. */
    @Override
    public byte[] ntHash() {
        return ntHash == null ? null : ntHash.clone();
    }

    /** NTOWFv1: MD4 of the UTF-16LE password. */
    public static byte[] ntHash(String password) {
        return NtlmCrypto.ntHash(password);
    }

    @Override
    public String toString() {
        return "NtlmCredentials[" + (isAnonymous() ? "ANONYMOUS" : domain + "\\" + user) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NtlmCredentials c && domain.equals(c.domain) && user.equals(c.user)
                && java.util.Arrays.equals(ntHash, c.ntHash) && workstation.equals(c.workstation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, user, workstation);
    }
}
