package dev.weft.bench.ndr;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;

/**
 * The shape of a SAMR user list element: {@code struct { unsigned long rid; [unique, string] wchar_t *name; }},
 * with a hand-written codec in the two-pass shape generated code uses (C706 14.3.12: the inline parts of all
 * elements first, then the referents in order).
 */
record UserEntry(int rid, String name) {

    /** {@code [size_is(count)] UserEntry entries[]} as a conformant array. */
    static void writeArray(NdrWriter w, UserEntry[] entries) {
        w.writeConformance(entries.length);
        // Struct alignment: 4 in NDR, 8 in NDR64 (it holds a pointer).
        w.alignPointer();
        for (UserEntry e : entries) {
            w.writeInt32(e.rid);
            w.writeUniquePointer(e.name);
            w.endStruct(8);
        }
        for (UserEntry e : entries) {
            if (e.name != null) w.writeWideString(e.name);
        }
    }

    static UserEntry[] readArray(NdrReader r) {
        int n = r.readConformance();
        // Each inline element is at least 8 bytes (NDR) on the wire: check before allocating.
        r.checkCount(n, 8);
        int[] rids = new int[n];
        boolean[] present = new boolean[n];
        r.alignPointer();
        for (int i = 0; i < n; i++) {
            rids[i] = r.readInt32();
            present[i] = r.readUniquePointer();
            r.endStruct(8);
        }
        UserEntry[] out = new UserEntry[n];
        for (int i = 0; i < n; i++) {
            out[i] = new UserEntry(rids[i], present[i] ? r.readWideString() : null);
        }
        return out;
    }
}
