package dev.weft.security.ntlm;

import dev.weft.security.SecurityContextException;
import dev.weft.security.internal.Le;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The three NTLM messages (MS-NLMP 2.2.1): layout of their fixed parts and {@code (Len, MaxLen, BufferOffset)}
 * payload fields. Every field read from the network is checked against the message length first; anything out of
 * range is INVALID_TOKEN.
 */
final class NtlmMessages {

    static final byte[] SIGNATURE = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
    static final int NEGOTIATE = 1;
    static final int CHALLENGE = 2;
    static final int AUTHENTICATE = 3;

    /** Tokens larger than this are refused before parsing (auth_length is a u16 anyway). */
    static final int MAX_TOKEN = 0xFFFF;

    /**
     * The VERSION structure (2.2.2.10) Weft sends: 10.0 build 20348, NTLMSSP_REVISION_W2K3 (15). Only informative;
     * MS-NLMP says it is for debugging.
     */
    static final byte[] VERSION = {10, 0, (byte) 0x7C, 0x4F, 0, 0, 0, 15};

    /** Offset of the MIC in an AUTHENTICATE_MESSAGE that carries a Version (2.2.1.3). */
    static final int MIC_OFFSET = 72;
    static final int AUTHENTICATE_HEADER = 88;
    static final int CHALLENGE_HEADER = 56;
    static final int NEGOTIATE_HEADER = 40;

    private NtlmMessages() {
    }

    // ---------------------------------------------------------------- records

    /** NEGOTIATE_MESSAGE (2.2.1.1); domain and workstation are never sent by Weft and ignored on receipt. */
    record Negotiate(int flags) {
        byte[] encode() {
            byte[] m = new byte[NEGOTIATE_HEADER];
            header(m, NEGOTIATE);
            Le.put32(m, 12, flags);
            // DomainNameFields and WorkstationFields: empty, offset at the end of the fixed part.
            Le.put32(m, 20, NEGOTIATE_HEADER);
            Le.put32(m, 28, NEGOTIATE_HEADER);
            System.arraycopy(VERSION, 0, m, 32, 8);
            return m;
        }

        static Negotiate decode(byte[] m) {
            check(m, NEGOTIATE, 16);
            return new Negotiate(Le.u32(m, 12));
        }
    }

    /** CHALLENGE_MESSAGE (2.2.1.2). */
    record Challenge(int flags, String targetName, byte[] serverChallenge, AvPairs targetInfo) {
        Challenge {
            if (serverChallenge.length != 8) throw new IllegalArgumentException("ServerChallenge must be 8 bytes");
        }

        byte[] encode() {
            byte[] name = targetName.getBytes(StandardCharsets.UTF_16LE);
            byte[] info = targetInfo.encode();
            byte[] m = new byte[CHALLENGE_HEADER + name.length + info.length];
            header(m, CHALLENGE);
            field(m, 12, name, CHALLENGE_HEADER);
            Le.put32(m, 20, flags);
            System.arraycopy(serverChallenge, 0, m, 24, 8);
            field(m, 40, info, CHALLENGE_HEADER + name.length);
            System.arraycopy(VERSION, 0, m, 48, 8);
            return m;
        }

        static Challenge decode(byte[] m) {
            check(m, CHALLENGE, 48);
            int flags = Le.u32(m, 20);
            if (!NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_UNICODE)) {
                throw new SecurityContextException(SecurityContextException.Reason.UNSUPPORTED,
                        "CHALLENGE_MESSAGE without NTLMSSP_NEGOTIATE_UNICODE");
            }
            String name = utf16(read(m, 12, "TargetNameFields"));
            byte[] challenge = Arrays.copyOfRange(m, 24, 32);
            byte[] info = read(m, 40, "TargetInfoFields");
            AvPairs pairs = info.length == 0 ? new AvPairs(java.util.List.of()) : AvPairs.decode(info, 0, info.length);
            return new Challenge(flags, name, challenge, pairs);
        }
    }

    /**
     * AUTHENTICATE_MESSAGE (2.2.1.3). {@code mic} is 16 bytes, or {@code null} when the message has no room for it.
     */
    record Authenticate(int flags, byte[] lmResponse, byte[] ntResponse, String domain, String user,
                        String workstation, byte[] encryptedRandomSessionKey, byte[] mic) {

        /** Encodes with the Version and a MIC field ({@code mic}, or zeros when {@code null}). */
        byte[] encode() {
            byte[] d = domain.getBytes(StandardCharsets.UTF_16LE);
            byte[] u = user.getBytes(StandardCharsets.UTF_16LE);
            byte[] w = workstation.getBytes(StandardCharsets.UTF_16LE);
            int total = AUTHENTICATE_HEADER + lmResponse.length + ntResponse.length + d.length + u.length + w.length
                    + encryptedRandomSessionKey.length;
            byte[] m = new byte[total];
            header(m, AUTHENTICATE);
            int at = AUTHENTICATE_HEADER;
            // Payload order as Windows sends it: domain, user, workstation, LM, NT, session key.
            at = field(m, 28, d, at);
            at = field(m, 36, u, at);
            at = field(m, 44, w, at);
            at = field(m, 12, lmResponse, at);
            at = field(m, 20, ntResponse, at);
            field(m, 52, encryptedRandomSessionKey, at);
            Le.put32(m, 60, flags);
            System.arraycopy(VERSION, 0, m, 64, 8);
            if (mic != null) System.arraycopy(mic, 0, m, MIC_OFFSET, 16);
            return m;
        }

        static Authenticate decode(byte[] m) {
            check(m, AUTHENTICATE, 64);
            int flags = Le.u32(m, 60);
            if (!NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_UNICODE)) {
                throw new SecurityContextException(SecurityContextException.Reason.UNSUPPORTED,
                        "AUTHENTICATE_MESSAGE without NTLMSSP_NEGOTIATE_UNICODE");
            }
            byte[] lm = read(m, 12, "LmChallengeResponseFields");
            byte[] nt = read(m, 20, "NtChallengeResponseFields");
            String domain = utf16(read(m, 28, "DomainNameFields"));
            String user = utf16(read(m, 36, "UserNameFields"));
            String ws = utf16(read(m, 44, "WorkstationFields"));
            byte[] key = read(m, 52, "EncryptedRandomSessionKeyFields");
            // The MIC exists only when the payload starts after it; the caller decides whether it must be there.
            byte[] mic = minPayloadOffset(m) >= AUTHENTICATE_HEADER ? Arrays.copyOfRange(m, MIC_OFFSET, MIC_OFFSET + 16)
                    : null;
            return new Authenticate(flags, lm, nt, domain, user, ws, key, mic);
        }

        /** The smallest BufferOffset of a non-empty payload field: where the fixed part must end. */
        private static int minPayloadOffset(byte[] m) {
            int min = m.length;
            for (int f = 12; f <= 52; f += 8) {
                int off = Le.u32(m, f + 4);
                if (Le.u16(m, f) != 0 && off >= 0) min = Math.min(min, off);
            }
            return min;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void header(byte[] m, int type) {
        System.arraycopy(SIGNATURE, 0, m, 0, 8);
        Le.put32(m, 8, type);
    }

    /** Writes a (Len, MaxLen, BufferOffset) field at {@code at} for {@code value} placed at {@code offset}. */
    private static int field(byte[] m, int at, byte[] value, int offset) {
        Le.put16(m, at, value.length);
        Le.put16(m, at + 2, value.length);
        Le.put32(m, at + 4, offset);
        System.arraycopy(value, 0, m, offset, value.length);
        return offset + value.length;
    }

    /** Reads a payload field, checking that it lies inside the message. */
    private static byte[] read(byte[] m, int at, String what) {
        int len = Le.u16(m, at);
        long off = Le.u32(m, at + 4) & 0xFFFFFFFFL;
        if (len == 0) return new byte[0];
        if (off < 8 || off + len > m.length) {
            throw SecurityContextException.invalidToken(what + " (offset " + off + ", length " + len
                    + ") outside the " + m.length + "-byte message");
        }
        return Arrays.copyOfRange(m, (int) off, (int) off + len);
    }

    private static String utf16(byte[] b) {
        if ((b.length & 1) != 0) throw SecurityContextException.invalidToken("odd-length UTF-16 string");
        return new String(b, StandardCharsets.UTF_16LE);
    }

    /** Checks the signature, the type and that the fixed part ({@code minLength} bytes) is there. */
    private static void check(byte[] m, int type, int minLength) {
        if (m.length > MAX_TOKEN) throw SecurityContextException.invalidToken("NTLM message of " + m.length + " bytes");
        if (m.length < minLength) {
            throw SecurityContextException.invalidToken("NTLM message of " + m.length + " bytes, type " + type
                    + " needs " + minLength);
        }
        if (!Arrays.equals(m, 0, 8, SIGNATURE, 0, 8)) throw SecurityContextException.invalidToken("not NTLMSSP");
        int actual = Le.u32(m, 8);
        if (actual != type) {
            throw SecurityContextException.invalidToken("NTLM message type " + actual + " where " + type
                    + " was expected");
        }
    }

    /** The MessageType of a token that starts with the NTLMSSP signature, or -1. */
    static int typeOf(byte[] m) {
        if (m.length < 12 || !Arrays.equals(m, 0, 8, SIGNATURE, 0, 8)) return -1;
        return Le.u32(m, 8);
    }
}
