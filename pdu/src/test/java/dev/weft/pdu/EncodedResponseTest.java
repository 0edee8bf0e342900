package dev.weft.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The server's one-copy response path must produce exactly the bytes of the record path. */
class EncodedResponseTest {
    @Test
    void sameBytesAsTheRecordPathAtEveryBoundary() {
        Fragmenter f = new Fragmenter(2048, null);
        int space = f.stubSpace(false);
        Random random = new Random(9);
        for (int size : new int[] {0, 1, space - 1, space, space + 1, 2 * space, 3 * space + 7, 100_000}) {
            byte[] stub = new byte[size + 13]; // a buffer longer than the stub, as NdrWriter.buffer() is
            random.nextBytes(stub);
            byte[] exact = java.util.Arrays.copyOf(stub, size);
            List<Response> records = f.response(77, 3, exact);
            List<byte[]> wire = f.encodedResponse(77, 3, stub, size);
            assertEquals(records.size(), wire.size(), "fragments for " + size);
            for (int i = 0; i < wire.size(); i++) {
                assertArrayEquals(PduCodec.encode(records.get(i)), wire.get(i), "fragment " + i + " of " + size);
            }
        }
    }

    @Test
    void refusesAVerifier() {
        Fragmenter signed = new Fragmenter(2048, SecTrailer.of(AuthType.RPC_C_AUTHN_WINNT, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 0, new byte[16]));
        assertThrows(IllegalStateException.class, () -> signed.encodedResponse(1, 0, new byte[4], 4));
    }
}
