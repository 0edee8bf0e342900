package dev.weft.bench.ndr;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The NDR hot paths the foundation issue sets targets for, in both transfer syntaxes, next to
 * {@code System.arraycopy} of the same bytes:
 * (a) a 64 KiB conformant byte array, (b) a 4096-element conformant long array, (c) 1,000 structs each with a
 * unique pointer to a short wide string (a SAMR user list), (d) one small struct.
 *
 * <p>Decoders must hand back new arrays, so their baseline is {@code *_arraycopyFresh} (allocate, then copy);
 * {@code *_arraycopy} copies into an array that already exists, the baseline for encoders.
 *
 * <p>Every benchmark returns its result so that JMH consumes it. Encoders reuse one writer per thread
 * ({@link NdrWriter#reset()}), as a call's thread reuses its own; the {@code Fresh} variants allocate a new
 * writer per operation to show what that costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NdrBenchmarks {

    @Param({"NDR20", "NDR64"})
    public TransferSyntax syntax;

    byte[] bytes64k;
    int[] ints4096;
    UserEntry[] users;
    SmallStruct small;

    NdrWriter writer;
    byte[] encodedBytes;
    byte[] encodedInts;
    byte[] encodedUsers;
    byte[] encodedSmall;

    /** Baseline destinations, one per size, so arraycopy copies exactly the bytes the codec moves. */
    byte[] copyDst64k;
    byte[] copyDstInts;
    byte[] copyDstUsers;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        bytes64k = new byte[64 * 1024];
        random.nextBytes(bytes64k);
        ints4096 = random.ints(4096).toArray();
        users = new UserEntry[1000];
        for (int i = 0; i < users.length; i++) {
            users[i] = new UserEntry(1000 + i, "user" + (100000 + random.nextInt(900000)));
        }
        small = new SmallStruct((short) 7, 123456, 0x1122334455667788L, Uuid.random());
        writer = new NdrWriter(syntax, 128 * 1024);

        NdrWriter w = new NdrWriter(syntax);
        w.writeConformance(bytes64k.length);
        w.writeBytes(bytes64k);
        encodedBytes = w.toByteArray();
        w = new NdrWriter(syntax);
        w.writeConformance(ints4096.length);
        w.writeInt32s(ints4096, 0, ints4096.length);
        encodedInts = w.toByteArray();
        w = new NdrWriter(syntax);
        UserEntry.writeArray(w, users);
        encodedUsers = w.toByteArray();
        w = new NdrWriter(syntax);
        SmallStruct.write(w, small);
        encodedSmall = w.toByteArray();

        copyDst64k = new byte[encodedBytes.length];
        copyDstInts = new byte[encodedInts.length];
        copyDstUsers = new byte[encodedUsers.length];
    }

    // ---- (a) 64 KiB byte array

    @Benchmark
    public byte[] a_bytes64k_arraycopy() {
        System.arraycopy(encodedBytes, 0, copyDst64k, 0, encodedBytes.length);
        return copyDst64k;
    }

    /** The decode baseline: a decoder must hand back a new array, so allocate one and copy into it. */
    @Benchmark
    public byte[] a_bytes64k_arraycopyFresh() {
        byte[] d = new byte[encodedBytes.length];
        System.arraycopy(encodedBytes, 0, d, 0, encodedBytes.length);
        return d;
    }

    @Benchmark
    public int a_bytes64k_encode() {
        NdrWriter w = writer;
        w.reset();
        w.writeConformance(bytes64k.length);
        w.writeBytes(bytes64k);
        return w.size();
    }

    @Benchmark
    public int a_bytes64k_encodeFresh() {
        NdrWriter w = new NdrWriter(syntax);
        w.writeConformance(bytes64k.length);
        w.writeBytes(bytes64k);
        return w.size();
    }

    @Benchmark
    public byte[] a_bytes64k_decode() {
        NdrReader r = new NdrReader(syntax, encodedBytes);
        return r.readBytes(r.readConformance());
    }

    // ---- (b) 4096 ints

    @Benchmark
    public byte[] b_ints4096_arraycopy() {
        System.arraycopy(encodedInts, 0, copyDstInts, 0, encodedInts.length);
        return copyDstInts;
    }

    @Benchmark
    public byte[] b_ints4096_arraycopyFresh() {
        byte[] d = new byte[encodedInts.length];
        System.arraycopy(encodedInts, 0, d, 0, encodedInts.length);
        return d;
    }

    @Benchmark
    public int b_ints4096_encode() {
        NdrWriter w = writer;
        w.reset();
        w.writeConformance(ints4096.length);
        w.writeInt32s(ints4096, 0, ints4096.length);
        return w.size();
    }

    @Benchmark
    public int[] b_ints4096_decode() {
        NdrReader r = new NdrReader(syntax, encodedInts);
        return r.readInt32s(r.readConformance());
    }

    // ---- (c) 1,000 structs with a unique pointer to a short wide string

    @Benchmark
    public byte[] c_users1000_arraycopy() {
        System.arraycopy(encodedUsers, 0, copyDstUsers, 0, encodedUsers.length);
        return copyDstUsers;
    }

    @Benchmark
    public int c_users1000_encode() {
        NdrWriter w = writer;
        w.reset();
        UserEntry.writeArray(w, users);
        return w.size();
    }

    @Benchmark
    public int c_users1000_encodeFresh() {
        NdrWriter w = new NdrWriter(syntax);
        UserEntry.writeArray(w, users);
        return w.size();
    }

    @Benchmark
    public UserEntry[] c_users1000_decode() {
        return UserEntry.readArray(new NdrReader(syntax, encodedUsers));
    }

    // ---- (d) one small struct

    @Benchmark
    public int d_small_encode() {
        NdrWriter w = writer;
        w.reset();
        SmallStruct.write(w, small);
        return w.size();
    }

    @Benchmark
    public int d_small_encodeFresh() {
        NdrWriter w = new NdrWriter(syntax, 64);
        SmallStruct.write(w, small);
        return w.size();
    }

    @Benchmark
    public SmallStruct d_small_decode() {
        return SmallStruct.read(new NdrReader(syntax, encodedSmall));
    }
}
