package dev.weft.security.kerberos;

import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Kerberos service's long-term keys (what opens the tickets clients bring), read from a keytab, and the replay
 * cache of the Authenticators it accepted (RFC 4120 3.2.3: an Authenticator seen before within the skew is refused).
 * Keys of the encryption types Weft implements are kept (aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96,
 * rc4-hmac); others in the keytab are ignored.
 */
public final class ServiceKeys {

    /** One key of the service. */
    record Key(int etype, int kvno, byte[] value) {
    }

    /** At most this many Authenticators are remembered; past it the oldest go (they are older than the skew anyway). */
    static final int REPLAY_CACHE_LIMIT = 100_000;
    /** A keytab larger than this is refused (a keytab of a few services is a few kilobytes). */
    static final int KEYTAB_LIMIT = 1 << 20;

    private final String principal;
    private final List<Key> keys;
    private final ReplayCache replayCache = new ReplayCache();

    ServiceKeys(String principal, List<Key> keys) {
        this.principal = principal;
        this.keys = List.copyOf(keys);
        if (this.keys.isEmpty()) throw new IllegalArgumentException("no AES or RC4-HMAC key for " + principal);
    }

    /**
     * The keys of {@code principal} in a keytab file (MIT format version 2, as {@code ktutil} or {@code samba-tool
     * domain exportkeytab} write it). Read by Weft itself, so RC4-HMAC keys are found whatever the JDK's Kerberos
     * configuration allows.
     *
     * @param principal the service principal, e.g. {@code host/server.example.com@EXAMPLE.COM}; without
     *                  {@code @REALM} it matches the name in any realm
     * @throws IllegalArgumentException when the file cannot be read, is not a keytab, or holds no usable key for the
     *                                  principal
     */
    public static ServiceKeys keytab(Path keytab, String principal) {
        Objects.requireNonNull(principal, "principal");
        byte[] b;
        try {
            if (Files.size(keytab) > KEYTAB_LIMIT) throw new IllegalArgumentException("the keytab " + keytab + " is too large");
            b = Files.readAllBytes(keytab);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the keytab " + keytab + ": " + e.getMessage(), e);
        }
        try {
            return new ServiceKeys(principal, Keytab.keys(b, principal));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(keytab + ": " + e.getMessage(), e);
        }
    }

    /** The service principal. */
    public String principal() {
        return principal;
    }

    /** The key for a ticket encrypted with {@code etype} (and {@code kvno}, when the ticket names one). */
    byte[] key(int etype, Integer kvno) {
        for (Key k : keys) {
            if (k.etype() == etype && (kvno == null || k.kvno() == kvno)) return k.value();
        }
        throw new SecurityContextException(Reason.LOGON_DENIED, "no key of " + principal + " for encryption type " + etype
                + (kvno == null ? "" : " and key version " + kvno) + " (KRB_AP_ERR_NOKEY)");
    }

    ReplayCache replayCache() {
        return replayCache;
    }

    /** Authenticators seen within the skew, keyed by client and time. */
    static final class ReplayCache {
        private final ReentrantLock lock = new ReentrantLock();
        private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

        void check(String client, byte[] ctime, byte[] cusec, Instant now) {
            String key = client + "|" + HexFormat.of().formatHex(ctime) + "|" + HexFormat.of().formatHex(cusec);
            lock.lock();
            try {
                Instant horizon = now.minus(ApMessages.SKEW.multipliedBy(2));
                for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, Instant> e = it.next();
                    if (e.getValue().isAfter(horizon) && seen.size() <= REPLAY_CACHE_LIMIT) break;
                    it.remove();
                }
                if (seen.putIfAbsent(key, now) != null) {
                    throw new SecurityContextException(Reason.LOGON_DENIED, "a replayed Authenticator (KRB_AP_ERR_REPEAT)");
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
