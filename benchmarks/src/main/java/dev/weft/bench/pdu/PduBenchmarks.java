package dev.weft.bench.pdu;

import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindTimeFeatures;
import dev.weft.pdu.ContextElement;
import dev.weft.pdu.Fragmenter;
import dev.weft.pdu.Pdu;
import dev.weft.pdu.PduCodec;
import dev.weft.pdu.Reassembler;
import dev.weft.pdu.Request;
import java.util.List;
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
 * The PDU layer's hot paths (issue 3): encoding and decoding single PDUs, and cutting a stub into 5840-byte
 * request fragments (encoded to wire bytes) and joining them again (decode each fragment, reassemble), next to
 * {@code System.arraycopy} of the same stub bytes in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PduBenchmarks {
    static final int FRAGMENT = 5840;
    static final SyntaxId IFACE = new SyntaxId(Uuid.parse("12345778-1234-abcd-ef00-0123456789ac"), 1, 0);

    @Param({"65536", "4194304"})
    public int stubSize;

    byte[] stub;
    byte[] copyDst;
    byte[][] wireFragments;
    Request smallRequest;
    byte[] smallRequestBytes;
    Bind bind;
    byte[] bindBytes;

    @Setup
    public void setUp() {
        stub = new byte[stubSize];
        new Random(1).nextBytes(stub);
        copyDst = new byte[stubSize];
        List<Request> fragments = new Fragmenter(FRAGMENT, null).request(5, 0, 3, null, stub);
        wireFragments = new byte[fragments.size()][];
        for (int i = 0; i < wireFragments.length; i++) wireFragments[i] = PduCodec.encode(fragments.get(i));
        smallRequest = Request.of(7, 0, 3, new byte[64]);
        smallRequestBytes = PduCodec.encode(smallRequest);
        bind = Bind.of(1, 5840, 0, List.of(ContextElement.of(0, IFACE, SyntaxId.NDR20),
                ContextElement.of(1, IFACE, SyntaxId.NDR64), BindTimeFeatures.contextElement(2, IFACE, 3)));
        bindBytes = PduCodec.encode(bind);
    }

    /** The limit: one copy of the stub. */
    @Benchmark
    public byte[] stub_arraycopy() {
        System.arraycopy(stub, 0, copyDst, 0, stub.length);
        return copyDst;
    }

    /** The limit for a decoder, which must hand back a new array: allocate, then copy. */
    @Benchmark
    public byte[] stub_arraycopyFresh() {
        byte[] d = new byte[stub.length];
        System.arraycopy(stub, 0, d, 0, stub.length);
        return d;
    }

    /** Stub → request fragments → wire bytes. */
    @Benchmark
    public int stub_fragmentAndEncode() {
        int total = 0;
        for (Request r : new Fragmenter(FRAGMENT, null).request(5, 0, 3, null, stub)) {
            total += PduCodec.encode(r).length;
        }
        return total;
    }

    /** Wire bytes of each fragment → decoded request → reassembled stub. */
    @Benchmark
    public byte[] stub_decodeAndReassemble() {
        Reassembler reassembler = new Reassembler();
        Request whole = null;
        for (byte[] f : wireFragments) whole = reassembler.add((Request) PduCodec.decode(f));
        return whole.stub();
    }

    @Benchmark
    public byte[] small_requestEncode() {
        return PduCodec.encode(smallRequest);
    }

    @Benchmark
    public Pdu small_requestDecode() {
        return PduCodec.decode(smallRequestBytes);
    }

    @Benchmark
    public byte[] bind_encode() {
        return PduCodec.encode(bind);
    }

    @Benchmark
    public Pdu bind_decode() {
        return PduCodec.decode(bindBytes);
    }
}
