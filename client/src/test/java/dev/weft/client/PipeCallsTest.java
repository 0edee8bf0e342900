package dev.weft.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.PipeDecoder;
import dev.weft.ndr.PipeEncoder;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.server.RpcServer;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * [in] and [out] pipes through the runtime seams, with a service written the way the generator writes one:
 * {@code Checksum([in] long outSize, [in] pipe byte data, [out] pipe byte back, [out] hyper count, [out] long crc)}.
 * The [in] pipe is four times the 4 MiB request limit, which a streamed request does not count against.
 */
class PipeCallsTest {
    static final SyntaxId IFACE = new SyntaxId(Uuid.parse("6b1d0d3e-44a5-4f3c-9b51-9a1c2f0e7d10"), 1, 0);
    static final int CHUNK = 50_000;

    /** The service: pulls the whole [in] pipe, then pushes {@code outSize} bytes back. */
    static final class ChecksumService implements RpcService {
        @Override
        public SyntaxId interfaceId() {
            return IFACE;
        }

        @Override
        public int operationCount() {
            return 1;
        }

        @Override
        public boolean streams(int opnum) {
            return true;
        }

        @Override
        public void invoke(int opnum, ServerCall call) throws Exception {
            NdrReader r = call.in();
            int outSize = r.readInt32();
            PipeDecoder<byte[]> data = new PipeDecoder<>(r, null, r::readBytes);
            NdrWriter w = call.out();
            PipeEncoder<byte[]> back = new PipeEncoder<>(w, null, c -> c.length, w::writeBytes);
            CRC32 crc = new CRC32();
            long count = 0;
            for (byte[] chunk; (chunk = data.pull()) != null; ) {
                crc.update(chunk);
                count += chunk.length;
            }
            for (int sent = 0; sent < outSize; sent += CHUNK) {
                back.push(pattern(sent, Math.min(CHUNK, outSize - sent)));
            }
            back.end();
            w.writeInt64(count);
            w.writeInt32((int) crc.getValue());
        }
    }

    static byte[] pattern(long start, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) ((start + i) * 7);
        return b;
    }

    RpcServer server;
    String binding;

    @BeforeEach
    void start() throws Exception {
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(new ChecksumService())
                .authentication(dev.weft.security.ntlm.NtlmProvider.server(
                        dev.weft.security.ntlm.NtlmCredentialSource.ofPasswords(java.util.Map.of("alice", "Secret-1"))))
                .build().start();
        binding = server.endpoints().get(0).toBinding().toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** CONNECT (authenticated, no verifier on the fragments) to PKT_PRIVACY: pipes stream at every level. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 5, 6})
    void pipesStreamAtEveryAuthLevel(int level) {
        var ntlm = dev.weft.security.ntlm.NtlmProvider.client(
                dev.weft.security.ntlm.NtlmCredentials.password("WEFT", "alice", "Secret-1"));
        try (RpcClient client = RpcClient.connect(binding, ClientOptions.DEFAULT.withAuth(new ClientAuth(ntlm, level, null)))) {
            BindingHandle h = client.bind(IFACE);
            int outSize = 100_000;
            byte[] in = pattern(0, 50_000);
            CRC32 expected = new CRC32();
            expected.update(in);
            try (StreamingCall call = h.open(0)) {
                NdrWriter w = call.request();
                w.writeInt32(outSize);
                w.beginPipeChunk(in.length);
                w.writeBytes(in);
                w.endPipeChunk(in.length);
                w.writePipeEnd();
                NdrReader r = call.response();
                long received = 0;
                for (int n = r.beginPipeChunk(); n != 0; n = r.beginPipeChunk()) {
                    assertEquals(new String(pattern(received, n)), new String(r.readBytes(n)));
                    received += n;
                    r.endPipeChunk(n);
                }
                r.endPipeChunk(0);
                assertEquals(in.length, r.readInt64());
                assertEquals((int) expected.getValue(), r.readInt32());
                assertEquals(outSize, received);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void inAndOutPipesStream(TransferSyntax syntax) {
        long inSize = 16L << 20;
        int outSize = 3 << 20;
        try (RpcClient client = RpcClient.connect(binding, ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            BindingHandle h = client.bind(IFACE);
            assertEquals(syntax, h.syntax());
            CRC32 expected = new CRC32();
            long received = 0;
            try (StreamingCall call = h.open(0)) {
                NdrWriter w = call.request();
                w.writeInt32(outSize);
                for (long sent = 0; sent < inSize; sent += CHUNK) {
                    byte[] chunk = pattern(sent, (int) Math.min(CHUNK, inSize - sent));
                    expected.update(chunk);
                    w.beginPipeChunk(chunk.length);
                    w.writeBytes(chunk);
                    w.endPipeChunk(chunk.length);
                }
                w.writePipeEnd();
                NdrReader r = call.response();
                for (int n = r.beginPipeChunk(); n != 0; n = r.beginPipeChunk()) {
                    byte[] chunk = r.readBytes(n);
                    assertEquals(new String(pattern(received, n)), new String(chunk));
                    received += n;
                    r.endPipeChunk(n);
                }
                r.endPipeChunk(0);
                assertEquals(inSize, r.readInt64());
                assertEquals((int) expected.getValue(), r.readInt32());
            }
            assertEquals(outSize, received);
            // The connection serves the next call: the streamed request released it.
            try (StreamingCall call = h.open(0)) {
                call.request().writeInt32(0).writePipeEnd();
                NdrReader r = call.response();
                assertEquals(0, r.beginPipeChunk());
                r.endPipeChunk(0);
                assertEquals(0, r.readInt64());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void aHostileChunkCountIsFaultedNotAllocated(TransferSyntax syntax) {
        try (RpcClient client = RpcClient.connect(binding, ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            BindingHandle h = client.bind(IFACE);
            try (StreamingCall call = h.open(0)) {
                NdrWriter w = call.request();
                w.writeInt32(0);
                w.beginPipeChunk(Integer.MAX_VALUE); // 2 GiB announced, 3 bytes sent
                w.writeBytes(new byte[3]);
                RpcFaultException e = assertThrows(RpcFaultException.class, () -> call.response().readInt32());
                assertEquals(0x6F7, e.status()); // RPC_X_BAD_STUB_DATA
            }
            // Within the limit but longer than what arrives: the stub ends early, the same fault.
            try (StreamingCall call = h.open(0)) {
                NdrWriter w = call.request();
                w.writeInt32(0);
                w.beginPipeChunk(1 << 20);
                w.writeBytes(new byte[10]);
                RpcFaultException e = assertThrows(RpcFaultException.class, () -> call.response().readInt32());
                assertEquals(0x6F7, e.status());
            }
        }
    }
}
