package dev.weft.security.kerberos;

import dev.weft.security.Region;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.internal.Der;
import dev.weft.security.internal.Rc4;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * RFC 4757 section 7 per-message tokens, for a context keyed with RC4-HMAC, over several buffers the way MS-RPCE
 * needs them (MS-KILE 3.4.5.4.1): DATA regions are signed and, when sealing, encrypted in place; SIGN_ONLY regions
 * are covered by the checksum only; READ_ONLY regions by neither.
 *
 * <p>Both tokens carry the RFC 1964 framing ({@code [APPLICATION 0]} and the Kerberos OID) in front of a fixed
 * body. MIC (37 bytes): {@code 01 01 | SGN_ALG 11 00 | ff ff ff ff | SND_SEQ (8) | SGN_CKSUM (8)}. Wrap, DCE style
 * (45 bytes; the data stays in the PDU, unpadded, and the framing's length counts the token only):
 * {@code 02 01 | 11 00 | SEAL_ALG 10 00 | ff ff | SND_SEQ (8) | SGN_CKSUM (8) | confounder (8)}.
 *
 * <ul>
 * <li>SGN_CKSUM: the first 8 bytes of the HMAC-MD5 checksum (key usage 15 for a MIC, 13 for a wrap token) over the
 *     first 8 token bytes, the confounder (wrap only), then every DATA (as plaintext) and SIGN_ONLY region in order.
 * <li>SND_SEQ: the sequence number big-endian, then four bytes of direction (00 from the initiator, ff from the
 *     acceptor), RC4-encrypted with {@code HMAC-MD5(HMAC-MD5(key, 0), SGN_CKSUM)}.
 * <li>Sealing: the confounder and then the DATA regions, one RC4 stream keyed with
 *     {@code HMAC-MD5(HMAC-MD5(key XOR f0, 0), sequence number big-endian)}.
 * </ul>
 */
final class Rc4HmacTokens implements MessageTokens {

    static final int USAGE_WRAP = 13, USAGE_MIC = 15, USAGE_SEQUENCE = 0;
    static final int MIC_BODY = 24, WRAP_BODY = 32;
    private static final byte[] MECH_OID = Der.oid(ApMessages.KRB5_OID);
    /** {@code [APPLICATION 0]} tag and one length byte, then the OID. */
    private static final int FRAMING = 2 + MECH_OID.length;
    private static final byte[] MIC_HEADER = {0x01, 0x01, 0x11, 0x00, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    private static final byte[] WRAP_HEADER = {0x02, 0x01, 0x11, 0x00, 0x10, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final boolean initiator;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private int sendSeq;
    private int receiveSeq;

    /**
     * @param key        the 16-byte context key
     * @param initiator  whether this end is the initiator
     * @param sendSeq    this end's initial sequence number (32 bits are used)
     * @param receiveSeq the peer's initial sequence number
     */
    Rc4HmacTokens(byte[] key, boolean initiator, long sendSeq, long receiveSeq) {
        if (key.length != Rc4Hmac.KEY_LENGTH) throw new IllegalArgumentException("RC4-HMAC key of " + key.length + " bytes");
        this.key = key.clone();
        this.initiator = initiator;
        this.sendSeq = (int) sendSeq;
        this.receiveSeq = (int) receiveSeq;
    }

    @Override
    public int micLength() {
        return FRAMING + MIC_BODY;
    }

    @Override
    public int wrapLength() {
        return FRAMING + WRAP_BODY;
    }

    // ------------------------------------------------------------------ MIC tokens (RFC 4757 7.2)

    @Override
    public byte[] getMic(List<Region> regions) {
        sendLock.lock();
        try {
            byte[] body = Arrays.copyOf(MIC_HEADER, MIC_BODY);
            byte[] cksum = signature(USAGE_MIC, body, null, regions, null);
            System.arraycopy(cksum, 0, body, 16, 8);
            putSequence(body, sendSeq++, initiator, cksum);
            return frame(body);
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public void verifyMic(List<Region> regions, byte[] token) {
        receiveLock.lock();
        try {
            byte[] body = unframe(token, MIC_BODY);
            if (!Arrays.equals(body, 0, 8, MIC_HEADER, 0, 8)) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "not an RFC 4757 MIC token");
            }
            byte[] cksum = Arrays.copyOfRange(body, 16, 24);
            int seq = sequence(body, cksum);
            if (!MessageDigest.isEqual(cksum, signature(USAGE_MIC, body, null, regions, null))) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "MIC checksum mismatch");
            }
            checkSeq(seq);
        } finally {
            receiveLock.unlock();
        }
    }

    // ------------------------------------------------------------------ Wrap tokens (RFC 4757 7.3, DCE style)

    @Override
    public byte[] wrap(List<Region> regions) {
        sendLock.lock();
        try {
            byte[] body = Arrays.copyOf(WRAP_HEADER, WRAP_BODY);
            byte[] confounder = new byte[Rc4Hmac.CONFOUNDER];
            RANDOM.nextBytes(confounder);
            byte[] cksum = signature(USAGE_WRAP, body, confounder, regions, null);
            System.arraycopy(cksum, 0, body, 16, 8);
            int seq = sendSeq++;
            Rc4 cipher = sealingStream(seq);
            cipher.apply(confounder, 0, confounder.length);
            System.arraycopy(confounder, 0, body, 24, 8);
            for (Region r : regions) {
                if (r.kind() == Region.Kind.DATA) cipher.apply(r.buffer(), r.offset(), r.length());
            }
            putSequence(body, seq, initiator, cksum);
            return frame(body);
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public void unwrap(List<Region> regions, byte[] token) {
        receiveLock.lock();
        try {
            byte[] body = unframe(token, WRAP_BODY);
            if (!Arrays.equals(body, 0, 4, WRAP_HEADER, 0, 4) || body[6] != (byte) 0xFF || body[7] != (byte) 0xFF) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "not an RFC 4757 wrap token");
            }
            if (body[4] != 0x10 || body[5] != 0x00) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "a wrap token that is not sealed with RC4 where sealing is required");
            }
            byte[] cksum = Arrays.copyOfRange(body, 16, 24);
            int seq = sequence(body, cksum);
            Rc4 cipher = sealingStream(seq);
            byte[] confounder = Arrays.copyOfRange(body, 24, 32);
            cipher.apply(confounder, 0, confounder.length);
            // Decrypt into copies: the PDU changes only once the checksum holds.
            List<byte[]> plain = new ArrayList<>();
            for (Region r : regions) {
                if (r.kind() == Region.Kind.DATA) {
                    byte[] p = Arrays.copyOfRange(r.buffer(), r.offset(), r.offset() + r.length());
                    cipher.apply(p, 0, p.length);
                    plain.add(p);
                }
            }
            if (!MessageDigest.isEqual(cksum, signature(USAGE_WRAP, body, confounder, regions, plain))) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED, "wrap token checksum mismatch");
            }
            checkSeq(seq);
            int i = 0;
            for (Region r : regions) {
                if (r.kind() == Region.Kind.DATA) System.arraycopy(plain.get(i++), 0, r.buffer(), r.offset(), r.length());
            }
        } finally {
            receiveLock.unlock();
        }
    }

    // ------------------------------------------------------------------ shared

    /**
     * The 8-byte SGN_CKSUM over the token's first 8 bytes, the confounder (wrap tokens), then the DATA and SIGN_ONLY
     * regions in order; DATA from {@code plainData} (one array per DATA region) when given, else from the regions.
     */
    private byte[] signature(int usage, byte[] body, byte[] confounder, List<Region> regions, List<byte[]> plainData) {
        MessageDigest md5 = Rc4Hmac.checksumDigest(usage);
        md5.update(body, 0, 8);
        if (confounder != null) md5.update(confounder);
        int i = 0;
        for (Region r : regions) {
            switch (r.kind()) {
                case DATA -> {
                    if (plainData != null) md5.update(plainData.get(i++));
                    else md5.update(r.buffer(), r.offset(), r.length());
                }
                case SIGN_ONLY -> md5.update(r.buffer(), r.offset(), r.length());
                case READ_ONLY -> { }
            }
        }
        return Arrays.copyOf(Rc4Hmac.checksum(key, md5), 8);
    }

    /** The RC4 stream that seals the confounder and the data of message {@code seq}. */
    private Rc4 sealingStream(int seq) {
        byte[] local = new byte[key.length];
        for (int i = 0; i < key.length; i++) local[i] = (byte) (key[i] ^ 0xF0);
        return new Rc4(Rc4Hmac.hmacMd5(Rc4Hmac.usageKey(local, USAGE_SEQUENCE), bigEndian(seq)));
    }

    /** The key that encrypts SND_SEQ, from the checksum. */
    private byte[] sequenceKey(byte[] cksum) {
        return Rc4Hmac.hmacMd5(Rc4Hmac.usageKey(key, USAGE_SEQUENCE), cksum);
    }

    private void putSequence(byte[] body, int seq, boolean fromInitiator, byte[] cksum) {
        byte[] snd = Arrays.copyOf(bigEndian(seq), 8);
        Arrays.fill(snd, 4, 8, fromInitiator ? 0 : (byte) 0xFF);
        System.arraycopy(Rc4.once(sequenceKey(cksum), snd), 0, body, 8, 8);
    }

    /** The peer's sequence number from SND_SEQ, whose direction bytes must be the peer's. */
    private int sequence(byte[] body, byte[] cksum) {
        byte[] snd = Rc4.once(sequenceKey(cksum), Arrays.copyOfRange(body, 8, 16));
        byte direction = initiator ? (byte) 0xFF : 0;
        for (int i = 4; i < 8; i++) {
            if (snd[i] != direction) throw new SecurityContextException(Reason.MESSAGE_ALTERED, "token from the wrong direction");
        }
        return (snd[0] & 0xFF) << 24 | (snd[1] & 0xFF) << 16 | (snd[2] & 0xFF) << 8 | (snd[3] & 0xFF);
    }

    private void checkSeq(int seq) {
        if (seq != receiveSeq) {
            throw new SecurityContextException(Reason.OUT_OF_SEQUENCE, "sequence number " + Integer.toUnsignedString(seq)
                    + ", expected " + Integer.toUnsignedString(receiveSeq));
        }
        receiveSeq++;
    }

    private static byte[] bigEndian(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** RFC 1964 framing: {@code [APPLICATION 0] { OID, body }}. */
    private static byte[] frame(byte[] body) {
        byte[] inner = new byte[MECH_OID.length + body.length];
        System.arraycopy(MECH_OID, 0, inner, 0, MECH_OID.length);
        System.arraycopy(body, 0, inner, MECH_OID.length, body.length);
        return Der.tlv(Der.application(0), inner);
    }

    /** The body of a framed token of exactly {@code FRAMING + bodyLength} bytes. */
    private static byte[] unframe(byte[] token, int bodyLength) {
        if (token.length != FRAMING + bodyLength || token[0] != (byte) 0x60 || token[1] != (byte) (MECH_OID.length + bodyLength)
                || !Arrays.equals(token, 2, FRAMING, MECH_OID, 0, MECH_OID.length)) {
            throw new SecurityContextException(Reason.MESSAGE_ALTERED, "not a " + (FRAMING + bodyLength)
                    + "-byte RFC 4757 token of the Kerberos mechanism (" + token.length + " bytes)");
        }
        return Arrays.copyOfRange(token, FRAMING, token.length);
    }
}
