package dev.weft.interfaces.epmapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.CapturedBinding;
import dev.weft.interfaces.SambaCapture;
import dev.weft.interfaces.epmapper.Epmapper.EptLookupHandle;
import dev.weft.interfaces.epmapper.Epmapper.Twr;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.ProtocolTower;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The endpoint mapper as Samba 4.17's client asked it and its AD DC answered ({@code epmapper/samba-4.17-epmapper-tcp.txt},
 * recorded by {@code tools/interop/capture-samba.sh}), as a Weft user calls it: ept_map with the towers
 * {@link ProtocolTower} builds (the interface, NDR, ncacn, TCP port 0, 0.0.0.0), ept_lookup of the whole table and
 * its handle, and the operations Samba does not implement.
 */
class EpmapperSambaCaptureTest {
    static final SambaCapture CAPTURE = SambaCapture.load("epmapper/samba-4.17-epmapper-tcp.txt");
    static final int EPT_S_NOT_REGISTERED = 0x16C9A0D6, NCA_S_OP_RNG_ERROR = 0x1C010002;

    static <T> T call(String label, Function<Epmapper.Client, T> f) {
        CapturedBinding b = CapturedBinding.of(CAPTURE, label);
        try {
            return f.apply(Epmapper.client(b));
        } finally {
            b.assertSentSambasRequest();
        }
    }

    /** The query tower of ept_map (RPCE-FACTS §12.2): port 0, address 0.0.0.0. */
    static Twr query(SyntaxId iface) {
        byte[] octets = ProtocolTower.tcp(iface, SyntaxId.NDR20, "0.0.0.0", 0).encode();
        return new Twr(octets.length, octets);
    }

    static ProtocolTower answer(Epmapper.MapResult r) {
        assertEquals(0, r.status());
        assertEquals(1, r.numTowers());
        return ProtocolTower.decode(r.towers().get(0).towerOctetString());
    }

    @Test
    void mapEachInterfaceToItsPort() {
        SyntaxId samr = new SyntaxId(Uuid.parse("12345778-1234-abcd-ef00-0123456789ac"), 1, 0);
        ProtocolTower t = answer(call("map-samr", e -> e.map(null, query(samr), EptLookupHandle.NULL, 4)));
        assertEquals(samr, t.iface());
        assertEquals("0.0.0.0", t.host(), "Samba leaves the address floor as it was asked: the client keeps its own");
        int samrPort = t.port();
        assertTrue(samrPort >= 49152, "a dynamic port: " + samrPort);
        assertEquals(samrPort, answer(call("map-samr-one-tower", e -> e.map(null, query(samr), EptLookupHandle.NULL, 1))).port());
        SyntaxId netlogon = new SyntaxId(Uuid.parse("12345678-1234-abcd-ef00-01234567cffb"), 1, 0);
        SyntaxId lsarpc = new SyntaxId(Uuid.parse("12345778-1234-abcd-ef00-0123456789ab"), 0, 0);
        SyntaxId dssetup = new SyntaxId(Uuid.parse("3919286a-b10c-11d0-9ba8-00c04fd92ef5"), 0, 0);
        int lsaPort = answer(call("map-lsarpc", e -> e.map(null, query(lsarpc), EptLookupHandle.NULL, 4))).port();
        assertEquals(lsaPort, answer(call("map-dssetup", e -> e.map(null, query(dssetup), EptLookupHandle.NULL, 4))).port(),
                "Samba serves dssetup on lsarpc's endpoint");
        assertFalse(lsaPort == answer(call("map-netlogon", e -> e.map(null, query(netlogon), EptLookupHandle.NULL, 4))).port());
        SyntaxId epm = new SyntaxId(Uuid.parse("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);
        assertEquals(135, answer(call("map-epmapper", e -> e.map(null, query(epm), EptLookupHandle.NULL, 4))).port());
        assertEquals(samrPort, answer(call("map-with-object", e -> e.map(Uuid.parse("a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f"),
                query(samr), EptLookupHandle.NULL, 4))).port(), "an object UUID nobody registered does not matter to Samba");
    }

    @Test
    void whatIsNotThere() {
        SyntaxId rpcecho = new SyntaxId(Uuid.parse("60a15ec5-4de8-11d7-a637-005056a20182"), 1, 0);
        var none = call("map-not-registered", e -> e.map(null, query(rpcecho), EptLookupHandle.NULL, 4));
        assertEquals(EPT_S_NOT_REGISTERED, none.status());
        assertEquals(0, none.numTowers());
        SyntaxId samr = new SyntaxId(Uuid.parse("12345778-1234-abcd-ef00-0123456789ac"), 1, 0);
        byte[] ndr64 = ProtocolTower.tcp(samr, SyntaxId.NDR64, "0.0.0.0", 0).encode();
        assertEquals(EPT_S_NOT_REGISTERED, call("map-samr-ndr64",
                e -> e.map(null, new Twr(ndr64.length, ndr64), EptLookupHandle.NULL, 4)).status(), "Samba registers NDR only");
        for (String label : List.of("insert", "delete", "mgmt-delete")) {
            var x = CAPTURE.get(label);
            assertEquals(NCA_S_OP_RNG_ERROR, x.fault(), label + ": Samba implements no remote table changes");
        }
    }

    /**
     * ept_lookup of everything: Samba answers the whole table at once with a handle, then ept_s_not_registered
     * (PEERS.md); with a small max_ents it pages, and freeing a handle twice is a fault.
     */
    @Test
    void lookupTheWholeTable() {
        var all = call("lookup-all", e -> e.lookup(0, null, null, 1, EptLookupHandle.NULL, 500));
        assertEquals(0, all.status());
        assertEquals(all.numEnts(), all.entries().size());
        assertFalse(all.entryHandleOut().handle().isNull());
        assertTrue(all.entries().stream().anyMatch(x -> x.annotation().equals("mgmt")), "every endpoint serves mgmt");
        var next = call("lookup-all-next", e -> e.lookup(0, null, null, 1, all.entryHandleOut(), 500));
        assertEquals(EPT_S_NOT_REGISTERED, next.status());
        assertTrue(next.entryHandleOut().handle().isNull());
        RpcFaultException freed = assertThrows(RpcFaultException.class,
                () -> call("lookup-handle-free", e -> e.lookupHandleFree(all.entryHandleOut())));
        assertEquals(0x1C00001A, freed.status(), "the handle ended with the listing: context mismatch");

        var few = call("lookup-few", e -> e.lookup(0, null, null, 1, EptLookupHandle.NULL, 3));
        assertEquals(3, few.numEnts());
        var more = call("lookup-few-next", e -> e.lookup(0, null, null, 1, few.entryHandleOut(), 3));
        assertEquals(0, more.status());
        assertEquals(few.entryHandleOut(), more.entryHandleOut(), "the same handle pages on");
        assertEquals(0, call("lookup-few-handle-free", e -> e.lookupHandleFree(more.entryHandleOut())).status());
    }
}
