package dev.weft.pdu;

import dev.weft.ndr.Bytes;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;

/** Writes PDU fields into a pre-sized array in one byte order. Package-private: senders get bytes from the codec. */
final class WireWriter {
    final byte[] buf;
    int pos;
    private final boolean bigEndian;

    WireWriter(byte[] buf, int pos, boolean bigEndian) {
        this.buf = buf;
        this.pos = pos;
        this.bigEndian = bigEndian;
    }

    void u8(int v) {
        buf[pos++] = (byte) v;
    }

    void u16(int v) {
        if (bigEndian) Bytes.putShortBE(buf, pos, (short) v);
        else Bytes.putShortLE(buf, pos, (short) v);
        pos += 2;
    }

    void u32(int v) {
        if (bigEndian) Bytes.putIntBE(buf, pos, v);
        else Bytes.putIntLE(buf, pos, v);
        pos += 4;
    }

    void zeros(int n) {
        pos += n; // arrays start zeroed and every position is written once
    }

    void bytes(byte[] b) {
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** A UUID in NDR form: the first three fields in this writer's order, the last eight verbatim (C706 ch. 14). */
    void uuid(Uuid u) {
        if (bigEndian) {
            Bytes.putIntBE(buf, pos, (int) (u.msb() >>> 32));
            Bytes.putShortBE(buf, pos + 4, (short) (u.msb() >>> 16));
            Bytes.putShortBE(buf, pos + 6, (short) u.msb());
            Bytes.putLongBE(buf, pos + 8, u.lsb());
        } else {
            u.toWire(buf, pos);
        }
        pos += Uuid.SIZE;
    }

    void syntax(SyntaxId s) {
        uuid(s.uuid());
        u32(s.packedVersion());
    }
}
