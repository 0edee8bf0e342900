package dev.weft.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A security identifier (MS-DTYP 2.4.2): revision 1, a 48-bit identifier authority and up to 15 32-bit
 * sub-authorities, the last of which is the relative identifier (RID) of an account in its domain. Its text form is
 * {@code S-1-5-21-...-1104} (MS-DTYP 2.4.2.1).
 *
 * @param identifierAuthority the authority, 0 to 2^48 - 1 (5 is NT AUTHORITY)
 * @param subAuthorities      the sub-authorities, each 0 to 2^32 - 1
 */
public record Sid(long identifierAuthority, List<Long> subAuthorities) {

    /** The most sub-authorities a SID has (MS-DTYP 2.4.2). */
    public static final int MAX_SUB_AUTHORITIES = 15;

    public Sid {
        if (identifierAuthority < 0 || identifierAuthority >= 1L << 48) {
            throw new IllegalArgumentException("identifier authority " + identifierAuthority);
        }
        subAuthorities = List.copyOf(subAuthorities);
        if (subAuthorities.size() > MAX_SUB_AUTHORITIES) {
            throw new IllegalArgumentException(subAuthorities.size() + " sub-authorities");
        }
        for (long s : subAuthorities) {
            if (s < 0 || s > 0xFFFFFFFFL) throw new IllegalArgumentException("sub-authority " + s);
        }
    }

    /** Parses the text form {@code S-1-<authority>-<sub>...}. */
    public static Sid parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split("-", -1);
        if (parts.length < 3 || !parts[0].equalsIgnoreCase("S") || !parts[1].equals("1")) {
            throw new IllegalArgumentException("not a SID: " + text);
        }
        try {
            List<Long> subs = new ArrayList<>();
            for (int i = 3; i < parts.length; i++) subs.add(Long.parseLong(parts[i]));
            return new Sid(Long.parseLong(parts[2]), subs);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a SID: " + text, e);
        }
    }

    /** The SID of account {@code rid} in this (domain) SID. */
    public Sid resolve(long rid) {
        List<Long> subs = new ArrayList<>(subAuthorities);
        subs.add(rid);
        return new Sid(identifierAuthority, subs);
    }

    /** The relative identifier: the last sub-authority. */
    public long rid() {
        if (subAuthorities.isEmpty()) throw new IllegalStateException(this + " has no sub-authority");
        return subAuthorities.get(subAuthorities.size() - 1);
    }

    /** The domain part: every sub-authority but the last. */
    public Sid domain() {
        if (subAuthorities.isEmpty()) throw new IllegalStateException(this + " has no sub-authority");
        return new Sid(identifierAuthority, subAuthorities.subList(0, subAuthorities.size() - 1));
    }

    /** {@code S-1-5-21-...}; an authority of 2^32 or more in hexadecimal, as MS-DTYP 2.4.2.1 writes it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("S-1-");
        sb.append(identifierAuthority < 1L << 32 ? Long.toString(identifierAuthority)
                : String.format("0x%012X", identifierAuthority));
        for (long s : subAuthorities) sb.append('-').append(s);
        return sb.toString();
    }
}
