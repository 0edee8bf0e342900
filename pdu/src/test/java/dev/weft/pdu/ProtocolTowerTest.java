package dev.weft.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ProtocolTowerTest {
    static final SyntaxId EPMAPPER = new SyntaxId(Uuid.parse("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);

    /** RPCE-FACTS §12.2 (C706 Appendix L): epmapper v3 over TCP port 135, address 0.0.0.0, 75 bytes. */
    static final byte[] EPMAPPER_TCP_135 = HexFormat.of().parseHex(
            "0500"
            + "13000d0883afe11f5dc91191a408002b14a0fa0300" + "02000000"
            + "13000d045d888aeb1cc9119fe808002b104860" + "0200" + "02000000"
            + "01000b" + "02000000"
            + "010007" + "02000087"
            + "010009" + "040000000000");

    @Test
    void encodesTheC706Example() {
        assertEquals(75, EPMAPPER_TCP_135.length);
        assertArrayEquals(EPMAPPER_TCP_135, ProtocolTower.tcp(EPMAPPER, SyntaxId.NDR20, "0.0.0.0", 135).encode());
    }

    @Test
    void decodesTheC706Example() {
        ProtocolTower t = ProtocolTower.decode(EPMAPPER_TCP_135);
        assertEquals(EPMAPPER, t.iface());
        assertEquals(SyntaxId.NDR20, t.syntax());
        assertEquals(ProtocolTower.NCACN, t.protocol());
        assertEquals(135, t.port());
        assertEquals("0.0.0.0", t.host());
    }

    @Test
    void ncalrpcTowerHasFourFloorsAndRoundTrips() {
        ProtocolTower t = ProtocolTower.ncalrpc(EPMAPPER, SyntaxId.NDR64, "weft");
        byte[] b = t.encode();
        assertEquals(4, b[0]);
        ProtocolTower back = ProtocolTower.decode(b);
        assertEquals(t, back);
        assertNull(back.host());
        assertEquals(-1, back.port());
    }

    @Test
    void rejectsMalformedTowers() {
        assertThrows(IllegalArgumentException.class, () -> ProtocolTower.decode(new byte[] {7, 0}));
        byte[] truncated = java.util.Arrays.copyOf(EPMAPPER_TCP_135, 40);
        assertThrows(IllegalArgumentException.class, () -> ProtocolTower.decode(truncated));
        byte[] badUuidFloor = EPMAPPER_TCP_135.clone();
        badUuidFloor[4] = 0x0C;
        assertThrows(IllegalArgumentException.class, () -> ProtocolTower.decode(badUuidFloor));
    }
}
