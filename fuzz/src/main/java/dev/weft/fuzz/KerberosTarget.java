package dev.weft.fuzz;

import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityProvider;
import dev.weft.security.Step;
import dev.weft.security.internal.Der;
import dev.weft.security.kerberos.KerberosFuzzAccess;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * (d') The Kerberos acceptor ({@code KerberosProvider.server(keys).newServerContext().step(...)}, that is
 * {@code ApMessages.accept} and the DCE-style third leg) fed AP-REQs made here with known keys, as a KDC and an
 * initiator would make them: the ticket's EncTicketPart encrypted with the service key (AES256, AES128 or RC4-HMAC),
 * the Authenticator with the ticket's session key. Mutations reach past the decryption because the plaintexts are
 * part of the input and are encrypted at every execution, so the DER parser of the decrypted ticket and
 * Authenticator, the time, name, key type and checksum checks, and the third leg's EncAPRepPart all get mutated
 * values; mode 0 mutates the token as sent (outer DER, framing, ciphertext). The tickets carry no PAC.
 *
 * <p>Input: an 8-byte prefix, then the parts. Byte 0: the mode (0: the first token as sent; 1: first leg from
 * plaintexts; 2: first leg from plaintexts, then the third-leg AP-REP as sent; 3: both legs from plaintexts). Byte 1:
 * bit 0 GSS-frame the first token, bit 1 the ticket under the AES128 service key (else AES256), bit 2 an AES128
 * session key (else AES256), bit 3 the ticket under the RC4-HMAC service key, bit 4 an RC4-HMAC session key (both
 * over bits 1 and 2). Bytes 2-3 and 4-5: the lengths (little-endian) of the EncTicketPart and of the
 * Authenticator plaintexts; the rest is the third leg. Structure-aware mutations ({@link DerMutator}) change one
 * part's DER and fix the lengths. A ctime of {@value #NOW} is replaced by the current time (so a long run stays
 * within the 5-minute skew) and the sequence number {@code 0x3ABCDEF1} in a third leg by the acceptor's (random)
 * one. Every execution uses a fresh acceptor, so the replay cache starts empty.
 *
 * <p>Typed error: {@link SecurityContextException}. A step that answers {@code Complete} must leave the context
 * complete with an identity and a session key; one that answers {@code Continue} must not.
 */
final class KerberosTarget implements Target {

    static final String NOW = "20000101000000Z";
    private static final byte[] NOW_BYTES = NOW.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ_MARKER = {0x3A, (byte) 0xBC, (byte) 0xDE, (byte) 0xF1};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    static final byte[] SERVICE_256 = HexFormat.of().parseHex("5a5b5c5d5e5f606162636465666768696a6b6c6d6e6f70717273747576777879");
    static final byte[] SERVICE_128 = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");
    static final byte[] SESSION_256 = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    static final byte[] SESSION_128 = HexFormat.of().parseHex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
    static final byte[] SERVICE_RC4 = HexFormat.of().parseHex("11121314151617181920212223242526");
    static final byte[] SESSION_RC4 = HexFormat.of().parseHex("d0d1d2d3d4d5d6d7d8d9dadbdcdddedf");
    private static final int KVNO = 3;
    private static final String REALM = "WEFT.TEST";

    private final DerMutator der = new DerMutator();
    private final Mutator mutator = new Mutator(70_000);

    @Override
    public String name() {
        return "krb";
    }

    @Override
    public int prefix() {
        return 8;
    }

    /** A fresh acceptor: its replay cache is empty, so every input is judged on its own. */
    private static SecurityProvider acceptor() {
        return KerberosFuzzAccess.acceptor("host/weft.test@" + REALM, KVNO, Map.of(KerberosFuzzAccess.AES256, SERVICE_256,
                KerberosFuzzAccess.AES128, SERVICE_128, KerberosFuzzAccess.RC4_HMAC, SERVICE_RC4));
    }

    // ------------------------------------------------------------------------------------------------ seeds

    @Override
    public List<byte[]> seeds(Random random) {
        List<byte[]> seeds = new ArrayList<>();
        for (int bits : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 24, 25, 10, 20}) {
            for (int flags : new int[] {0x3E | KerberosFuzzAccess.GSS_C_DCE_STYLE, 0x3E, 0x20}) {
                byte[] ticket = encTicketPart(bits, "alice");
                byte[] auth = authenticator("alice", flags, 1000 + bits);
                boolean dce = (flags & KerberosFuzzAccess.GSS_C_DCE_STYLE) != 0;
                seeds.add(input(1, bits, ticket, auth, new byte[0]));
                seeds.add(input(0, bits, new byte[0], new byte[0], firstToken(bits, ticket, auth)));
                if (dce) {
                    byte[] rep = encApRepPart();
                    seeds.add(input(3, bits, ticket, auth, rep));
                    seeds.add(input(2, bits, ticket, auth, apRep(bits, withSeq(rep, 0x1234))));
                }
            }
        }
        // Another client, a principal of several components, an Authenticator with a subkey of its own.
        seeds.add(input(1, 0, encTicketPart(0, "host", "ws1.weft.test"), authenticator2(), new byte[0]));
        return seeds;
    }

    static byte[] input(int mode, int bits, byte[] ticket, byte[] auth, byte[] rest) {
        byte[] b = new byte[8 + ticket.length + auth.length + rest.length];
        b[0] = (byte) mode;
        b[1] = (byte) bits;
        Mutator.set(b, 2, 2, ticket.length, false);
        Mutator.set(b, 4, 2, auth.length, false);
        System.arraycopy(ticket, 0, b, 8, ticket.length);
        System.arraycopy(auth, 0, b, 8 + ticket.length, auth.length);
        System.arraycopy(rest, 0, b, 8 + ticket.length + auth.length, rest.length);
        return b;
    }

    private static byte[] gs(String s) {
        return Der.tlv(0x1B, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] integer(long v) {
        return Der.tlv(0x02, DerMutator.integer(v));
    }

    private static byte[] time(String t) {
        return Der.tlv(0x18, t.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] principal(String... parts) {
        byte[][] names = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) names[i] = gs(parts[i]);
        return Der.constructed(Der.SEQUENCE, Der.tlv(Der.context(0), integer(1)),
                Der.tlv(Der.context(1), Der.constructed(Der.SEQUENCE, names)));
    }

    /** EncTicketPart (RFC 4120 5.3): flags, the session key, the client, transited, times, addresses, authdata. */
    static byte[] encTicketPart(int bits, String... client) {
        int etype = sessionType(bits);
        return Der.tlv(Der.application(3), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(Der.BIT_STRING, new byte[] {0, 0x40, (byte) 0xE1, 0, 0})),
                Der.tlv(Der.context(1), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(etype)),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, sessionKey(bits))))),
                Der.tlv(Der.context(2), gs(REALM)),
                Der.tlv(Der.context(3), principal(client)),
                Der.tlv(Der.context(4), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(1)),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, new byte[0])))),
                Der.tlv(Der.context(5), time("20200101000000Z")),
                Der.tlv(Der.context(6), time("20200101000000Z")),
                Der.tlv(Der.context(7), time("20991231235959Z")),
                Der.tlv(Der.context(8), time("20991231235959Z")),
                Der.tlv(Der.context(10), Der.constructed(Der.SEQUENCE, Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(1)),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, new byte[] {0x30, 0x00})))))));
    }

    /** Authenticator (RFC 4120 5.5.1) with the RFC 4121 4.1.1 GSS checksum carrying {@code flags}. */
    static byte[] authenticator(String client, int flags, int seq) {
        byte[] checksum = new byte[24];
        checksum[0] = 16;
        checksum[20] = (byte) flags;
        checksum[21] = (byte) (flags >>> 8);
        return Der.tlv(Der.application(2), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), integer(5)),
                Der.tlv(Der.context(1), gs(REALM)),
                Der.tlv(Der.context(2), principal(client)),
                Der.tlv(Der.context(3), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(0x8003)),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, checksum)))),
                Der.tlv(Der.context(4), integer(0x1234)),
                Der.tlv(Der.context(5), time(NOW)),
                Der.tlv(Der.context(7), integer(seq))));
    }

    /** An Authenticator for host/ws1.weft.test with a subkey and a 28-byte checksum (a delegation-less Windows one). */
    private static byte[] authenticator2() {
        byte[] checksum = new byte[28];
        checksum[0] = 16;
        checksum[20] = 0x3E;
        checksum[21] = 0x10;
        return Der.tlv(Der.application(2), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), integer(5)),
                Der.tlv(Der.context(1), gs(REALM)),
                Der.tlv(Der.context(2), principal("host", "ws1.weft.test")),
                Der.tlv(Der.context(3), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(0x8003)),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, checksum)))),
                Der.tlv(Der.context(4), integer(999_999)),
                Der.tlv(Der.context(5), time(NOW)),
                Der.tlv(Der.context(6), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(KerberosFuzzAccess.AES128)),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, SESSION_128)))),
                Der.tlv(Der.context(7), integer(0x7FFFFFFFL))));
    }

    /** The DCE-style third leg's EncAPRepPart: ctime, cusec and the sequence number to echo (a marker). */
    static byte[] encApRepPart() {
        return Der.tlv(Der.application(27), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), time(NOW)),
                Der.tlv(Der.context(1), integer(0x1234)),
                Der.tlv(Der.context(3), Der.tlv(0x02, SEQ_MARKER))));
    }

    // ------------------------------------------------------------------------------------------------ execution

    /** The parts of an input: the EncTicketPart and Authenticator plaintexts and the rest. */
    private record Parts(byte[] ticket, byte[] auth, byte[] rest) {
    }

    private static Parts split(byte[] input) {
        int t = Math.min(u16(input, 2), input.length - 8);
        int a = Math.min(u16(input, 4), input.length - 8 - t);
        return new Parts(Arrays.copyOfRange(input, 8, 8 + t), Arrays.copyOfRange(input, 8 + t, 8 + t + a),
                Arrays.copyOfRange(input, 8 + t + a, input.length));
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    @Override
    public String execute(byte[] input) {
        if (input.length < 8) return "short";
        int mode = (input[0] & 0xFF) % 4;
        int bits = input[1] & 0xFF;
        Parts p = split(input);
        SecurityContext server = acceptor().newServerContext();
        byte[] first = mode == 0 ? p.rest() : firstToken(bits, p.ticket(), p.auth());
        Step one = server.step(first);
        String b = "mode " + mode + " " + check(server, one);
        if (mode < 2 || !(one instanceof Step.Continue)) return b;
        byte[] third;
        if (mode == 2) {
            third = p.rest();
        } else {
            long seq = KerberosFuzzAccess.acceptorSeq(one.token(), sessionType(bits), sessionKey(bits));
            third = apRep(bits, withSeq(p.rest(), seq));
        }
        Step two = server.step(third);
        return b + ", third leg " + check(server, two);
    }

    /** The step's promises about the context: Complete means established (identity, key), Continue means not yet. */
    private static String check(SecurityContext c, Step s) {
        if (s instanceof Step.Complete) {
            if (!c.isComplete()) throw new PropertyViolation("step() answered Complete but the context is not complete");
            if (c.identity() == null || c.sessionKey() == null) throw new PropertyViolation("complete without identity or key");
            return "Complete " + c.negotiatedProtection() + " " + c.identity().user().length();
        }
        if (c.isComplete()) throw new PropertyViolation("step() answered Continue but the context is complete");
        return "Continue";
    }

    /** The session key's type an input's bits choose: RC4-HMAC (bit 4), AES128 (bit 2) or AES256. */
    private static int sessionType(int bits) {
        return (bits & 16) != 0 ? KerberosFuzzAccess.RC4_HMAC : (bits & 4) != 0 ? KerberosFuzzAccess.AES128
                : KerberosFuzzAccess.AES256;
    }

    private static byte[] sessionKey(int bits) {
        return (bits & 16) != 0 ? SESSION_RC4 : (bits & 4) != 0 ? SESSION_128 : SESSION_256;
    }

    /** The service key's type an input's bits choose: RC4-HMAC (bit 3), AES128 (bit 1) or AES256. */
    private static int serviceType(int bits) {
        return (bits & 8) != 0 ? KerberosFuzzAccess.RC4_HMAC : (bits & 2) != 0 ? KerberosFuzzAccess.AES128
                : KerberosFuzzAccess.AES256;
    }

    private static byte[] serviceKey(int bits) {
        return (bits & 8) != 0 ? SERVICE_RC4 : (bits & 2) != 0 ? SERVICE_128 : SERVICE_256;
    }

    /** The AP-REQ (RFC 4120 5.5.1) with the two plaintexts encrypted now; framed when bit 0 says so. */
    static byte[] firstToken(int bits, byte[] ticketPlain, byte[] authPlain) {
        byte[] auth = replace(authPlain, NOW_BYTES, TIME.format(Instant.now()).getBytes(StandardCharsets.US_ASCII));
        byte[] ticket = Der.tlv(Der.application(1), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), integer(5)),
                Der.tlv(Der.context(1), gs(REALM)),
                Der.tlv(Der.context(2), principal("host", "weft.test")),
                Der.tlv(Der.context(3), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(serviceType(bits))),
                        Der.tlv(Der.context(1), integer(KVNO)),
                        Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, KerberosFuzzAccess.encrypt(
                                serviceType(bits), serviceKey(bits), KerberosFuzzAccess.USAGE_TICKET, ticketPlain)))))));
        byte[] apReq = Der.tlv(Der.application(14), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), integer(5)),
                Der.tlv(Der.context(1), integer(14)),
                Der.tlv(Der.context(2), Der.tlv(Der.BIT_STRING, new byte[] {0, 0x20, 0, 0, 0})),
                Der.tlv(Der.context(3), ticket),
                Der.tlv(Der.context(4), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(sessionType(bits))),
                        Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, KerberosFuzzAccess.encrypt(
                                sessionType(bits), sessionKey(bits), KerberosFuzzAccess.USAGE_AUTHENTICATOR, auth)))))));
        return (bits & 1) != 0 ? KerberosFuzzAccess.frame(apReq, 0x0100) : apReq;
    }

    /** The initiator's AP-REP (the DCE third leg) around an EncAPRepPart plaintext, encrypted now. */
    static byte[] apRep(int bits, byte[] encPart) {
        byte[] plain = replace(encPart, NOW_BYTES, TIME.format(Instant.now()).getBytes(StandardCharsets.US_ASCII));
        return Der.tlv(Der.application(15), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), integer(5)),
                Der.tlv(Der.context(1), integer(15)),
                Der.tlv(Der.context(2), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), integer(sessionType(bits))),
                        Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, KerberosFuzzAccess.encrypt(
                                sessionType(bits), sessionKey(bits), KerberosFuzzAccess.USAGE_AP_REP, plain)))))));
    }

    /** The plaintext with the sequence-number marker replaced by {@code seq} (four bytes, big-endian). */
    static byte[] withSeq(byte[] plain, long seq) {
        return replace(plain, SEQ_MARKER, new byte[] {(byte) (seq >>> 24), (byte) (seq >>> 16), (byte) (seq >>> 8), (byte) seq});
    }

    /** Every occurrence of {@code what} replaced by {@code with}, which has the same length. */
    private static byte[] replace(byte[] in, byte[] what, byte[] with) {
        byte[] out = in;
        for (int i = 0; i + what.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                if (out == in) out = in.clone();
                System.arraycopy(with, 0, out, i, with.length);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ mutation

    /** One part's DER mutated as DER (or its bytes, when it is not DER any more), the lengths fixed. */
    @Override
    public byte[] mutateStructure(byte[] input, Random random, List<byte[]> corpus) {
        if (input.length < 8) return null;
        Parts p = split(input);
        byte[][] parts = {p.ticket(), p.auth(), p.rest()};
        int which = random.nextInt(3);
        if (parts[which].length == 0) which = 2;
        byte[] m = der.mutate(parts[which], random);
        parts[which] = m != null ? m : mutator.mutate(parts[which], 0, random, corpus);
        byte[] out = input(input[0], input[1] & 0xFF, parts[0], parts[1], parts[2]);
        System.arraycopy(input, 6, out, 6, 2);
        return out;
    }

    @Override
    public boolean allowed(Throwable t) {
        return t instanceof SecurityContextException;
    }

    @Override
    public long allocationBound(byte[] input) {
        // Key derivation and AES/HMAC instances for every encryption and decryption, as in the other security targets.
        return 64L * input.length + 1024 * 1024;
    }
}
