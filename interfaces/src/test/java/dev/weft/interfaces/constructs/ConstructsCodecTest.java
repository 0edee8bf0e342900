package dev.weft.interfaces.constructs;

import dev.weft.client.BindingHandle;
import dev.weft.client.StreamingCall;
import dev.weft.interfaces.constructs.Constructs.DoublePointerResult;
import dev.weft.interfaces.constructs.Constructs.SumResult;
import dev.weft.ndr.InOutPipe;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.PipeSource;
import dev.weft.ndr.Pointer;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

import static dev.weft.ndr.TransferSyntax.NDR20;
import static dev.weft.ndr.TransferSyntax.NDR64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The generated client of constructs.idl against stubs derived by hand (C706 14.3.9–14.3.12, MS-RPCE 2.2.5): what
 * it sends for an [in] pipe, an [in, out] pipe and an [in, out, unique] pointer to a pointer, and what it makes of
 * the answers, in NDR and NDR64. Referent ids start at 0x00020000 and grow by 4 (RPCE-FACTS 10.6).
 */
class ConstructsCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    /** A binding that records the request stub and answers with a given response stub, plain or streamed. */
    static final class Canned implements BindingHandle {
        final TransferSyntax syntax;
        final byte[] response;
        byte[] request;
        int opnum = -1;

        Canned(TransferSyntax syntax, String response) {
            this.syntax = syntax;
            this.response = hex(response);
        }

        @Override
        public SyntaxId interfaceId() {
            return Constructs.INTERFACE_ID;
        }

        @Override
        public TransferSyntax syntax() {
            return syntax;
        }

        @Override
        public NdrReader call(int opnum, NdrWriter w) {
            this.opnum = opnum;
            request = w.toByteArray();
            return new NdrReader(syntax, response);
        }

        @Override
        public NdrReader call(int opnum, Uuid object, NdrWriter w) {
            return call(opnum, w);
        }

        @Override
        public StreamingCall open(int opnum, Uuid object) {
            this.opnum = opnum;
            NdrWriter w = new NdrWriter(syntax);
            return new StreamingCall() {
                @Override
                public NdrWriter request() {
                    return w;
                }

                @Override
                public NdrReader response() {
                    request = w.toByteArray();
                    return new NdrReader(syntax, response);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public BindingHandle withTimeout(Duration timeout) {
            return this;
        }

        @Override
        public Duration timeout() {
            return Duration.ZERO;
        }
    }

    static <T> PipeSource<T> source(List<T> chunks) {
        Deque<T> left = new ArrayDeque<>(chunks);
        return left::poll;
    }

    // ------------------------------------------------------------------ [in, out, unique] long **Value

    /**
     * Absent is one null referent id; present and pointing at nothing is a referent id and a null one; present with a
     * value is two referent ids and the long (NDR64: 8-byte ids, the long aligned 4 after them).
     */
    @Test
    void pointerToPointerSendsItsThreeFormsApart() {
        String[][] cases = {
                // NDR20, NDR64
                {"00000000", "0000000000000000"},
                {"00000200 00000000", "0000020000000000 0000000000000000"},
                {"00000200 04000200 07000000", "0000020000000000 0400020000000000 07000000"},
        };
        List<Pointer<Integer>> values = new ArrayList<>();
        values.add(null);
        values.add(Pointer.toNull());
        values.add(Pointer.to(7));
        for (int i = 0; i < cases.length; i++) {
            for (TransferSyntax syntax : TransferSyntax.values()) {
                Canned b = new Canned(syntax, syntax == NDR20 ? "00000000 00000000" : "0000000000000000 00000000");
                Constructs.client(b).doublePointer(values.get(i));
                assertEquals(Constructs.OPNUM_DOUBLE_POINTER, b.opnum);
                assertArrayEquals(hex(cases[i][syntax == NDR20 ? 0 : 1]), b.request, syntax + " " + values.get(i));
            }
        }
    }

    @Test
    void pointerToPointerAnswersDecodeToThreeDifferentValues() {
        DoublePointerResult absent = Constructs.client(new Canned(NDR20, "00000000 09000000")).doublePointer(null);
        assertNull(absent.valueOut());
        assertEquals(9, absent.result());

        DoublePointerResult toNull = Constructs.client(new Canned(NDR20, "00000200 00000000 05000000"))
                .doublePointer(null);
        assertEquals(Pointer.toNull(), toNull.valueOut());
        assertEquals(5, toNull.result());

        DoublePointerResult value = Constructs.client(new Canned(NDR20, "00000200 04000200 2a000000 00000000"))
                .doublePointer(null);
        assertEquals(Pointer.to(42), value.valueOut());

        DoublePointerResult toNull64 = Constructs.client(new Canned(NDR64,
                "0000020000000000 0000000000000000 05000000")).doublePointer(null);
        assertEquals(Pointer.toNull(), toNull64.valueOut());
        assertEquals(5, toNull64.result());

        DoublePointerResult value64 = Constructs.client(new Canned(NDR64,
                "0000020000000000 0400020000000000 2a000000 03000000")).doublePointer(null);
        assertEquals(Pointer.to(42), value64.valueOut());
        assertEquals(3, value64.result());
    }

    // ------------------------------------------------------------------ pipes

    /**
     * Sum's [in] pipe follows the [in] long: a chunk is its count (u32 in NDR; u64, the elements, then the negated
     * count as a u64 in NDR64) and an empty chunk ends the pipe (two u64 zeros in NDR64). The caller's empty chunk is
     * not sent.
     */
    @Test
    void inPipeFollowsTheInParameters() {
        Canned ndr = new Canned(NDR20, "0c00000000000000 01000000 00000000");
        SumResult r = Constructs.client(ndr).sum(1, source(List.of(new int[] {5, 6}, new int[0])));
        assertArrayEquals(hex("01000000 02000000 05000000 06000000 00000000"), ndr.request);
        assertEquals(new SumResult(12, 1, 0), r);

        Canned ndr64 = new Canned(NDR64, "0c00000000000000 01000000 00000000");
        Constructs.client(ndr64).sum(1, source(List.of(new int[] {5, 6}, new int[0])));
        assertArrayEquals(hex("01000000 00000000 0200000000000000 05000000 06000000 feffffffffffffff"
                + " 0000000000000000 0000000000000000"), ndr64.request);
    }

    /**
     * Transform's [in, out] pipe: the request carries the key, then the caller's chunks (each count aligned 4, or 8
     * in NDR64); the response carries the server's chunks before the return value, and each is pushed back into the
     * same pipe.
     */
    @Test
    void inOutPipeCrossesBothWays() {
        List<byte[]> back = new ArrayList<>();
        InOutPipe<byte[]> data = InOutPipe.of(source(List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {4})),
                back::add);
        Canned ndr = new Canned(NDR20, "02000000 0a0b 0000 00000000 07000000");
        assertEquals(7, Constructs.client(ndr).transform((byte) 0x5a, data));
        assertEquals(Constructs.OPNUM_TRANSFORM, ndr.opnum);
        assertArrayEquals(hex("5a000000 03000000 010203 00 01000000 04 000000 00000000"), ndr.request);
        assertEquals(1, back.size());
        assertArrayEquals(new byte[] {0x0a, 0x0b}, back.get(0));

        back.clear();
        data = InOutPipe.of(source(List.of(new byte[] {1, 2, 3}, new byte[] {4})), back::add);
        Canned ndr64 = new Canned(NDR64, "0200000000000000 0a0b 000000000000 feffffffffffffff"
                + " 0000000000000000 0000000000000000 07000000");
        assertEquals(7, Constructs.client(ndr64).transform((byte) 0x5a, data));
        assertArrayEquals(hex("5a00000000000000 0300000000000000 010203 0000000000 fdffffffffffffff"
                + " 0100000000000000 04 00000000000000 ffffffffffffffff 0000000000000000 0000000000000000"),
                ndr64.request);
        assertEquals(1, back.size());
        assertArrayEquals(new byte[] {0x0a, 0x0b}, back.get(0));
    }
}
