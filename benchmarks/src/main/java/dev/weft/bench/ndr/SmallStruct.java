package dev.weft.bench.ndr;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.Uuid;

/** {@code struct { short flags; long count; hyper id; GUID object; }}: aligned 8, 32 bytes in both syntaxes. */
record SmallStruct(short flags, int count, long id, Uuid object) {

    static void write(NdrWriter w, SmallStruct s) {
        w.align(8);
        w.writeInt16(s.flags);
        w.writeInt32(s.count);
        w.writeInt64(s.id);
        w.writeUuid(s.object);
        w.endStruct(8);
    }

    static SmallStruct read(NdrReader r) {
        r.align(8);
        SmallStruct s = new SmallStruct(r.readInt16(), r.readInt32(), r.readInt64(), r.readUuid());
        r.endStruct(8);
        return s;
    }
}
