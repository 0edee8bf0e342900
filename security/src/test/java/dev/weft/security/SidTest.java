package dev.weft.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MS-DTYP 2.4.2 SIDs and their text form (2.4.2.1), and the caller identity that carries them. */
class SidTest {

    @Test
    void textFormRoundTrips() {
        Sid user = Sid.parse("S-1-5-21-397955417-626881126-188441444-2914711");
        assertEquals(5, user.identifierAuthority());
        assertEquals(2914711, user.rid());
        assertEquals(Sid.parse("S-1-5-21-397955417-626881126-188441444"), user.domain());
        assertEquals(user, user.domain().resolve(2914711));
        assertEquals("S-1-5-21-397955417-626881126-188441444-2914711", user.toString());
        assertEquals("S-1-5-32-544", Sid.parse("S-1-5-32-544").toString(), "BUILTIN\\Administrators");
        assertEquals("S-1-18-1", new Sid(18, List.of(1L)).toString());
        assertEquals("S-1-4294967295-4294967295", new Sid(0xFFFFFFFFL, List.of(0xFFFFFFFFL)).toString());
        assertEquals("S-1-0x000100000000-1", new Sid(1L << 32, List.of(1L)).toString(), "large authorities in hexadecimal");
    }

    @Test
    void outOfRangeSidsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Sid.parse("S-2-5-21"));
        assertThrows(IllegalArgumentException.class, () -> Sid.parse("S-1-x"));
        assertThrows(IllegalArgumentException.class, () -> Sid.parse("1-5-21"));
        assertThrows(IllegalArgumentException.class, () -> new Sid(1L << 48, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Sid(5, List.of(1L << 32)));
        assertThrows(IllegalArgumentException.class, () -> new Sid(5, Collections.nCopies(16, 1L)));
        assertThrows(IllegalStateException.class, () -> new Sid(5, List.of()).rid());
    }

    @Test
    void anIdentityWithoutSidsIsAMemberOfNothing() {
        Identity ntlm = new Identity("RPCTEST", "rpcuser", false);
        assertNull(ntlm.userSid());
        assertTrue(ntlm.groupSids().isEmpty());
        assertFalse(ntlm.isMemberOf(Sid.parse("S-1-5-11")));
        Sid user = Sid.parse("S-1-5-21-1-2-3-1104"), users = Sid.parse("S-1-5-21-1-2-3-513");
        Identity krb = new Identity("RPCTEST.LOCAL", "rpcuser", false, user, List.of(users));
        assertTrue(krb.isMemberOf(users));
        assertTrue(krb.isMemberOf(user));
        assertEquals("RPCTEST.LOCAL\\rpcuser", krb.toString());
    }
}
