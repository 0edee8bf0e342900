package dev.weft.security.ntlm;

import dev.weft.security.SecurityContextException;
import dev.weft.security.internal.Le;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An AV_PAIR list (MS-NLMP 2.2.2.1): the CHALLENGE_MESSAGE's TargetInfo and the copy the client puts in its
 * NTLMv2_CLIENT_CHALLENGE. Order is kept, since the list is part of the signed response.
 */
record AvPairs(List<Pair> pairs) {

    static final int MSV_AV_EOL = 0;
    static final int MSV_AV_NB_COMPUTER_NAME = 1;
    static final int MSV_AV_NB_DOMAIN_NAME = 2;
    static final int MSV_AV_DNS_COMPUTER_NAME = 3;
    static final int MSV_AV_DNS_DOMAIN_NAME = 4;
    static final int MSV_AV_DNS_TREE_NAME = 5;
    static final int MSV_AV_FLAGS = 6;
    static final int MSV_AV_TIMESTAMP = 7;
    static final int MSV_AV_SINGLE_HOST = 8;
    static final int MSV_AV_TARGET_NAME = 9;
    static final int MSV_AV_CHANNEL_BINDINGS = 10;

    /** MsvAvFlags bit: the AUTHENTICATE_MESSAGE carries a MIC. */
    static final int AV_FLAG_MIC_PRESENT = 0x2;

    /** At most this many pairs are read from the network. */
    static final int MAX_PAIRS = 64;

    /** One pair; {@code value} is not copied. */
    record Pair(int id, byte[] value) {
    }

    AvPairs {
        pairs = Collections.unmodifiableList(new ArrayList<>(pairs));
    }

    /** The value of the first pair with {@code id}, or {@code null}. */
    byte[] get(int id) {
        for (Pair p : pairs) if (p.id() == id) return p.value();
        return null;
    }

    /** A UTF-16LE text value, or {@code null}. */
    String text(int id) {
        byte[] v = get(id);
        return v == null ? null : new String(v, StandardCharsets.UTF_16LE);
    }

    /** MsvAvFlags, 0 when absent. */
    int flags() {
        byte[] v = get(MSV_AV_FLAGS);
        return v != null && v.length == 4 ? Le.u32(v, 0) : 0;
    }

    /** The same list with {@code id} set to {@code value} (replaced in place, or appended). */
    AvPairs with(int id, byte[] value) {
        List<Pair> out = new ArrayList<>(pairs);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).id() == id) {
                out.set(i, new Pair(id, value));
                return new AvPairs(out);
            }
        }
        out.add(new Pair(id, value));
        return new AvPairs(out);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    static byte[] u32(int v) {
        byte[] b = new byte[4];
        Le.put32(b, 0, v);
        return b;
    }

    /** The wire form, ending with MsvAvEOL. */
    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = new byte[4];
        for (Pair p : pairs) {
            Le.put16(h, 0, p.id());
            Le.put16(h, 2, p.value().length);
            out.writeBytes(h);
            out.writeBytes(p.value());
        }
        out.writeBytes(new byte[4]); // MsvAvEOL
        return out.toByteArray();
    }

    /**
     * Parses {@code b[off, off+len)}. The list must end with MsvAvEOL inside the range; bytes after it are ignored
     * (the NTLMv2 blob has 4 reserved zero bytes there).
     */
    static AvPairs decode(byte[] b, int off, int len) {
        int end = off + len;
        List<Pair> out = new ArrayList<>();
        int pos = off;
        while (true) {
            if (end - pos < 4) throw SecurityContextException.invalidToken("AV_PAIR list without MsvAvEOL");
            int id = Le.u16(b, pos);
            int n = Le.u16(b, pos + 2);
            pos += 4;
            if (id == MSV_AV_EOL) return new AvPairs(out);
            if (n > end - pos) throw SecurityContextException.invalidToken("AV_PAIR " + id + " of " + n + " bytes overruns");
            if (out.size() == MAX_PAIRS) throw SecurityContextException.invalidToken("more than " + MAX_PAIRS + " AV_PAIRs");
            byte[] v = new byte[n];
            System.arraycopy(b, pos, v, 0, n);
            out.add(new Pair(id, v));
            pos += n;
        }
    }
}
