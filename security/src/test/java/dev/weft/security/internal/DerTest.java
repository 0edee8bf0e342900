package dev.weft.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.security.Hex;
import dev.weft.security.SecurityContextException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DerTest {

    @Test
    void oidsEncodeAsX690() {
        assertEquals("060a2b06010401823702020a", Hex.of(Der.oid("1.3.6.1.4.1.311.2.2.10"))); // NTLMSSP
        assertEquals("06062b0601050502", Hex.of(Der.oid("1.3.6.1.5.5.2"))); // SPNEGO
        assertEquals("06092a864886f712010202", Hex.of(Der.oid("1.2.840.113554.1.2.2"))); // Kerberos 5
        assertEquals("1.2.840.48018.1.2.2", Der.oidText(Hex.bytes("2a864882f712010202"))); // MS Kerberos
    }

    @Test
    void lengthsUseTheShortestForm() {
        assertEquals("047f", Hex.of(Der.tlv(4, new byte[127])).substring(0, 4));
        assertEquals("048180", Hex.of(Der.tlv(4, new byte[128])).substring(0, 6));
        assertEquals("04820100", Hex.of(Der.tlv(4, new byte[256])).substring(0, 8));
        byte[] big = Der.tlv(4, new byte[70000]);
        Der.Element e = Der.Reader.of(big).next();
        assertEquals(70000, e.length());
        assertArrayEquals(new byte[70000], e.content());
    }

    @Test
    void hostileLengthsAreInvalidTokens() {
        for (String hex : new String[] {"04", "0405aabb", "0480", "0485ffffffffff", "048480000000", "1f0100", "30"}) {
            var e = assertThrows(SecurityContextException.class, () -> Der.Reader.of(Hex.bytes(hex)).next(), hex);
            assertEquals(SecurityContextException.Reason.INVALID_TOKEN, e.reason());
        }
        assertThrows(SecurityContextException.class, () -> Der.oidText(Hex.bytes("2b86")));
        assertThrows(SecurityContextException.class, () -> Der.oidText(Hex.bytes("ffffffffffffffffffff01")));
    }

    @Test
    void randomBytesNeverEscapeAsAnotherException() {
        Random r = new Random(1);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[r.nextInt(24)];
            r.nextBytes(b);
            try {
                Der.Reader reader = Der.Reader.of(b);
                while (reader.hasNext()) {
                    Der.Element e = reader.next();
                    if (e.tag() == Der.OID) Der.oidText(e.content());
                    if ((e.tag() & 0x20) != 0 && e.children().hasNext()) e.children().next();
                }
            } catch (SecurityContextException expected) {
                // fine
            }
        }
    }
}
