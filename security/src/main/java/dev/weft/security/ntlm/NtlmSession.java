package dev.weft.security.ntlm;

import dev.weft.security.Region;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.internal.Le;
import dev.weft.security.internal.Rc4;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Message integrity and confidentiality with extended session security (MS-NLMP 3.4.2-3.4.4, 3.4.6), the
 * connection-oriented way: each direction has its own signing key, one RC4 handle for the whole context and a
 * sequence number starting at 0 and growing by one per message.
 *
 * <p>The 16-byte NTLMSSP_MESSAGE_SIGNATURE (2.2.2.9.1) is Version 1, the first 8 bytes of
 * HMAC_MD5(SigningKey, SeqNum ‖ regions...) (passed through the direction's RC4 when KEY_EXCH was negotiated), and
 * SeqNum. Sealing encrypts the DATA regions with the same RC4 stream first, then the checksum, as the GSS_WrapEx
 * example of 4.2.4.4 shows. NTLMv2 signs every region, read-only ones included (3.4.6.1).
 */
final class NtlmSession {

    static final int SIGNATURE_LENGTH = 16;

    private final Direction out;
    private final Direction in;
    private final boolean keyExchange;
    private final boolean sealing;

    /**
     * @param exportedSessionKey the 16-byte ExportedSessionKey
     * @param flags              the negotiated flags
     * @param client             whether this end is the client (it sends with the client-to-server keys)
     */
    NtlmSession(byte[] exportedSessionKey, int flags, boolean client) {
        this.keyExchange = NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_KEY_EXCH);
        this.sealing = NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_SEAL);
        this.out = new Direction(NtlmCrypto.signKey(exportedSessionKey, client),
                NtlmCrypto.sealKey(exportedSessionKey, flags, client));
        this.in = new Direction(NtlmCrypto.signKey(exportedSessionKey, !client),
                NtlmCrypto.sealKey(exportedSessionKey, flags, !client));
    }

    /** One direction's keys and running state; its lock keeps sequence number and RC4 stream in step. */
    private static final class Direction {
        final ReentrantLock lock = new ReentrantLock();
        final byte[] signKey;
        final byte[] sealKey;
        /** HMAC-MD5 keyed with signKey once; used under the lock, and doFinal leaves it ready for the next. */
        final Mac mac;
        Rc4 rc4;
        int seq;

        Direction(byte[] signKey, byte[] sealKey) {
            this.signKey = signKey;
            this.sealKey = sealKey;
            this.rc4 = new Rc4(sealKey);
            try {
                this.mac = Mac.getInstance("HmacMD5");
                mac.init(new SecretKeySpec(signKey, "HmacMD5"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacMD5 is missing from the JDK", e);
            }
        }

        /**
         * A fresh RC4 stream, the sequence number unchanged (what SPNEGO asks for after the mechListMIC). Checked
         * against the Samba AD DC and smbtorture: restarting the sequence numbers as well makes every signed PDU after
         * an SPNEGO bind fail with RPC_S_SEC_PKG_ERROR.
         */
        void reset() {
            lock.lock();
            try {
                rc4 = new Rc4(sealKey);   // the sequence number runs on: Samba's peers fail a reset one
            } finally {
                lock.unlock();
            }
        }
    }

    byte[] sign(List<Region> regions) {
        Direction d = out;
        d.lock.lock();
        try {
            return signature(d, d.seq++, regions);
        } finally {
            d.lock.unlock();
        }
    }

    byte[] seal(List<Region> regions) {
        requireSealing();
        Direction d = out;
        d.lock.lock();
        try {
            int seq = d.seq++;
            byte[] mac = hmac(d, seq, regions); // over the plaintext
            for (Region r : regions) if (r.kind() == Region.Kind.DATA) d.rc4.apply(r.buffer(), r.offset(), r.length());
            return assemble(d, seq, mac);
        } finally {
            d.lock.unlock();
        }
    }

    void verify(List<Region> regions, byte[] signature) {
        Direction d = in;
        d.lock.lock();
        try {
            checkShape(signature);
            byte[] expected = signature(d, d.seq, regions);
            compare(d, expected, signature);
        } finally {
            d.lock.unlock();
        }
    }

    void unseal(List<Region> regions, byte[] signature) {
        requireSealing();
        Direction d = in;
        d.lock.lock();
        try {
            checkShape(signature);
            for (Region r : regions) if (r.kind() == Region.Kind.DATA) d.rc4.apply(r.buffer(), r.offset(), r.length());
            byte[] expected = assemble(d, d.seq, hmac(d, d.seq, regions));
            compare(d, expected, signature);
        } finally {
            d.lock.unlock();
        }
    }

    /** Restarts the RC4 streams of both directions; sequence numbers run on. */
    void reset() {
        out.reset();
        in.reset();
    }

    private void requireSealing() {
        if (!sealing) throw new SecurityContextException(Reason.UNSUPPORTED, "sealing was not negotiated");
    }

    private static void checkShape(byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH || Le.u32(signature, 0) != 1) {
            throw new SecurityContextException(Reason.MESSAGE_ALTERED, "not an NTLMSSP_MESSAGE_SIGNATURE");
        }
    }

    /** Compares in constant time; on a mismatch tells a wrong sequence number from a wrong checksum. */
    private static void compare(Direction d, byte[] expected, byte[] actual) {
        if (MessageDigest.isEqual(expected, actual)) {
            d.seq++;
            return;
        }
        int got = Le.u32(actual, 12);
        if (got != d.seq) {
            throw new SecurityContextException(Reason.OUT_OF_SEQUENCE, "sequence number " + Integer.toUnsignedString(got)
                    + " where " + Integer.toUnsignedString(d.seq) + " was expected");
        }
        throw new SecurityContextException(Reason.MESSAGE_ALTERED, "signature does not match");
    }

    private byte[] signature(Direction d, int seq, List<Region> regions) {
        return assemble(d, seq, hmac(d, seq, regions));
    }

    private byte[] assemble(Direction d, int seq, byte[] mac) {
        byte[] sig = new byte[SIGNATURE_LENGTH];
        Le.put32(sig, 0, 1);
        System.arraycopy(mac, 0, sig, 4, 8);
        if (keyExchange) d.rc4.apply(sig, 4, 8);
        Le.put32(sig, 12, seq);
        return sig;
    }

    /** HMAC_MD5(SigningKey, SeqNum || message) over the regions in order; the caller holds the direction's lock. */
    private static byte[] hmac(Direction d, int seq, List<Region> regions) {
        byte[] s = new byte[4];
        Le.put32(s, 0, seq);
        d.mac.update(s);
        for (Region r : regions) d.mac.update(r.buffer(), r.offset(), r.length());
        return d.mac.doFinal();
    }
}
