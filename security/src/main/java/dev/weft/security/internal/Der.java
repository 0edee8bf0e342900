package dev.weft.security.internal;

import dev.weft.security.SecurityContextException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The small subset of DER (ITU-T X.690) that SPNEGO and, later, Kerberos need: single-byte tags, definite lengths,
 * OBJECT IDENTIFIER, OCTET STRING, ENUMERATED, BIT STRING and constructed types. Decoding is bounded: every length
 * is checked against the bytes that remain before anything is read or allocated, the decoder never recurses (each
 * caller walks one level at a time), and every
 * violation is a {@link SecurityContextException} with reason INVALID_TOKEN.
 */
public final class Der {

    public static final int SEQUENCE = 0x30;
    public static final int OCTET_STRING = 0x04;
    public static final int OID = 0x06;
    public static final int ENUMERATED = 0x0A;
    public static final int BIT_STRING = 0x03;
    public static final int GENERAL_STRING = 0x1B;

    private Der() {
    }

    /** Context-specific constructed tag {@code [n]} (0xA0 | n). */
    public static int context(int n) {
        return 0xA0 | n;
    }

    /** Application constructed tag {@code [APPLICATION n]} (0x60 | n). */
    public static int application(int n) {
        return 0x60 | n;
    }

    // ---------------------------------------------------------------- encoding

    /** A TLV with {@code tag} around {@code content}. */
    public static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xFFFFFF ? 4 : n > 0xFFFF ? 3 : n > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** A constructed TLV around the concatenation of {@code parts}. */
    public static byte[] constructed(int tag, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return tlv(tag, out.toByteArray());
    }

    /** The content octets of an OBJECT IDENTIFIER in dotted form. */
    public static byte[] oidContent(String dotted) {
        String[] arcs = dotted.split("\\.");
        if (arcs.length < 2) throw new IllegalArgumentException("OID needs two arcs: " + dotted);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) base128(out, Long.parseLong(arcs[i]));
        return out.toByteArray();
    }

    private static void base128(ByteArrayOutputStream out, long v) {
        int groups = 1;
        while ((v >>> (7 * groups)) != 0) groups++;
        for (int g = groups - 1; g >= 0; g--) out.write((int) ((v >>> (7 * g)) & 0x7F) | (g == 0 ? 0 : 0x80));
    }

    /** An OBJECT IDENTIFIER TLV. */
    public static byte[] oid(String dotted) {
        return tlv(OID, oidContent(dotted));
    }

    /** The dotted form of OID content octets. */
    public static String oidText(byte[] content) {
        if (content.length == 0) throw SecurityContextException.invalidToken("empty OBJECT IDENTIFIER");
        StringBuilder sb = new StringBuilder();
        long v = 0;
        boolean first = true;
        int groupBytes = 0;
        for (byte b : content) {
            if (++groupBytes > 9) throw SecurityContextException.invalidToken("OID arc too long");
            v = (v << 7) | (b & 0x7F);
            if ((b & 0x80) == 0) {
                if (first) {
                    long top = Math.min(v / 40, 2);
                    sb.append(top).append('.').append(v - 40 * top);
                    first = false;
                } else {
                    sb.append('.').append(v);
                }
                v = 0;
                groupBytes = 0;
            }
        }
        if (groupBytes != 0) throw SecurityContextException.invalidToken("truncated OID arc");
        return sb.toString();
    }

    // ---------------------------------------------------------------- decoding

    /** One decoded TLV: its tag and where its content lies in the source array. */
    public record Element(int tag, byte[] source, int offset, int length) {

        /** A copy of the content octets. */
        public byte[] content() {
            byte[] c = new byte[length];
            System.arraycopy(source, offset, c, 0, length);
            return c;
        }

        /** A reader over the content of this (constructed) element. */
        public Reader children() {
            return new Reader(source, offset, offset + length);
        }

        /** The whole TLV including tag and length octets is {@code source[start, offset+length)}. */
        public Element expect(int expectedTag) {
            if (tag != expectedTag) {
                throw SecurityContextException.invalidToken(String.format("tag 0x%02x where 0x%02x was expected", tag,
                        expectedTag));
            }
            return this;
        }

        /** The single child of an explicit tag {@code [n]}, which must have {@code innerTag}. */
        public Element explicit(int innerTag) {
            Reader r = children();
            Element inner = r.next().expect(innerTag);
            r.end();
            return inner;
        }

        /** The value of an ENUMERATED or small INTEGER (1 to 4 content bytes). */
        public int intValue() {
            if (length < 1 || length > 4) throw SecurityContextException.invalidToken("integer of " + length + " bytes");
            int v = source[offset]; // sign-extended
            for (int i = 1; i < length; i++) v = (v << 8) | (source[offset + i] & 0xFF);
            return v;
        }
    }

    /** Reads consecutive TLVs from {@code [pos, end)}. */
    public static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;
        private int lastStart;

        public Reader(byte[] b, int pos, int end) {
            if (pos < 0 || end > b.length || pos > end) throw new IndexOutOfBoundsException();
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        /** A reader over all of {@code b}. */
        public static Reader of(byte[] b) {
            return new Reader(b, 0, b.length);
        }

        public boolean hasNext() {
            return pos < end;
        }

        /** Start offset of the last element returned by {@link #next()} (its tag byte). */
        public int lastStart() {
            return lastStart;
        }

        /** The next TLV. */
        public Element next() {
            if (pos >= end) throw SecurityContextException.invalidToken("DER element expected, none left");
            lastStart = pos;
            int tag = b[pos++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) throw SecurityContextException.invalidToken("multi-byte DER tags are not used here");
            if (pos >= end) throw SecurityContextException.invalidToken("DER length missing");
            int first = b[pos++] & 0xFF;
            long len;
            if (first < 0x80) {
                len = first;
            } else {
                int n = first & 0x7F;
                if (n == 0) throw SecurityContextException.invalidToken("indefinite DER length");
                if (n > 4) throw SecurityContextException.invalidToken("DER length of " + n + " bytes");
                if (end - pos < n) throw SecurityContextException.invalidToken("truncated DER length");
                len = 0;
                for (int i = 0; i < n; i++) len = (len << 8) | (b[pos++] & 0xFF);
            }
            if (len > end - pos) {
                throw SecurityContextException.invalidToken("DER length " + len + " exceeds the " + (end - pos)
                        + " bytes left");
            }
            Element e = new Element(tag, b, pos, (int) len);
            pos += (int) len;
            return e;
        }

        /** The next TLV if it has {@code tag}, else {@code null} (for OPTIONAL fields). */
        public Element optional(int tag) {
            if (pos < end && (b[pos] & 0xFF) == tag) return next();
            return null;
        }

        /** Fails unless everything was read. */
        public void end() {
            if (pos != end) throw SecurityContextException.invalidToken((end - pos) + " unexpected bytes after DER element");
        }
    }

    /** The OIDs of a SEQUENCE OF OBJECT IDENTIFIER, at most {@code max}. */
    public static List<String> oidList(Element sequence, int max) {
        sequence.expect(SEQUENCE);
        Reader r = sequence.children();
        List<String> out = new ArrayList<>();
        while (r.hasNext()) {
            if (out.size() == max) throw SecurityContextException.invalidToken("more than " + max + " mechanisms");
            out.add(oidText(r.next().expect(OID).content()));
        }
        return out;
    }
}
