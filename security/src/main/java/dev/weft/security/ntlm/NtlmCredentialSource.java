package dev.weft.security.ntlm;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where an NTLM server finds a user's NT hash. The default is an in-memory map; a directory or a netlogon
 * pass-through can implement this too. Lookups may block (they run on the connection's virtual thread).
 */
@FunctionalInterface
public interface NtlmCredentialSource {

    /**
     * The NT hash of {@code user} in {@code domain} as the client named them, or empty when unknown.
     * Implementations decide how the domain matters; the map ones ignore it.
     */
    Optional<byte[]> ntHash(String domain, String user);

    /** A source over user → NT hash; user names match case-insensitively, as Windows account names do. */
    static NtlmCredentialSource ofHashes(Map<String, byte[]> hashes) {
        Map<String, byte[]> copy = new HashMap<>();
        hashes.forEach((u, h) -> {
            if (h.length != 16) throw new IllegalArgumentException("NT hash of " + u + " is not 16 bytes");
            copy.put(u.toUpperCase(Locale.ROOT), h.clone());
        });
        return (domain, user) -> Optional.ofNullable(copy.get(user.toUpperCase(Locale.ROOT))).map(byte[]::clone);
    }

    /** A source over user → password (hashed once, here). */
    static NtlmCredentialSource ofPasswords(Map<String, String> passwords) {
        Map<String, byte[]> hashes = new HashMap<>();
        passwords.forEach((u, p) -> hashes.put(u, NtlmCredentials.ntHash(p)));
        return ofHashes(hashes);
    }
}
