package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.ClientOptions;
import dev.weft.client.RpcBindException;
import dev.weft.client.RpcClient;
import dev.weft.interfaces.srvsvc.Srvsvc;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo100;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo101;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo0;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo0Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo2;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo2Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo502Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo502I;
import dev.weft.interfaces.srvsvc.Srvsvc.TimeOfDayInfo;
import dev.weft.server.RpcServer;
import dev.weft.transport.Transports;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * srvsvc (MS-SRVS) and Samba 4.17.
 *
 * <p>Samba's AD DC serves srvsvc only as the SMB named pipe \pipe\srvsvc (samba-dcerpcd, started by smbd when a
 * client opens the pipe): its endpoint mapper lists no srvsvc, and neither its TCP endpoints nor its ncalrpc one
 * accept the interface, which the first test checks. Weft has no SMB transport, so Weft's client cannot reach
 * Samba's srvsvc; what Samba's client and server exchange over SMB is recorded and replayed against Weft's codecs in
 * the interfaces module instead (SrvsvcSambaCaptureTest, data from tools/interop/capture-samba.sh).
 *
 * <p>The other direction works over TCP: Samba's rpcclient, which speaks srvsvc over any transport, against Weft's
 * generated srvsvc skeleton on 127.0.0.7 (with Weft's endpoint mapper on port 135 there, since rpcclient always
 * asks it first): share enumeration at levels 1, 2 and 502, share information, server information and the time.
 */
class SrvsvcAgainstSambaTest {
    static final String HOST = "127.0.0.7";
    static final int NERR_SUCCESS = 0, ERROR_INVALID_LEVEL = 124, NERR_NET_NAME_NOT_FOUND = 2310;
    static final String SRVSVC_UUID = "4b324fc8-1670-01d3-1278-5a47bf6ee188";
    /** 1 November 2026 12:34:56 UTC. */
    static final int NOW = (int) ZonedDateTime.of(2026, 11, 1, 12, 34, 56, 0, ZoneOffset.UTC).toEpochSecond();

    /**
     * A self-relative security descriptor (MS-DTYP 2.4.6) by hand: control SE_SELF_RELATIVE | SE_DACL_PRESENT, the
     * DACL at offset 20 with one ACCESS_ALLOWED ACE granting S-1-1-0 (Everyone) 0x001F01FF.
     */
    static final byte[] EVERYONE_FULL_CONTROL = {
            1, 0, 4, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
            2, 0, 28, 0, 1, 0, 0, 0,
            0, 0, 20, 0, (byte) 0xFF, 0x01, 0x1F, 0x00, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

    record Share(String name, int type, String remark, String path) {
    }

    static final List<Share> SHARES = List.of(
            new Share("data", Srvsvc.STYPE_DISKTREE, "team files", "C:\\data"),
            new Share("IPC$", Srvsvc.STYPE_IPC | Srvsvc.STYPE_SPECIAL, "Remote IPC", ""));

    static RpcServer server;
    static Transports transports;

    @BeforeAll
    static void start() throws IOException {
        SambaDc.ensureRunning();   // its smb.conf, which rpcclient reads, and the DC the first test asks
        server = RpcServer.builder()
                .listen("ncacn_ip_tcp:" + HOST + "[135]")
                .listen("ncacn_ip_tcp:" + HOST + "[0]")
                .endpointMapper()
                .service(Srvsvc.service(shareTable()))
                .build().start();
        // Samba's DEFAULT ncalrpc socket through a private directory, as LsarpcAgainstSambaTest reaches it.
        Path dir = Files.createTempDirectory("weft-srvsvc-ncalrpc",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(dir.resolve("DEFAULT"), Path.of(SambaDc.DIR, "run/ncalrpc/DEFAULT"));
        dir.toFile().deleteOnExit();
        dir.resolve("DEFAULT").toFile().deleteOnExit();
        transports = Transports.defaults().with(Transports.ncalrpc(dir));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Weft's srvsvc for rpcclient: a two-share table (MS-SRVS 3.1.4.8, 3.1.4.10, 3.1.4.17, 3.1.4.21). */
    static Srvsvc.Server shareTable() {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "netrShareEnum" -> {
                ShareEnumStruct in = (ShareEnumStruct) args[2];
                ShareEnumUnion all = switch (in.level()) {
                    case 0 -> new ShareEnumUnion.Level0(new ShareInfo0Container(SHARES.size(),
                            SHARES.stream().map(s -> new ShareInfo0(s.name())).toList()));
                    case 1 -> new ShareEnumUnion.Level1(new ShareInfo1Container(SHARES.size(),
                            SHARES.stream().map(s -> new ShareInfo1(s.name(), s.type(), s.remark())).toList()));
                    case 2 -> new ShareEnumUnion.Level2(new ShareInfo2Container(SHARES.size(), SHARES.stream()
                            .map(s -> new ShareInfo2(s.name(), s.type(), s.remark(), 0, -1, 1, s.path(), "")).toList()));
                    case 502 -> new ShareEnumUnion.Level502(new ShareInfo502Container(SHARES.size(), SHARES.stream()
                            .map(s -> new ShareInfo502I(s.name(), s.type(), s.remark(), 0, -1, 1, s.path(), "",
                                    EVERYONE_FULL_CONTROL.length, EVERYONE_FULL_CONTROL)).toList()));
                    default -> null;
                };
                yield all == null ? new Srvsvc.NetrShareEnumResult(in, 0, null, ERROR_INVALID_LEVEL)
                        : new Srvsvc.NetrShareEnumResult(new ShareEnumStruct(in.level(), all), SHARES.size(), 0, NERR_SUCCESS);
            }
            case "netrShareGetInfo" -> {
                Share s = SHARES.stream().filter(x -> x.name().equalsIgnoreCase((String) args[2])).findFirst().orElse(null);
                if (s == null) yield new Srvsvc.NetrShareGetInfoResult(new ShareInfo.ShareInfo1Arm(null), NERR_NET_NAME_NOT_FOUND);
                yield new Srvsvc.NetrShareGetInfoResult(switch ((int) args[3]) {
                    case 0 -> new ShareInfo.ShareInfo0Arm(new ShareInfo0(s.name()));
                    case 1 -> new ShareInfo.ShareInfo1Arm(new ShareInfo1(s.name(), s.type(), s.remark()));
                    default -> new ShareInfo.ShareInfo2Arm(new ShareInfo2(s.name(), s.type(), s.remark(), 0, -1, 1, s.path(), ""));
                }, NERR_SUCCESS);
            }
            case "netrServerGetInfo" -> switch ((int) args[2]) {
                case 100 -> new Srvsvc.NetrServerGetInfoResult(new ServerInfo.ServerInfo100Arm(
                        new ServerInfo100(Srvsvc.PLATFORM_ID_NT, "WEFTSRV")), NERR_SUCCESS);
                case 101 -> new Srvsvc.NetrServerGetInfoResult(new ServerInfo.ServerInfo101Arm(new ServerInfo101(
                        Srvsvc.PLATFORM_ID_NT, "WEFTSRV", 10, 0,
                        Srvsvc.SV_TYPE_WORKSTATION | Srvsvc.SV_TYPE_SERVER | Srvsvc.SV_TYPE_NT | Srvsvc.SV_TYPE_SERVER_NT,
                        "Weft srvsvc")), NERR_SUCCESS);
                default -> new Srvsvc.NetrServerGetInfoResult(new ServerInfo.ServerInfo102Arm(null), ERROR_INVALID_LEVEL);
            };
            case "netrRemoteTOD" -> {
                ZonedDateTime t = Instant.ofEpochSecond(NOW).atZone(ZoneOffset.UTC);
                yield new Srvsvc.NetrRemoteTODResult(new TimeOfDayInfo(NOW, 0, t.getHour(), t.getMinute(), t.getSecond(),
                        0, 0, 10000, t.getDayOfMonth(), t.getMonthValue(), t.getYear(), t.getDayOfWeek().getValue() % 7),
                        NERR_SUCCESS);
            }
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (Srvsvc.Server) Proxy.newProxyInstance(Srvsvc.Server.class.getClassLoader(), new Class<?>[] {Srvsvc.Server.class}, h);
    }

    static SambaClientsAgainstWeftTest.Result rpcclient(String host, String command) throws IOException, InterruptedException {
        return SambaClientsAgainstWeftTest.run("rpcclient", "-s", SambaDc.smbConf(), "-U%", "ncacn_ip_tcp:" + host, "-c", command);
    }

    // ------------------------------------------------------------------ Samba's DC: named pipes only

    /**
     * Samba's endpoint mapper lists every interface it serves over TCP and ncalrpc, and srvsvc is not among them;
     * Weft's client, asking it to map srvsvc, is told it is not registered; binding srvsvc directly on each of
     * Samba's TCP ports, and on its DEFAULT ncalrpc endpoint, is refused.
     */
    @Test
    void sambaServesSrvsvcOnlyAsANamedPipe() throws Exception {
        SambaClientsAgainstWeftTest.Result lookup = rpcclient(SambaDc.HOST, "epmlookup");
        assertEquals(0, lookup.exit(), String.join("\n", lookup.lines()));
        String listing = String.join("\n", lookup.lines()).toLowerCase();
        assertTrue(listing.contains("12345778-1234-abcd-ef00-0123456789ac"), "the listing holds samr: " + listing);
        assertFalse(listing.contains(SRVSVC_UUID), "Samba's endpoint mapper lists srvsvc:\n" + listing);
        Set<Integer> ports = new TreeSet<>();
        Matcher m = Pattern.compile("ncacn_ip_tcp:[0-9.]+\\[(\\d+)[,\\]]").matcher(listing);
        while (m.find()) ports.add(Integer.parseInt(m.group(1)));
        assertTrue(ports.size() >= 3, "Samba's TCP endpoints: " + ports);

        try (RpcClient c = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST)) {
            RpcBindException e = assertThrows(RpcBindException.class, () -> c.bind(Srvsvc.INTERFACE_ID));
            assertTrue(e.getMessage().contains("does not know"), e.getMessage());
        }
        for (int port : ports) {
            try (RpcClient c = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST + "[" + port + "]")) {
                assertThrows(RpcBindException.class, () -> c.bind(Srvsvc.INTERFACE_ID), "port " + port);
            }
        }
        try (RpcClient c = RpcClient.connect("ncalrpc:[DEFAULT]", ClientOptions.DEFAULT.withTransports(transports))) {
            assertThrows(RpcBindException.class, () -> c.bind(Srvsvc.INTERFACE_ID), "ncalrpc:[DEFAULT]");
        }
    }

    // ------------------------------------------------------------------ Samba's rpcclient against Weft's srvsvc

    @Test
    void rpcclientEnumeratesWeftsShares() throws Exception {
        SambaClientsAgainstWeftTest.Result r = rpcclient(HOST, "netshareenumall 1");
        assertEquals(0, r.exit(), String.join("\n", r.lines()));
        assertEquals(List.of("netname: data", "\tremark:\tteam files", "netname: IPC$", "\tremark:\tRemote IPC"),
                r.lines().stream().filter(l -> l.startsWith("netname:") || l.startsWith("\tremark:")).toList());

        SambaClientsAgainstWeftTest.Result two = rpcclient(HOST, "netshareenumall 2");
        assertEquals(0, two.exit(), String.join("\n", two.lines()));
        assertTrue(two.lines().contains("\tpath:\tC:\\data"), String.join("\n", two.lines()));
    }

    /** Level 502 carries each share's security descriptor, which rpcclient parses and prints. */
    @Test
    void rpcclientParsesTheSecurityDescriptorsWeftSends() throws Exception {
        SambaClientsAgainstWeftTest.Result r = rpcclient(HOST, "netshareenumall 502");
        assertEquals(0, r.exit(), String.join("\n", r.lines()));
        String out = String.join("\n", r.lines());
        assertEquals(2, r.lines().stream().filter(l -> l.trim().equals("SID: S-1-1-0")).count(), out);
        assertEquals(2, r.lines().stream().filter(l -> l.contains("Permissions: 0x1f01ff")).count(), out);
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("type:\t0x80000003")), "IPC$'s type: " + out);
    }

    @Test
    void rpcclientGetsShareAndServerInformationAndTheTime() throws Exception {
        SambaClientsAgainstWeftTest.Result share = rpcclient(HOST, "netsharegetinfo data 2");
        assertEquals(0, share.exit(), String.join("\n", share.lines()));
        assertTrue(share.lines().contains("netname: data") && share.lines().contains("\tpath:\tC:\\data"),
                String.join("\n", share.lines()));

        SambaClientsAgainstWeftTest.Result missing = rpcclient(HOST, "netsharegetinfo nothing 1");
        assertTrue(missing.lines().contains("result was WERR_NERR_NETNAMENOTFOUND"), String.join("\n", missing.lines()));

        SambaClientsAgainstWeftTest.Result info = rpcclient(HOST, "srvinfo");
        assertEquals(0, info.exit(), String.join("\n", info.lines()));
        String text = String.join("\n", info.lines());
        assertTrue(text.contains("WEFTSRV") && text.contains("Weft srvsvc"), text);
        assertTrue(text.contains("platform_id     :\t500"), text);
        assertTrue(text.contains("os version      :\t10.0"), text);

        // netremotetod prints nothing but errors; at debug level 10 rpcclient prints what it decoded.
        SambaClientsAgainstWeftTest.Result tod = SambaClientsAgainstWeftTest.run("rpcclient", "-d", "10", "-s",
                SambaDc.smbConf(), "-U%", "ncacn_ip_tcp:" + HOST, "-c", "netremotetod");
        assertEquals(0, tod.exit(), String.join("\n", tod.lines()));
        String decoded = String.join("\n", tod.lines());
        int out = decoded.indexOf("out: struct srvsvc_NetRemoteTOD");
        assertTrue(out >= 0, decoded);
        assertEquals(List.of(Integer.toUnsignedLong(NOW), 2026L, 11L, 1L, 12L, 34L, 56L),
                List.of(field(decoded, out, "elapsed"), field(decoded, out, "year"), field(decoded, out, "month"),
                        field(decoded, out, "day"), field(decoded, out, "hours"), field(decoded, out, "mins"),
                        field(decoded, out, "secs")));
        assertTrue(decoded.substring(out).contains("result                   : WERR_OK"), decoded.substring(out));
    }

    /**
     * Wireshark's srvsvc dissector, which Weft did not write either, decodes Weft's answers to rpcclient as srvsvc
     * with nothing malformed and no warning.
     */
    @Test
    void tsharkDecodesWeftsAnswersWithNothingMalformed() throws Exception {
        // rpcclient may bind srvsvc on port 135 itself (Weft's endpoint mapper offers every interface on every
        // endpoint), so both ports are captured; other tests' traffic with Samba on 127.0.0.1:135 is left out below.
        int port = server.endpoints().get(1).port();
        try (Tshark capture = Tshark.capture("tcp port 135 or tcp port " + port, port)) {
            SambaClientsAgainstWeftTest.Result r = rpcclient(HOST,
                    "netshareenumall 1; netshareenumall 502; netsharegetinfo data 2; srvinfo; netremotetod");
            assertEquals(0, r.exit(), String.join("\n", r.lines()));
            List<String> srvsvc = capture.stopAndRead("ip.addr == " + HOST + " && srvsvc");
            for (String answer : List.of("NetShareEnumAll response", "NetShareGetInfo response", "NetSrvGetInfo response",
                    "NetRemoteTOD response")) {
                assertTrue(srvsvc.stream().anyMatch(l -> l.contains(answer)), answer + " in " + srvsvc);
            }
            assertEquals(List.of(), capture.stopAndRead("ip.addr == " + HOST
                    + " && (_ws.malformed || (dcerpc && _ws.expert.severity >= warning && !tcp.analysis.flags))"));
        }
    }

    /** A field of rpcclient's debug print of a structure, {@code name : 0x... (decimal)}, after {@code from}. */
    static long field(String text, int from, String name) {
        Matcher m = Pattern.compile("\\s" + name + "\\s+: 0x[0-9a-f]+ \\((\\d+)\\)").matcher(text);
        assertTrue(m.find(from), name + " in " + text.substring(from));
        return Long.parseLong(m.group(1));
    }
}
