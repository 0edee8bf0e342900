package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cli.Io;
import dev.weft.cli.Weft;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The `weft` command's client subcommands against the Samba AD DC: epm, map, mgmt and bench. */
class WeftCommandAgainstSambaTest {
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void peer() {
        SambaDc.ensureRunning();
    }

    static Run weft(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, new CountDownLatch(1));
        int code = Weft.run(args, io);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void epmListsSambasEndpoints() {
        Run r = weft("epm", "ncacn_ip_tcp:" + SambaDc.HOST);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("12345778-1234-abcd-ef00-0123456789ac"), "samr is listed: " + r.out());
        assertTrue(r.out().contains("12345678-1234-abcd-ef00-01234567cffb"), "netlogon is listed: " + r.out());
    }

    @Test
    void mapResolvesSamrLsarpcAndNetlogon() {   // samr 1.0, lsarpc 0.0, netlogon 1.0
        for (String iface : new String[] {"12345778-1234-abcd-ef00-0123456789ac", "12345778-1234-abcd-ef00-0123456789ab/0.0",
                "12345678-1234-abcd-ef00-01234567cffb"}) {
            Run r = weft("map", "ncacn_ip_tcp:" + SambaDc.HOST, iface);
            assertEquals(0, r.code(), iface + ": " + r);
            assertTrue(r.out().matches("(?s)ncacn_ip_tcp:[0-9.]+\\[\\d+].*"), "a TCP endpoint (Samba answers 0.0.0.0): " + r.out());
        }
    }

    @Test
    void mgmtAndBenchAgainstTheEndpointMapperPort() {
        Run mgmt = weft("mgmt", "ncacn_ip_tcp:" + SambaDc.HOST + "[135]", "--json");
        assertEquals(0, mgmt.code(), mgmt.toString());
        assertTrue(mgmt.out().contains("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), "the epmapper interface: " + mgmt.out());
        Run bench = weft("bench", "ncacn_ip_tcp:" + SambaDc.HOST + "[135]", "--duration", "1", "--warmup", "0", "--json");
        assertEquals(0, bench.code(), bench.toString());
        assertTrue(bench.out().contains("\"errors\":0"), bench.out());
    }

    /** ept_lookup to the end (Samba's one reply with a non-null handle), then mgmt inq_if_ids on every TCP endpoint. */
    @Test
    void mgmtAnswersOnEveryEndpointTheEndpointMapperLists() {
        Run epm = weft("epm", "ncacn_ip_tcp:" + SambaDc.HOST, "--json");
        assertEquals(0, epm.code(), epm.toString());
        java.util.Set<String> ports = new java.util.TreeSet<>();
        var m = java.util.regex.Pattern.compile("ncacn_ip_tcp:[0-9.]+\\[(\\d+)]").matcher(epm.out());
        while (m.find()) ports.add(m.group(1));
        assertTrue(ports.size() >= 3, "epmapper, netlogon, lsarpc and samr endpoints at least: " + ports);
        for (String port : ports) {
            Run mgmt = weft("mgmt", "ncacn_ip_tcp:" + SambaDc.HOST + "[" + port + "]", "--json");
            assertEquals(0, mgmt.code(), port + ": " + mgmt);
            assertTrue(mgmt.out().contains("\"uuid\""), "inq_if_ids listed interfaces: " + mgmt.out());
        }
    }
}
