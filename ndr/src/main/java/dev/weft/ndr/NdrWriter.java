package dev.weft.ndr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * Encodes stub data in NDR20 or NDR64, always little-endian (C706 chapter 14, MS-RPCE 2.2.5).
 *
 * <p>Alignment is counted from the first byte this writer produced, which is the start of the stub
 * (RPCE-FACTS §10.1). Every primitive aligns itself; constructed types call {@link #align} with their own
 * alignment, which generated code computes per syntax. Pointers follow C706's deferral order by the two-pass
 * shape of the codecs that call this class: a type writes its inline part (scalars and referent ids) and then
 * its deferred referents, each referent again inline part first.
 *
 * <p>Not thread-safe: one writer per call. A writer given a {@link ByteSink} streams: once its buffer passes a
 * threshold it hands the bytes on and keeps counting offsets, so a pipe of any size is encoded in bounded memory.
 */
public final class NdrWriter {
    /** The first referent id Windows and Samba hand out; each further one adds 4 (RPCE-FACTS §10.6). */
    static final int FIRST_REFERENT_ID = 0x00020000;

    private final TransferSyntax syntax;
    private final boolean ndr64;
    private final NdrLimits limits;
    private byte[] buf;
    private int pos;
    /** Bytes already handed to the sink: the stub offset of {@code buf[0]}. */
    private long flushed;
    private ByteSink sink;
    private int flushThreshold;
    private int nextReferentId = FIRST_REFERENT_ID;
    private IdentityHashMap<Object, Integer> fullPointers;
    private int depth;

    public NdrWriter(TransferSyntax syntax) {
        this(syntax, 256, NdrLimits.DEFAULT);
    }

    public NdrWriter(TransferSyntax syntax, int initialCapacity) {
        this(syntax, initialCapacity, NdrLimits.DEFAULT);
    }

    public NdrWriter(TransferSyntax syntax, int initialCapacity, NdrLimits limits) {
        this.syntax = syntax;
        this.ndr64 = syntax == TransferSyntax.NDR64;
        this.limits = limits;
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    /**
     * Streams: whenever the buffer holds at least {@code threshold} bytes and needs to grow, they go to
     * {@code sink}. {@link #flush()} hands over whatever is left.
     */
    public NdrWriter streamTo(ByteSink sink, int threshold) {
        this.sink = sink;
        this.flushThreshold = Math.max(1, threshold);
        return this;
    }

    public TransferSyntax syntax() {
        return syntax;
    }

    public boolean isNdr64() {
        return ndr64;
    }

    /** Offset from the start of the stub of the next byte to be written. */
    public long position() {
        return flushed + pos;
    }

    /** Bytes held in the buffer, not yet handed to a sink. */
    public int size() {
        return pos;
    }

    /** The internal buffer; its first {@link #size()} bytes are the encoding. */
    public byte[] buffer() {
        return buf;
    }

    /** A copy of the buffered encoding. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Hands every buffered byte to the sink (a no-op without one). */
    public void flush() {
        if (sink != null && pos > 0) {
            sink.accept(buf, 0, pos);
            flushed += pos;
            pos = 0;
        }
    }

    /** Forgets everything written, including pointer numbering, so the writer can encode another stub. */
    public void reset() {
        pos = 0;
        flushed = 0;
        nextReferentId = FIRST_REFERENT_ID;
        fullPointers = null;
        depth = 0;
    }

    private void ensure(int n) {
        if (buf.length - pos >= n) return;
        if (sink != null && pos >= flushThreshold) {
            flush();
            if (buf.length >= n) return;
        }
        int want = Math.max(buf.length << 1, pos + n);
        if (want < 0) throw new NdrException("stub too large to encode");
        buf = Arrays.copyOf(buf, want);
    }

    /**
     * Makes room for up to {@code count} elements of {@code size} octets and returns how many fit now: all of them
     * without a sink; with a sink, as many as the buffer holds, so a large array streams through a bounded buffer.
     */
    private int room(int count, int size) {
        if (sink == null) {
            if (count > (Integer.MAX_VALUE - 16) / size) throw new NdrException("stub too large to encode");
            ensure(count * size);
            return count;
        }
        if (buf.length - pos < size) ensure(size);
        return Math.min(count, (buf.length - pos) / size);
    }

    // ---------------------------------------------------------------- alignment

    /** Writes zero bytes up to the next multiple of {@code n} (a power of two) counted from the stub start. */
    public NdrWriter align(int n) {
        int pad = (int) -(flushed + pos) & (n - 1);
        if (pad != 0) {
            ensure(pad);
            // The buffer may hold stale bytes after reset(): padding is zero on the wire.
            for (int i = 0; i < pad; i++) buf[pos++] = 0;
        }
        return this;
    }

    /** Aligns to a pointer or count: 4 in NDR, 8 in NDR64. */
    public NdrWriter alignPointer() {
        return align(ndr64 ? 8 : 4);
    }

    /**
     * NDR64 pads every structure to a multiple of its alignment (MS-RPCE 2.2.5.3.4.1); NDR has no trailing
     * padding. Call after a structure's last member with the structure's NDR64 alignment.
     */
    public NdrWriter endStruct(int ndr64Alignment) {
        if (ndr64) align(ndr64Alignment);
        return this;
    }

    // ---------------------------------------------------------------- primitives (C706 14.2)

    public NdrWriter writeBoolean(boolean v) {
        return writeInt8(v ? 1 : 0);
    }

    /** byte, char, small, unsigned small: one octet, never converted. */
    public NdrWriter writeInt8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    /** short, unsigned short, wchar_t: two octets aligned 2. */
    public NdrWriter writeInt16(int v) {
        int pad = (int) -(flushed + pos) & 1;
        ensure(2 + pad);
        if (pad != 0) buf[pos++] = 0;
        Bytes.putShortLE(buf, pos, (short) v);
        pos += 2;
        return this;
    }

    /** long, unsigned long, error_status_t: four octets aligned 4. */
    public NdrWriter writeInt32(int v) {
        int pad = (int) -(flushed + pos) & 3;
        ensure(4 + pad);
        while (pad-- > 0) buf[pos++] = 0;
        Bytes.putIntLE(buf, pos, v);
        pos += 4;
        return this;
    }

    /** hyper, unsigned hyper: eight octets aligned 8. */
    public NdrWriter writeInt64(long v) {
        int pad = (int) -(flushed + pos) & 7;
        ensure(8 + pad);
        while (pad-- > 0) buf[pos++] = 0;
        Bytes.putLongLE(buf, pos, v);
        pos += 8;
        return this;
    }

    public NdrWriter writeFloat(float v) {
        return writeInt32(Float.floatToRawIntBits(v));
    }

    public NdrWriter writeDouble(double v) {
        return writeInt64(Double.doubleToRawLongBits(v));
    }

    public NdrWriter writeWchar(char c) {
        return writeInt16(c);
    }

    /**
     * An ordinary enum: an unsigned short in NDR, whose values must lie in 0..32767 (RPC_X_ENUM_VALUE_OUT_OF_RANGE
     * otherwise), and a 32-bit signed long in NDR64 (MS-RPCE 2.2.5.2.1).
     */
    public NdrWriter writeEnum(int v) {
        if (ndr64) return writeInt32(v);
        if (v < 0 || v > Short.MAX_VALUE) {
            throw new NdrException(NdrException.RPC_X_ENUM_VALUE_OUT_OF_RANGE, "enum value out of range: " + v);
        }
        return writeInt16(v);
    }

    /** A {@code [v1_enum]}: a 32-bit long in both syntaxes (MS-RPCE 2.2.4.6). */
    public NdrWriter writeV1Enum(int v) {
        return writeInt32(v);
    }

    /**
     * {@code __int3264} and pointer-sized integers: four octets in NDR (the value truncated), eight aligned 8 in
     * NDR64 (MS-RPCE 3.1.1.5.1.1.1).
     */
    public NdrWriter writeInt3264(long v) {
        return ndr64 ? writeInt64(v) : writeInt32((int) v);
    }

    /** A UUID: aligned 4, 16 octets (RPCE-FACTS §9). */
    public NdrWriter writeUuid(Uuid uuid) {
        align(4);
        ensure(Uuid.SIZE);
        uuid.toWire(buf, pos);
        pos += Uuid.SIZE;
        return this;
    }

    /** A {@code p_syntax_id_t}: a UUID and a u32 version, aligned 4. */
    public NdrWriter writeSyntaxId(SyntaxId id) {
        align(4);
        ensure(SyntaxId.SIZE);
        id.toWire(buf, pos);
        pos += SyntaxId.SIZE;
        return this;
    }

    /** A context handle by value: 20 octets aligned 4 in both syntaxes (RPCE-FACTS §7.2). */
    public NdrWriter writeContextHandle(ContextHandle h) {
        writeInt32(h.attributes());
        ensure(Uuid.SIZE);
        h.uuid().toWire(buf, pos);
        pos += Uuid.SIZE;
        return this;
    }

    // ---------------------------------------------------------------- bulk

    /** Octets as they are, unaligned: the elements of a byte array. */
    public NdrWriter writeBytes(byte[] b, int off, int len) {
        if (sink != null && len > buf.length - pos) {
            // Streaming a block that does not fit: pass it through in pieces, handing the buffer on each time it
            // fills past the threshold, rather than growing it to the block's size.
            while (len > 0) {
                if (pos == buf.length) ensure(1);
                int n = Math.min(buf.length - pos, len);
                System.arraycopy(b, off, buf, pos, n);
                pos += n;
                off += n;
                len -= n;
            }
            return this;
        }
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    public NdrWriter writeBytes(byte[] b) {
        return writeBytes(b, 0, b.length);
    }

    /** 16-bit elements, aligned 2 as a block. */
    public NdrWriter writeInt16s(short[] a, int off, int len) {
        align(2);
        while (len > 0) {
            int n = room(len, 2);
            ByteBuffer.wrap(buf, pos, n * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(a, off, n);
            pos += n * 2;
            off += n;
            len -= n;
        }
        return this;
    }

    /** 32-bit elements, aligned 4 as a block. */
    public NdrWriter writeInt32s(int[] a, int off, int len) {
        align(4);
        while (len > 0) {
            int n = room(len, 4);
            ByteBuffer.wrap(buf, pos, n * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(a, off, n);
            pos += n * 4;
            off += n;
            len -= n;
        }
        return this;
    }

    /** 64-bit elements, aligned 8 as a block. */
    public NdrWriter writeInt64s(long[] a, int off, int len) {
        align(8);
        while (len > 0) {
            int n = room(len, 8);
            ByteBuffer.wrap(buf, pos, n * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(a, off, n);
            pos += n * 8;
            off += n;
            len -= n;
        }
        return this;
    }

    /** UTF-16 code units as wchar_t elements, aligned 2. */
    public NdrWriter writeChars(CharSequence s) {
        int len = s.length();
        align(2);
        for (int i = 0; i < len; ) {
            int n = room(len - i, 2);
            int p = pos;
            for (int end = i + n; i < end; i++, p += 2) Bytes.putShortLE(buf, p, (short) s.charAt(i));
            pos = p;
        }
        return this;
    }

    // ---------------------------------------------------------------- arrays (C706 14.3.3, MS-RPCE 2.2.5.3.2)

    /** A conformance ({@code max_count}): u32 aligned 4 in NDR, u64 aligned 8 in NDR64. */
    public NdrWriter writeConformance(long maxCount) {
        return ndr64 ? writeInt64(maxCount) : writeInt32((int) maxCount);
    }

    /** A variance ({@code offset}, {@code actual_count}): two u32 in NDR, two u64 in NDR64. */
    public NdrWriter writeVariance(long offset, long actualCount) {
        if (ndr64) {
            writeInt64(offset);
            return writeInt64(actualCount);
        }
        writeInt32((int) offset);
        return writeInt32((int) actualCount);
    }

    // ---------------------------------------------------------------- strings (C706 14.3.4)

    /**
     * A {@code [string] wchar_t *} or conformant string: conformant varying, counts in characters including the
     * terminating NUL, offset 0, then the characters and the NUL.
     */
    public NdrWriter writeWideString(CharSequence s) {
        long n = s.length() + 1L;
        writeConformance(n);
        return writeWideStringBody(s);
    }

    /** A string whose conformance was hoisted to the front of its structure: variance, characters, NUL. */
    public NdrWriter writeWideStringBody(CharSequence s) {
        writeVariance(0, s.length() + 1L);
        writeChars(s);
        return writeInt16(0);
    }

    /** A {@code [string] char *}: like {@link #writeWideString} with one octet per character (ISO-8859-1). */
    public NdrWriter writeAnsiString(CharSequence s) {
        writeConformance(s.length() + 1L);
        return writeAnsiStringBody(s);
    }

    /** A hoisted-conformance {@code [string] char[]}: variance, octets, NUL. */
    public NdrWriter writeAnsiStringBody(CharSequence s) {
        int n = s.length();
        writeVariance(0, n + 1L);
        ensure(n + 1);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xFF) throw new NdrException("character U+" + Integer.toHexString(c) + " does not fit a char string");
            buf[pos++] = (byte) c;
        }
        buf[pos++] = 0;
        return this;
    }

    /**
     * A fixed-size {@code [string] wchar_t buf[capacity]}: a varying string (offset, actual count, characters and
     * NUL); the capacity is known to both sides and is not sent.
     */
    public NdrWriter writeVaryingWideString(CharSequence s, int capacity) {
        if (s.length() + 1 > capacity) {
            throw new NdrException("string of " + s.length() + " characters does not fit wchar_t[" + capacity + "]");
        }
        return writeWideStringBody(s);
    }

    /**
     * The deferred body of a counted string in the shape of RPC_UNICODE_STRING (MS-DTYP 2.3.10): a conformant
     * varying array of wchar_t with {@code max_count = MaximumLength / 2}, offset 0 and {@code actual_count =
     * Length / 2}, no terminator. The inline part (Length, MaximumLength, pointer) is ordinary scalars.
     */
    public NdrWriter writeCountedChars(CharSequence s, int maximumChars) {
        if (maximumChars < s.length()) throw new NdrException("MaximumLength below Length");
        writeConformance(maximumChars);
        writeVariance(0, s.length());
        return writeChars(s);
    }

    // ---------------------------------------------------------------- pointers (C706 14.3.10-14.3.12)

    private int nextReferentId() {
        int id = nextReferentId;
        nextReferentId += 4;
        return id;
    }

    private NdrWriter writePointerValue(int id) {
        return ndr64 ? writeInt64(id & 0xFFFFFFFFL) : writeInt32(id);
    }

    /**
     * A {@code [unique]} pointer: writes a referent id (0 for null). Returns whether the caller must encode the
     * referent: immediately for a top-level pointer, in the deferred pass for an embedded one.
     */
    public boolean writeUniquePointer(Object referent) {
        if (referent == null) {
            writePointerValue(0);
            return false;
        }
        writePointerValue(nextReferentId());
        return true;
    }

    /** An embedded {@code [ref]} pointer: a non-zero placeholder; its referent is always deferred. */
    public NdrWriter writeRefPointer(Object referent) {
        if (referent == null) throw new NdrException("null [ref] pointer");
        return writePointerValue(nextReferentId());
    }

    /**
     * A {@code [ptr]} (full) pointer: two pointers to the same object (by identity) share one referent id and the
     * referent is sent only at its first occurrence. Returns whether the caller must encode the referent now.
     */
    public boolean writeFullPointer(Object referent) {
        if (referent == null) {
            writePointerValue(0);
            return false;
        }
        if (fullPointers == null) fullPointers = new IdentityHashMap<>();
        Integer known = fullPointers.get(referent);
        if (known != null) {
            writePointerValue(known);
            return false;
        }
        int id = nextReferentId();
        fullPointers.put(referent, id);
        writePointerValue(id);
        return true;
    }

    // ---------------------------------------------------------------- unions (C706 14.3.8, MS-RPCE 2.2.4.5, 2.2.5.3.4.4)

    /**
     * Before a union's discriminant: NDR64 aligns the whole union to its largest arm (or discriminant)
     * alignment; NDR aligns only the discriminant, which its own write does.
     */
    public NdrWriter beginUnion(int ndr64Alignment) {
        if (ndr64) align(ndr64Alignment);
        return this;
    }

    /**
     * Between a union's discriminant and its arm: NDR64 aligns to the largest arm; NDR aligns to the chosen arm's
     * own alignment, or to the largest arm with {@code [ms_union]} on a non-encapsulated union.
     */
    public NdrWriter alignUnionArm(int armAlignment, int largestArmAlignment, boolean msUnion) {
        return align(ndr64 || msUnion ? largestArmAlignment : armAlignment);
    }

    // ---------------------------------------------------------------- pipes (C706 14.3.9, MS-RPCE 2.2.5.3.4.5)

    /** Starts a pipe chunk of {@code count} elements: u32 in NDR, u64 in NDR64. A count of 0 ends the pipe. */
    public NdrWriter beginPipeChunk(int count) {
        if (count < 0) throw new NdrException("negative pipe chunk count");
        return ndr64 ? writeInt64(count) : writeInt32(count);
    }

    /** Ends a pipe chunk: NDR64 follows the elements with the negated count; NDR has nothing. */
    public NdrWriter endPipeChunk(int count) {
        if (ndr64) writeInt64(-(long) count);
        return this;
    }

    /** The empty chunk that ends a pipe. */
    public NdrWriter writePipeEnd() {
        beginPipeChunk(0);
        return endPipeChunk(0);
    }

    // ---------------------------------------------------------------- nesting

    /** Enters a nested type; fails past {@link NdrLimits#maxDepth()} (a cycle of unique pointers ends here). */
    public void enter() {
        if (++depth > limits.maxDepth()) {
            depth = 0;
            throw new NdrException("nesting deeper than " + limits.maxDepth());
        }
    }

    public void leave() {
        depth--;
    }
}
