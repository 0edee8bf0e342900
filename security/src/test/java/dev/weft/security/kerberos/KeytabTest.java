package dev.weft.security.kerberos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MIT keytab reader: entries, holes, key versions, principals, and what it refuses. */
class KeytabTest {

    static final byte[] AES = new byte[32], RC4 = new byte[16], DES = new byte[8];

    static {
        Arrays.fill(AES, (byte) 0xAE);
        Arrays.fill(RC4, (byte) 0x23);
    }

    /** A version 2 keytab of the given records (a record of negative length is written as a hole). */
    static byte[] file(byte[]... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.writeShort(0x0502);
        for (byte[] r : records) {
            d.writeInt(r.length);
            d.write(r);
        }
        return out.toByteArray();
    }

    static byte[] entry(String realm, List<String> name, int kvno8, int etype, byte[] key, Integer kvno32) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.writeShort(name.size());
        d.writeShort(realm.length());
        d.writeBytes(realm);
        for (String c : name) {
            d.writeShort(c.length());
            d.writeBytes(c);
        }
        d.writeInt(1);
        d.writeInt(0);
        d.writeByte(kvno8);
        d.writeShort(etype);
        d.writeShort(key.length);
        d.write(key);
        if (kvno32 != null) d.writeInt(kvno32);
        return out.toByteArray();
    }

    @Test
    void keysOfThePrincipalWithImplementedTypesAreRead() throws IOException {
        List<String> host = List.of("host", "weft.test");
        byte[] hole = entry("TEST", host, 1, 23, RC4, null);
        ByteArrayOutputStream withHole = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(withHole);
        d.write(file(entry("TEST", host, 2, 18, AES, 300)));
        d.writeInt(-hole.length);                                  // a deleted entry
        d.write(new byte[hole.length]);
        d.writeInt(entry("TEST", host, 2, 23, RC4, null).length);
        d.write(entry("TEST", host, 2, 23, RC4, null));
        d.writeInt(entry("TEST", host, 2, 3, DES, null).length);   // des-cbc-md5: not implemented, skipped
        d.write(entry("TEST", host, 2, 3, DES, null));
        d.writeInt(entry("TEST", List.of("host", "other.test"), 2, 23, RC4, null).length);
        d.write(entry("TEST", List.of("host", "other.test"), 2, 23, RC4, null));

        List<ServiceKeys.Key> keys = Keytab.keys(withHole.toByteArray(), "host/weft.test@TEST");
        assertEquals(2, keys.size(), "AES and RC4 of host/weft.test; not the hole, DES or another principal");
        assertEquals(18, keys.get(0).etype());
        assertEquals(300, keys.get(0).kvno(), "the 32-bit key version wins over the 8-bit one");
        assertArrayEquals(AES, keys.get(0).value());
        assertEquals(23, keys.get(1).etype());
        assertEquals(2, keys.get(1).kvno());
        assertEquals(2, Keytab.keys(withHole.toByteArray(), "host/weft.test").size(), "no realm: any realm");
        assertEquals(0, Keytab.keys(withHole.toByteArray(), "host/weft.test@OTHER").size());
    }

    @Test
    void malformedFilesAreRefused(@TempDir Path dir) throws IOException {
        byte[] good = file(entry("TEST", List.of("host", "weft.test"), 2, 23, RC4, null));
        assertThrows(IllegalArgumentException.class, () -> Keytab.keys(new byte[] {5, 1, 0, 0}, "x"), "version 1");
        assertThrows(IllegalArgumentException.class, () -> Keytab.keys(new byte[] {1, 2}, "x"), "not a keytab");
        assertThrows(IllegalArgumentException.class, () -> Keytab.keys(Arrays.copyOf(good, good.length - 3), "x"),
                "a record longer than the file");
        byte[] lying = good.clone();
        lying[6 + 2 + 2 + 4 + 2 + 4 + 2 + 9 + 4 + 4 + 1 + 2 + 1] = (byte) 0x40;  // key length 16 -> 64
        assertThrows(IllegalArgumentException.class, () -> Keytab.keys(lying, "host/weft.test@TEST"));

        Path empty = dir.resolve("empty.keytab");
        Files.write(empty, file());
        assertThrows(IllegalArgumentException.class, () -> ServiceKeys.keytab(empty, "host/weft.test@TEST"), "no key");
        assertThrows(IllegalArgumentException.class, () -> ServiceKeys.keytab(dir.resolve("missing"), "host/weft.test@TEST"));
    }
}
