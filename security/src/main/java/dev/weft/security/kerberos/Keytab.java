package dev.weft.security.kerberos;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The MIT keytab file format, version 2 ({@code 05 02}, big-endian): a sequence of records, each a signed 32-bit
 * length then an entry (a negative length is a hole of that many bytes left by a deleted entry). An entry is the
 * principal (component count, realm and components as 16-bit-length strings, name type), a timestamp, an 8-bit key
 * version, the key (16-bit type, 16-bit length, bytes) and, when the entry has room for it, a 32-bit key version that
 * replaces the 8-bit one when non-zero.
 */
final class Keytab {

    private Keytab() {
    }

    /** The keys of {@code principal} whose encryption type Weft implements. */
    static List<ServiceKeys.Key> keys(byte[] file, String principal) {
        ByteBuffer b = ByteBuffer.wrap(file);
        if (b.remaining() < 2 || b.get() != 5) throw new IllegalArgumentException("not a keytab file");
        int version = b.get();
        if (version != 2) throw new IllegalArgumentException("keytab format version " + version + " (only 2 is read)");
        List<ServiceKeys.Key> keys = new ArrayList<>();
        while (b.remaining() >= 4) {
            int size = b.getInt();
            if (size == 0) break;
            if (size == Integer.MIN_VALUE || Math.abs(size) > b.remaining()) {
                throw new IllegalArgumentException("a keytab record of " + size + " bytes where " + b.remaining() + " remain");
            }
            ByteBuffer entry = b.slice(b.position(), Math.abs(size));
            b.position(b.position() + Math.abs(size));
            if (size < 0) continue;                                        // a hole
            ServiceKeys.Key k = entry(entry, principal);
            if (k != null) keys.add(k);
        }
        return keys;
    }

    private static ServiceKeys.Key entry(ByteBuffer e, String principal) {
        try {
            int components = e.getShort() & 0xFFFF;
            String realm = string(e);
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < components; i++) {
                if (i > 0) name.append('/');
                name.append(string(e));
            }
            e.getInt();                                                    // name type
            e.getInt();                                                    // timestamp
            int kvno = e.get() & 0xFF;
            int etype = e.getShort();
            int length = e.getShort() & 0xFFFF;
            byte[] key = new byte[Math.min(length, e.remaining())];
            if (key.length != length) throw new IllegalArgumentException("a truncated keytab key");
            e.get(key);
            if (e.remaining() >= 4) {
                int kvno32 = e.getInt();
                if (kvno32 != 0) kvno = kvno32;
            }
            boolean matches = principal.indexOf('@') < 0 ? principal.contentEquals(name)
                    : principal.equals(name + "@" + realm);
            if (!matches || !EncryptionType.isSupported(etype) || EncryptionType.of(etype).keyLength != key.length) {
                return null;
            }
            return new ServiceKeys.Key(etype, kvno, key);
        } catch (java.nio.BufferUnderflowException truncated) {
            throw new IllegalArgumentException("a truncated keytab entry");
        }
    }

    private static String string(ByteBuffer e) {
        int n = e.getShort() & 0xFFFF;
        if (n > e.remaining()) throw new IllegalArgumentException("a keytab string of " + n + " bytes where " + e.remaining() + " remain");
        byte[] s = new byte[n];
        e.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
