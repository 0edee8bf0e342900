package dev.weft.pdu;

import dev.weft.ndr.Bytes;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.util.Arrays;

/**
 * Reads PDU fields from {@code [pos, end)} in the PDU's byte order. Every read checks the remaining bytes first and
 * throws the {@link ProtocolException} for this PTYPE, so nothing is allocated or indexed beyond the input.
 */
final class WireReader {
    final byte[] b;
    int pos;
    final int end;
    private final boolean bigEndian;
    private final int ptype;

    WireReader(byte[] b, int pos, int end, boolean bigEndian, int ptype) {
        this.b = b;
        this.pos = pos;
        this.end = end;
        this.bigEndian = bigEndian;
        this.ptype = ptype;
    }

    int remaining() {
        return end - pos;
    }

    /** Fails unless {@code n} more bytes (as a long, so products of counts cannot overflow) are available. */
    void need(long n, String what) {
        if (n < 0 || n > end - pos) {
            throw ProtocolException.malformed(ptype, what + " needs " + n + " bytes, " + (end - pos) + " remain");
        }
    }

    int u8() {
        need(1, "u8");
        return b[pos++] & 0xFF;
    }

    int u16() {
        need(2, "u16");
        int v = Bytes.getU16(b, pos, bigEndian);
        pos += 2;
        return v;
    }

    int u32() {
        need(4, "u32");
        int v = Bytes.getI32(b, pos, bigEndian);
        pos += 4;
        return v;
    }

    void skip(int n, String what) {
        need(n, what);
        pos += n;
    }

    Uuid uuid() {
        need(Uuid.SIZE, "uuid");
        Uuid u = Uuid.fromWire(b, pos, bigEndian);
        pos += Uuid.SIZE;
        return u;
    }

    SyntaxId syntax() {
        need(SyntaxId.SIZE, "p_syntax_id_t");
        SyntaxId s = SyntaxId.fromWire(b, pos, bigEndian);
        pos += SyntaxId.SIZE;
        return s;
    }

    byte[] bytes(int n, String what) {
        need(n, what);
        byte[] r = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return r;
    }

    ProtocolException malformed(String message) {
        return ProtocolException.malformed(ptype, message);
    }
}
