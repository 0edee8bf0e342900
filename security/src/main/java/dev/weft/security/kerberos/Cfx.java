package dev.weft.security.kerberos;

import dev.weft.security.Region;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;

/**
 * RFC 4121 ("CFX") per-message tokens for an established Kerberos context, over several buffers the way MS-RPCE
 * needs them (MS-KILE 3.4.5.4, GSS_WrapEx / GSS_GetMICEx): {@link Region.Kind#DATA} regions are signed and, when
 * sealing, encrypted in place; {@link Region.Kind#SIGN_ONLY} regions are covered by the HMAC only;
 * {@link Region.Kind#READ_ONLY} regions are neither.
 *
 * <p>A sealed message's token is what MS-RPCE puts in {@code auth_value}: the 16-byte wrap token header followed by
 * the rest of the RFC 3961 ciphertext rotated right (RRC) so that everything but the encrypted data itself lives in
 * the token: {@code header | E(filler | header copy) | HMAC | E(confounder)}, 60 bytes with EC 0, 76 with the
 * DCE-style EC of one block (whose RRC, as Windows and Heimdal write it, does not count the filler).
 *
 * <p>Each direction has its own sequence number and lock; messages must be protected in send order and checked
 * in receive order.
 */
final class Cfx implements MessageTokens {

    static final int ACCEPTOR_SEAL = 22, ACCEPTOR_SIGN = 23, INITIATOR_SEAL = 24, INITIATOR_SIGN = 25;
    static final int FLAG_SENT_BY_ACCEPTOR = 0x01, FLAG_SEALED = 0x02, FLAG_ACCEPTOR_SUBKEY = 0x04;
    static final int HEADER = 16;
    /** GetMIC token: header and HMAC-SHA1-96. */
    static final int MIC_LENGTH = HEADER + AesCts.MAC;

    private final byte[] key;
    private final boolean initiator;
    private final boolean acceptorSubkey;
    private final int ec;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private long sendSeq;
    private long receiveSeq;

    /**
     * @param key            the context key (acceptor subkey, else initiator subkey, else ticket session key)
     * @param initiator      whether this end is the initiator
     * @param acceptorSubkey whether {@code key} is the acceptor's subkey (the AcceptorSubkey flag)
     * @param dceStyle       whether to write the DCE-style EC of one block
     * @param sendSeq        this end's initial sequence number
     * @param receiveSeq     the peer's initial sequence number
     */
    Cfx(byte[] key, boolean initiator, boolean acceptorSubkey, boolean dceStyle, long sendSeq, long receiveSeq) {
        AesCts.keyLength(key.length == 16 ? AesCts.AES128 : key.length == 32 ? AesCts.AES256 : -1);
        this.key = key.clone();
        this.initiator = initiator;
        this.acceptorSubkey = acceptorSubkey;
        this.ec = dceStyle ? AesCts.BLOCK : 0;
        this.sendSeq = sendSeq;
        this.receiveSeq = receiveSeq;
    }

    @Override
    public int micLength() {
        return MIC_LENGTH;
    }

    /** The length of a sealed message's token. */
    @Override
    public int wrapLength() {
        return HEADER + AesCts.BLOCK + ec + HEADER + AesCts.MAC;
    }

    private int sendFlags(boolean sealed) {
        return (initiator ? 0 : FLAG_SENT_BY_ACCEPTOR) | (sealed ? FLAG_SEALED : 0)
                | (acceptorSubkey ? FLAG_ACCEPTOR_SUBKEY : 0);
    }

    private void checkReceivedFlags(int flags, boolean sealed) {
        int expected = (initiator ? FLAG_SENT_BY_ACCEPTOR : 0) | (acceptorSubkey ? FLAG_ACCEPTOR_SUBKEY : 0);
        if ((flags & (FLAG_SENT_BY_ACCEPTOR | FLAG_ACCEPTOR_SUBKEY)) != expected) {
            throw new SecurityContextException(Reason.MESSAGE_ALTERED, String.format("token flags 0x%02x", flags));
        }
        if (sealed && (flags & FLAG_SEALED) == 0) {
            throw new SecurityContextException(Reason.MESSAGE_ALTERED, "an unsealed wrap token where sealing is required");
        }
    }

    private static void putSeq(byte[] h, long seq) {
        for (int i = 0; i < 8; i++) h[8 + i] = (byte) (seq >>> (56 - 8 * i));
    }

    private static long seq(byte[] h) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (h[8 + i] & 0xFF);
        return v;
    }

    private void checkSeq(long seq) {
        if (seq != receiveSeq) {
            throw new SecurityContextException(Reason.OUT_OF_SEQUENCE, "sequence number " + Long.toUnsignedString(seq)
                    + ", expected " + Long.toUnsignedString(receiveSeq));
        }
        receiveSeq++;
    }

    private static void update(Mac mac, List<Region> regions) {
        for (Region r : regions) {
            if (r.kind() != Region.Kind.READ_ONLY) mac.update(r.buffer(), r.offset(), r.length());
        }
    }

    // ------------------------------------------------------------------ MIC tokens (RFC 4121 4.2.6.1)

    /** GSS_GetMIC over the DATA and SIGN_ONLY regions, in order. */
    @Override
    public byte[] getMic(List<Region> regions) {
        sendLock.lock();
        try {
            byte[] h = new byte[HEADER];
            h[0] = 0x04;
            h[1] = 0x04;
            h[2] = (byte) sendFlags(false);
            Arrays.fill(h, 3, 8, (byte) 0xFF);
            putSeq(h, sendSeq);
            byte[] mic = micChecksum(regions, h, initiator ? INITIATOR_SIGN : ACCEPTOR_SIGN);
            sendSeq++;
            byte[] token = Arrays.copyOf(h, MIC_LENGTH);
            System.arraycopy(mic, 0, token, HEADER, AesCts.MAC);
            return token;
        } finally {
            sendLock.unlock();
        }
    }

    private byte[] micChecksum(List<Region> regions, byte[] header, int usage) {
        Mac mac = AesCts.hmac(AesCts.kc(key, usage));
        update(mac, regions);
        mac.update(header);
        return Arrays.copyOf(mac.doFinal(), AesCts.MAC);
    }

    /** GSS_VerifyMIC of the peer's token. */
    @Override
    public void verifyMic(List<Region> regions, byte[] token) {
        receiveLock.lock();
        try {
            if (token.length != MIC_LENGTH || token[0] != 0x04 || token[1] != 0x04) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "not an RFC 4121 MIC token");
            }
            for (int i = 3; i < 8; i++) {
                if (token[i] != (byte) 0xFF) throw new SecurityContextException(Reason.MESSAGE_ALTERED, "MIC filler");
            }
            checkReceivedFlags(token[2] & 0xFF, false);
            byte[] h = Arrays.copyOf(token, HEADER);
            byte[] expected = micChecksum(regions, h, initiator ? ACCEPTOR_SIGN : INITIATOR_SIGN);
            if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(token, HEADER, MIC_LENGTH))) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "MIC checksum mismatch");
            }
            checkSeq(seq(h));
        } finally {
            receiveLock.unlock();
        }
    }

    // ------------------------------------------------------------------ Wrap tokens (RFC 4121 4.2.6.2, MS-KILE 3.4.5.4.1)

    /** GSS_WrapEx with confidentiality: encrypts the DATA regions in place and returns the token. */
    @Override
    public byte[] wrap(List<Region> regions) {
        sendLock.lock();
        try {
            byte[] h = new byte[HEADER];
            h[0] = 0x05;
            h[1] = 0x04;
            h[2] = (byte) sendFlags(true);
            h[3] = (byte) 0xFF;
            h[4] = (byte) (ec >>> 8);
            h[5] = (byte) ec;
            // RRC stays 0 in the encrypted copy (RFC 4121 4.2.5); it is set in the outer header below.
            putSeq(h, sendSeq);
            int n = dataLength(regions);
            byte[] plain = new byte[AesCts.BLOCK + n + ec + HEADER];
            System.arraycopy(AesCts.confounder(), 0, plain, 0, AesCts.BLOCK);
            int p = AesCts.BLOCK;
            for (Region r : regions) {
                if (r.kind() == Region.Kind.DATA) {
                    System.arraycopy(r.buffer(), r.offset(), plain, p, r.length());
                    p += r.length();
                }
            }
            Arrays.fill(plain, p, p + ec, (byte) 0xFF);
            System.arraycopy(h, 0, plain, p + ec, HEADER);
            int usage = initiator ? INITIATOR_SEAL : ACCEPTOR_SEAL;
            byte[] mac = sealChecksum(usage, plain, regions, n);
            AesCts.cts(AesCts.ke(key, usage), plain, true);
            sendSeq++;
            // Scatter: the encrypted data goes back in place, the rest into the token, rotated.
            p = AesCts.BLOCK;
            for (Region r : regions) {
                if (r.kind() == Region.Kind.DATA) {
                    System.arraycopy(plain, p, r.buffer(), r.offset(), r.length());
                    p += r.length();
                }
            }
            int rrc = HEADER + AesCts.MAC; // 28: the trailer less the filler (with EC 0, the whole trailer)
            byte[] token = new byte[wrapLength()];
            System.arraycopy(h, 0, token, 0, HEADER);
            token[6] = (byte) (rrc >>> 8);
            token[7] = (byte) rrc;
            int t = HEADER;
            System.arraycopy(plain, AesCts.BLOCK + n, token, t, ec + HEADER);       // E(filler | header copy)
            t += ec + HEADER;
            System.arraycopy(mac, 0, token, t, AesCts.MAC);                         // HMAC
            t += AesCts.MAC;
            System.arraycopy(plain, 0, token, t, AesCts.BLOCK);                     // E(confounder)
            return token;
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * The HMAC over confounder, then every DATA and SIGN_ONLY region in order (DATA as plaintext), then filler and
     * header copy: Heimdal's and Windows' order for IOV encryption with sign-only buffers.
     */
    private byte[] sealChecksum(int usage, byte[] plain, List<Region> regions, int n) {
        Mac mac = AesCts.hmac(AesCts.ki(key, usage));
        mac.update(plain, 0, AesCts.BLOCK);
        int p = AesCts.BLOCK;
        for (Region r : regions) {
            switch (r.kind()) {
                case DATA -> {
                    mac.update(plain, p, r.length());
                    p += r.length();
                }
                case SIGN_ONLY -> mac.update(r.buffer(), r.offset(), r.length());
                case READ_ONLY -> { }
            }
        }
        mac.update(plain, AesCts.BLOCK + n, ec + HEADER);
        return Arrays.copyOf(mac.doFinal(), AesCts.MAC);
    }

    private static int dataLength(List<Region> regions) {
        int n = 0;
        for (Region r : regions) if (r.kind() == Region.Kind.DATA) n += r.length();
        return n;
    }

    /** GSS_UnwrapEx: decrypts the DATA regions in place and checks the token. */
    @Override
    public void unwrap(List<Region> regions, byte[] token) {
        receiveLock.lock();
        try {
            if (token.length < HEADER || token[0] != 0x05 || token[1] != 0x04 || token[3] != (byte) 0xFF) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "not an RFC 4121 wrap token");
            }
            checkReceivedFlags(token[2] & 0xFF, true);
            int rec = ((token[4] & 0xFF) << 8) | (token[5] & 0xFF);
            int rrc = ((token[6] & 0xFF) << 8) | (token[7] & 0xFF);
            int trailer = rec + HEADER + AesCts.MAC;
            if (token.length != HEADER + trailer + AesCts.BLOCK || (rrc != trailer && rrc != HEADER + AesCts.MAC)) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "wrap token of " + token.length
                        + " bytes with EC " + rec + " and RRC " + rrc + " does not hold the whole trailer");
            }
            int n = dataLength(regions);
            byte[] c = new byte[AesCts.BLOCK + n + rec + HEADER];
            System.arraycopy(token, HEADER + trailer, c, 0, AesCts.BLOCK);
            int p = AesCts.BLOCK;
            for (Region r : regions) {
                if (r.kind() == Region.Kind.DATA) {
                    System.arraycopy(r.buffer(), r.offset(), c, p, r.length());
                    p += r.length();
                }
            }
            System.arraycopy(token, HEADER, c, p, rec + HEADER);
            byte[] mac = Arrays.copyOfRange(token, HEADER + rec + HEADER, HEADER + trailer);
            int usage = initiator ? ACCEPTOR_SEAL : INITIATOR_SEAL;
            AesCts.cts(AesCts.ke(key, usage), c, false);
            Mac m = AesCts.hmac(AesCts.ki(key, usage));
            m.update(c, 0, AesCts.BLOCK);
            p = AesCts.BLOCK;
            for (Region r : regions) {
                switch (r.kind()) {
                    case DATA -> {
                        m.update(c, p, r.length());
                        p += r.length();
                    }
                    case SIGN_ONLY -> m.update(r.buffer(), r.offset(), r.length());
                    case READ_ONLY -> { }
                }
            }
            m.update(c, AesCts.BLOCK + n, rec + HEADER);
            if (!MessageDigest.isEqual(Arrays.copyOf(m.doFinal(), AesCts.MAC), mac)) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "wrap token checksum mismatch");
            }
            // The encrypted header copy must match the outer header, RRC excepted (it is not protected).
            int copy = AesCts.BLOCK + n + rec;
            for (int i = 0; i < HEADER; i++) {
                if (i != 6 && i != 7 && c[copy + i] != token[i]) {
                    throw new SecurityContextException(Reason.MESSAGE_ALTERED, "encrypted wrap header differs");
                }
            }
            checkSeq(seq(token));
            p = AesCts.BLOCK;
            for (Region r : regions) {
                if (r.kind() == Region.Kind.DATA) {
                    System.arraycopy(c, p, r.buffer(), r.offset(), r.length());
                    p += r.length();
                }
            }
        } finally {
            receiveLock.unlock();
        }
    }
}
