package dev.weft.ndr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Decodes stub data in NDR20 or NDR64, in the byte order the PDU's data representation announced
 * (C706 14.1; NDR64 is always little-endian, MS-RPCE 2.2.5).
 *
 * <p>Everything it reads is hostile. Before it allocates for a count it checks the count against
 * {@link NdrLimits} and against the bytes that remain ({@link #checkCount}), so a decoder never allocates more
 * than a small multiple of its input; every failure is an {@link NdrException}.
 *
 * <p>A reader over a byte array decodes a reassembled stub. A reader over a {@link ByteSource} streams: it pulls
 * more bytes when it runs dry, which is how {@code [in]} pipes are decoded chunk by chunk as fragments arrive.
 * Not thread-safe: one reader per call.
 */
public final class NdrReader {
    private static final int STREAM_BUFFER = 8192;
    /** What a streaming reader lets a decoder reserve for a collection before its elements arrive. */
    private static final int STREAMED_CAPACITY = 256;

    private final TransferSyntax syntax;
    private final boolean ndr64;
    private final boolean bigEndian;
    private final NdrLimits limits;
    private final ByteSource source;
    private byte[] buf;
    private int pos;
    private int end;
    /** Stub offset of {@code buf[0]}, so alignment counts from the stub start whatever the buffer holds. */
    private long base;
    private HashMap<Long, Object> fullPointers;
    private int depth;
    private long lastVarianceOffset;

    /** A little-endian reader over all of {@code stub}. */
    public NdrReader(TransferSyntax syntax, byte[] stub) {
        this(syntax, stub, 0, stub.length, false, NdrLimits.DEFAULT);
    }

    /**
     * A reader over {@code stub[offset .. offset+length)}, which is the whole stub: alignment counts from
     * {@code offset}. {@code bigEndian} comes from the PDU's drep.
     */
    public NdrReader(TransferSyntax syntax, byte[] stub, int offset, int length, boolean bigEndian, NdrLimits limits) {
        if (offset < 0 || length < 0 || length > stub.length - offset) {
            throw new IndexOutOfBoundsException("stub range " + offset + "+" + length + " of " + stub.length);
        }
        if (syntax == TransferSyntax.NDR64 && bigEndian) {
            throw new NdrException("NDR64 is little-endian only (MS-RPCE 2.2.5)");
        }
        this.syntax = syntax;
        this.ndr64 = syntax == TransferSyntax.NDR64;
        this.bigEndian = bigEndian;
        this.limits = limits;
        this.source = null;
        this.buf = stub;
        this.pos = offset;
        this.end = offset + length;
        this.base = -offset;
    }

    /** A streaming reader that pulls the stub from {@code source} as it needs it. */
    public NdrReader(TransferSyntax syntax, ByteSource source, boolean bigEndian, NdrLimits limits) {
        if (syntax == TransferSyntax.NDR64 && bigEndian) {
            throw new NdrException("NDR64 is little-endian only (MS-RPCE 2.2.5)");
        }
        this.syntax = syntax;
        this.ndr64 = syntax == TransferSyntax.NDR64;
        this.bigEndian = bigEndian;
        this.limits = limits;
        this.source = source;
        this.buf = new byte[STREAM_BUFFER];
    }

    public TransferSyntax syntax() {
        return syntax;
    }

    public boolean isNdr64() {
        return ndr64;
    }

    public boolean isBigEndian() {
        return bigEndian;
    }

    public NdrLimits limits() {
        return limits;
    }

    /** Offset from the start of the stub of the next byte to be read. */
    public long position() {
        return base + pos;
    }

    /** Bytes left in a byte-array reader; for a streaming reader, the bytes buffered now. */
    public int remaining() {
        return end - pos;
    }

    /** Fails unless every byte of a byte-array reader has been consumed. */
    public void expectEnd() {
        if (source == null && pos != end) throw new NdrException((end - pos) + " bytes left over after the stub");
    }

    // ---------------------------------------------------------------- buffer management

    private void need(int n) {
        if (end - pos < n) fill(n);
    }

    /** Makes {@code n} (small) bytes available, pulling from the source; fails when there are no more. */
    private void fill(int n) {
        if (source == null) {
            throw new NdrException("stub truncated: need " + n + " bytes at offset " + position() + ", have " + (end - pos));
        }
        if (end - pos > 0 && pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
        }
        base += pos;
        end -= pos;
        pos = 0;
        if (buf.length < n) buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        while (end < n) {
            int r = source.read(buf, end, buf.length - end);
            if (r < 0) throw new NdrException("stub ended: need " + n + " bytes at offset " + position());
            end += r;
        }
    }

    // ---------------------------------------------------------------- alignment

    /** Skips padding up to the next multiple of {@code n} (a power of two) counted from the stub start. */
    public NdrReader align(int n) {
        int pad = (int) -(base + pos) & (n - 1);
        if (pad != 0) {
            need(pad);
            pos += pad;
        }
        return this;
    }

    /** Aligns to a pointer or count: 4 in NDR, 8 in NDR64. */
    public NdrReader alignPointer() {
        return align(ndr64 ? 8 : 4);
    }

    /** NDR64's trailing structure padding (MS-RPCE 2.2.5.3.4.1); nothing in NDR. */
    public NdrReader endStruct(int ndr64Alignment) {
        if (ndr64) align(ndr64Alignment);
        return this;
    }

    // ---------------------------------------------------------------- primitives

    public boolean readBoolean() {
        return readInt8() != 0;
    }

    /** One octet, sign-extended (small); mask with 0xFF for byte or unsigned small. */
    public byte readInt8() {
        need(1);
        return buf[pos++];
    }

    /** A short, aligned 2; mask with 0xFFFF for unsigned short. */
    public short readInt16() {
        int pad = (int) -(base + pos) & 1;
        need(2 + pad);
        pos += pad;
        short v = bigEndian ? Bytes.getShortBE(buf, pos) : Bytes.getShortLE(buf, pos);
        pos += 2;
        return v;
    }

    /** A long, aligned 4. */
    public int readInt32() {
        int pad = (int) -(base + pos) & 3;
        need(4 + pad);
        pos += pad;
        int v = bigEndian ? Bytes.getIntBE(buf, pos) : Bytes.getIntLE(buf, pos);
        pos += 4;
        return v;
    }

    /** A hyper, aligned 8. */
    public long readInt64() {
        int pad = (int) -(base + pos) & 7;
        need(8 + pad);
        pos += pad;
        long v = bigEndian ? Bytes.getLongBE(buf, pos) : Bytes.getLongLE(buf, pos);
        pos += 8;
        return v;
    }

    public float readFloat() {
        return Float.intBitsToFloat(readInt32());
    }

    public double readDouble() {
        return Double.longBitsToDouble(readInt64());
    }

    public char readWchar() {
        return (char) readInt16();
    }

    /** An ordinary enum: unsigned short 0..32767 in NDR (MIDL's rule), a 32-bit long in NDR64. */
    public int readEnum() {
        if (ndr64) return readInt32();
        int v = readInt16();
        if (v < 0) throw new NdrException(NdrException.RPC_X_ENUM_VALUE_OUT_OF_RANGE, "enum value out of range: " + (v & 0xFFFF));
        return v;
    }

    /** A {@code [v1_enum]}: 32 bits in both syntaxes. */
    public int readV1Enum() {
        return readInt32();
    }

    /** {@code __int3264}: four octets sign-extended in NDR, eight in NDR64. */
    public long readInt3264() {
        return ndr64 ? readInt64() : readInt32();
    }

    /**
     * {@code unsigned __int3264} (and {@code size_t}-style values): four octets zero-extended in NDR, eight in NDR64
     * (MS-RPCE 3.1.1.5.1.1.1).
     */
    public long readUnsignedInt3264() {
        return ndr64 ? readInt64() : readInt32() & 0xFFFFFFFFL;
    }

    public Uuid readUuid() {
        align(4);
        need(Uuid.SIZE);
        Uuid u = Uuid.fromWire(buf, pos, bigEndian);
        pos += Uuid.SIZE;
        return u;
    }

    public SyntaxId readSyntaxId() {
        align(4);
        need(SyntaxId.SIZE);
        Uuid u = Uuid.fromWire(buf, pos, bigEndian);
        int version = Bytes.getI32(buf, pos + 16, bigEndian);
        pos += SyntaxId.SIZE;
        return new SyntaxId(u, version & 0xFFFF, version >>> 16);
    }

    public ContextHandle readContextHandle() {
        int attributes = readInt32();
        need(Uuid.SIZE);
        Uuid u = Uuid.fromWire(buf, pos, bigEndian);
        pos += Uuid.SIZE;
        return new ContextHandle(attributes, u);
    }

    // ---------------------------------------------------------------- counts and limits

    /**
     * Checks a claimed element count before anything is allocated for it: within {@link NdrLimits#maxArrayCount()}
     * and, for a byte-array reader, no more elements than the remaining bytes could hold at
     * {@code minElementSize} each (use 1 for elements that may be empty on the wire).
     */
    public int checkCount(long count, int minElementSize) {
        if (count < 0 || count > limits.maxArrayCount()) {
            throw new NdrException("count " + Long.toUnsignedString(count) + " beyond the limit of " + limits.maxArrayCount());
        }
        if (source == null && count * minElementSize > end - pos) {
            throw new NdrException("count " + count + " needs " + count * minElementSize + " bytes, " + (end - pos) + " remain");
        }
        return (int) count;
    }

    /**
     * The capacity to reserve for {@code count} elements that are about to be decoded one by one. A byte-array reader
     * has already compared the count with the bytes that remain ({@link #checkCount}), so the count is safe; a
     * streaming reader cannot, so it reserves at most {@value #STREAMED_CAPACITY} and the collection grows as elements
     * actually arrive. Decoders size their collections with this, never with a count read from the wire.
     */
    public int capacity(int count) {
        return source == null ? count : Math.min(count, STREAMED_CAPACITY);
    }

    /** Reads a conformance ({@code max_count}) as an unsigned count within the limits. */
    public int readConformance() {
        long c = ndr64 ? readInt64() : readInt32() & 0xFFFFFFFFL;
        return checkCount(c, 0);
    }

    /**
     * Reads a variance ({@code offset}, {@code actual_count}) for an array of at most {@code maxCount} elements;
     * returns the actual count. C706 14.3.3.2 requires {@code offset + actual_count <= max_count}.
     */
    public int readVariance(long maxCount) {
        long offset = ndr64 ? readInt64() : readInt32() & 0xFFFFFFFFL;
        long actual = ndr64 ? readInt64() : readInt32() & 0xFFFFFFFFL;
        if (offset < 0 || actual < 0 || offset > maxCount || actual > maxCount - offset) {
            throw new NdrException(NdrException.RPC_S_INVALID_BOUND,
                    "variance offset " + offset + " + count " + actual + " exceeds " + maxCount);
        }
        lastVarianceOffset = offset;
        return checkCount(actual, 0);
    }

    /** The offset of the last variance read ({@code first_is}); 0 in everything Windows sends. */
    public long lastVarianceOffset() {
        return lastVarianceOffset;
    }

    // ---------------------------------------------------------------- bulk

    /** {@code count} octets as a new array; the count is checked first. */
    public byte[] readBytes(int count) {
        checkCount(count, 1);
        if (source == null) {
            byte[] r = Arrays.copyOfRange(buf, pos, pos + count);
            pos += count;
            return r;
        }
        return readStreamed(count);
    }

    /**
     * For a streaming reader: the next {@code n} octets in an array that grows as they arrive, so that a hostile
     * count costs no more memory than the bytes actually received (a streaming reader cannot compare the count with
     * the bytes that remain).
     */
    private byte[] readStreamed(int n) {
        byte[] r = new byte[Math.min(n, STREAM_BUFFER)];
        int got = 0;
        while (got < n) {
            if (got == r.length) r = Arrays.copyOf(r, (int) Math.min(n, 2L * r.length));
            if (end == pos) fill(1);
            int k = Math.min(r.length - got, end - pos);
            System.arraycopy(buf, pos, r, got, k);
            pos += k;
            got += k;
        }
        return r;
    }

    /** Fills {@code dst} with the next {@code len} octets. */
    public void readBytes(byte[] dst, int off, int len) {
        while (len > 0) {
            if (end == pos) fill(1);
            int n = Math.min(len, end - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /**
     * The octets of {@code count} elements of {@code size} octets, already checked by {@link #checkCount}: a view of
     * the stub for a byte-array reader, the streamed octets otherwise (allocated as they arrive).
     */
    private ByteBuffer elements(int count, int size) {
        if (source == null) {
            ByteBuffer in = ByteBuffer.wrap(buf, pos, count * size);
            pos += count * size;
            return in;
        }
        if (count > (Integer.MAX_VALUE - 16) / size) throw new NdrException("array of " + count + " elements too large");
        return ByteBuffer.wrap(readStreamed(count * size));
    }

    private ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** {@code count} 16-bit elements, aligned 2. */
    public short[] readInt16s(int count) {
        align(2);
        checkCount(count, 2);
        ByteBuffer in = elements(count, 2);
        short[] r = new short[count];
        in.order(order()).asShortBuffer().get(r);
        return r;
    }

    /** {@code count} 32-bit elements, aligned 4. */
    public int[] readInt32s(int count) {
        align(4);
        checkCount(count, 4);
        ByteBuffer in = elements(count, 4);
        int[] r = new int[count];
        in.order(order()).asIntBuffer().get(r);
        return r;
    }

    /** {@code count} 64-bit elements, aligned 8. */
    public long[] readInt64s(int count) {
        align(8);
        checkCount(count, 8);
        ByteBuffer in = elements(count, 8);
        long[] r = new long[count];
        in.order(order()).asLongBuffer().get(r);
        return r;
    }

    /** {@code count} wchar_t elements as a string, aligned 2. */
    public String readChars(int count) {
        align(2);
        checkCount(count, 2);
        // Not a charset decoder: wchar_t data may hold unpaired surrogates (Windows names do), which a UTF-16
        // decoder would replace with U+FFFD. Every code unit comes through as it was sent.
        ByteBuffer in = elements(count, 2);
        char[] c = new char[count];
        in.order(order()).asCharBuffer().get(c);
        return new String(c);
    }

    // ---------------------------------------------------------------- strings (C706 14.3.4)

    /** A conformant varying {@code [string] wchar_t}: checks the counts and the terminator; returns it without NUL. */
    public String readWideString() {
        int max = readConformance();
        return readWideStringBody(max);
    }

    /** The body of a wide string whose conformance was hoisted: variance, characters, NUL. */
    public String readWideStringBody(long maxCount) {
        int actual = readStringVariance(maxCount);
        String s = readChars(actual - 1);
        if (readInt16() != 0) throw new NdrException("[string] is not NUL-terminated");
        return s;
    }

    /** A conformant varying {@code [string] char}, ISO-8859-1, without its NUL. */
    public String readAnsiString() {
        int max = readConformance();
        return readAnsiStringBody(max);
    }

    public String readAnsiStringBody(long maxCount) {
        int actual = readStringVariance(maxCount);
        checkCount(actual, 1);
        byte[] b = buf;
        int at = pos;
        if (source == null) {
            pos += actual;
        } else {
            b = readStreamed(actual);
            at = 0;
        }
        if (b[at + actual - 1] != 0) throw new NdrException("[string] is not NUL-terminated");
        return new String(b, at, actual - 1, StandardCharsets.ISO_8859_1);
    }

    /** A fixed-size {@code [string] wchar_t[capacity]}: variance, characters, NUL. */
    public String readVaryingWideString(int capacity) {
        return readWideStringBody(capacity);
    }

    private int readStringVariance(long maxCount) {
        int actual = readVariance(maxCount);
        if (lastVarianceOffset != 0) throw new NdrException("[string] with non-zero offset " + lastVarianceOffset);
        if (actual == 0) throw new NdrException("[string] without its terminator (actual count 0)");
        if (actual > limits.maxStringLength()) {
            throw new NdrException("string of " + actual + " characters beyond the limit of " + limits.maxStringLength());
        }
        return actual;
    }

    /**
     * The deferred body of a counted string in the shape of RPC_UNICODE_STRING: conformance, variance, then the
     * characters with no terminator. {@code lengthBytes} and {@code maximumLengthBytes} are the inline fields, which
     * must agree with the counts (MS-DTYP 2.3.10).
     */
    public String readCountedChars(int lengthBytes, int maximumLengthBytes) {
        int max = readConformance();
        int actual = readVariance(max);
        if ((lengthBytes & 1) != 0 || lengthBytes > maximumLengthBytes || actual != lengthBytes / 2
                || max != maximumLengthBytes / 2 || lastVarianceOffset != 0) {
            throw new NdrException("counted string counts (" + max + ", " + actual + ") disagree with Length "
                    + lengthBytes + " / MaximumLength " + maximumLengthBytes);
        }
        return readChars(actual);
    }

    // ---------------------------------------------------------------- pointers

    /** A referent id: u32 in NDR, u64 in NDR64. Zero is null; other values are opaque. */
    public long readPointerId() {
        return ndr64 ? readInt64() : readInt32() & 0xFFFFFFFFL;
    }

    /** A {@code [unique]} pointer: whether a referent follows (top level) or is deferred (embedded). */
    public boolean readUniquePointer() {
        return readPointerId() != 0;
    }

    /** An embedded {@code [ref]} pointer's placeholder, which must not be null. */
    public void readRefPointer() {
        if (readPointerId() == 0) throw new NdrException("null [ref] pointer");
    }

    /**
     * Whether the referent of full pointer {@code id} has already been decoded (full-pointer aliasing: C706
     * 14.3.11 sends a referent once, at its first occurrence).
     */
    public boolean hasFullPointer(long id) {
        return fullPointers != null && fullPointers.containsKey(id);
    }

    /**
     * The referent decoded earlier for full pointer {@code id}. Prefer {@link #fullPointer(long, Class)}: with this
     * one, a hostile stub that gives pointers to two types the same id ends in a {@link ClassCastException} at the
     * caller.
     */
    @SuppressWarnings("unchecked")
    public <T> T fullPointer(long id) {
        return fullPointers == null ? null : (T) fullPointers.get(id);
    }

    /**
     * The referent decoded earlier for full pointer {@code id}, which must be a {@code type}: hostile input can give
     * pointers to different types the same id, and that is bad stub data, not a {@link ClassCastException}.
     */
    public <T> T fullPointer(long id, Class<T> type) {
        Object o = fullPointers == null ? null : fullPointers.get(id);
        if (o != null && !type.isInstance(o)) {
            throw new NdrException("full pointer " + id + " refers to a " + o.getClass().getSimpleName()
                    + " where a " + type.getSimpleName() + " is expected");
        }
        return type.cast(o);
    }

    /** Records the referent of full pointer {@code id} so that later occurrences resolve to the same object. */
    public void putFullPointer(long id, Object referent) {
        if (fullPointers == null) fullPointers = new HashMap<>();
        fullPointers.put(id, referent);
    }

    // ---------------------------------------------------------------- unions

    /** Before a union's discriminant: NDR64 aligns the union to its largest alignment; NDR does nothing. */
    public NdrReader beginUnion(int ndr64Alignment) {
        if (ndr64) align(ndr64Alignment);
        return this;
    }

    /** Between discriminant and arm; see {@link NdrWriter#alignUnionArm}. */
    public NdrReader alignUnionArm(int armAlignment, int largestArmAlignment, boolean msUnion) {
        return align(ndr64 || msUnion ? largestArmAlignment : armAlignment);
    }

    /** Fails for a discriminant that selects no arm and has no default. */
    public NdrException badUnionTag(long discriminant) {
        return new NdrException(NdrException.NCA_S_FAULT_INVALID_TAG, "no union arm for discriminant " + discriminant);
    }

    // ---------------------------------------------------------------- pipes

    /** Reads a pipe chunk's element count; 0 is the end of the pipe. */
    public int beginPipeChunk() {
        long c = ndr64 ? readInt64() : readInt32() & 0xFFFFFFFFL;
        if (ndr64 && c > Integer.MAX_VALUE) throw new NdrException("NDR64 pipe chunk over 2^31-1 elements");
        return checkCount(c, 0);
    }

    /** Ends a chunk: in NDR64 the negated count must follow (MS-RPCE 2.2.5.3.4.5). */
    public void endPipeChunk(int count) {
        if (ndr64 && readInt64() != -(long) count) {
            throw new NdrException("NDR64 pipe chunk trailer does not negate its count " + count);
        }
    }

    // ---------------------------------------------------------------- nesting

    /** Enters a nested type; fails past {@link NdrLimits#maxDepth()}. */
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
