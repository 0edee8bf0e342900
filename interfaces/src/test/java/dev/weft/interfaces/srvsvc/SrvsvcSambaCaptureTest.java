package dev.weft.interfaces.srvsvc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.interfaces.CapturedBinding;
import dev.weft.interfaces.GeneratedStubs;
import dev.weft.interfaces.SambaCapture;
import dev.weft.interfaces.WireCompare;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectInfo1Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectionInfo1;
import dev.weft.interfaces.srvsvc.Srvsvc.DiskEnumContainer;
import dev.weft.interfaces.srvsvc.Srvsvc.DiskInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.FileEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.FileEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.FileInfo3Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo101;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo102;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionInfo0Container;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionInfo1;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionInfo1Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo0;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo0Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo2;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo2Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo501;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo501Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo502Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo502I;
import dev.weft.interfaces.srvsvc.Srvsvc.TimeOfDayInfo;
import dev.weft.ndr.TransferSyntax;
import dev.weft.server.RpcServer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Real srvsvc exchanges between Samba's client and the Samba 4.17 AD DC, recorded over SMB by
 * {@code tools/interop/capture-samba.sh} (Samba serves srvsvc only as the named pipe \\pipe\\srvsvc, and Weft has no
 * SMB transport): the stub of each request and response, NDR20. {@code SambaCaptureReplayTest} takes every exchange
 * through the skeleton and the client stub generically; here each is a call as a Weft user makes it:
 * <ol>
 *   <li>the generated client, given the arguments Samba's client was given, encodes Samba's request byte for byte
 *       (pointer values aside: {@link WireCompare});</li>
 *   <li>it decodes Samba's response completely, to the values the DC holds (checked per operation below);</li>
 *   <li>the skeleton decodes Samba's request to those arguments;</li>
 *   <li>the same call through client and skeleton over a Weft server in NDR64 returns the same values.</li>
 * </ol>
 */
class SrvsvcSambaCaptureTest {
    private static final String SERVER = "127.0.0.1";
    private static final int ERROR_INVALID_NAME = 123, ERROR_INVALID_LEVEL = 124;
    private static final int OWNER_SECURITY_INFORMATION = 1, DACL_SECURITY_INFORMATION = 4;
    static final SambaCapture CAPTURE = SambaCapture.load("srvsvc/samba-4.17-srvsvc-np.txt");

    /** What a label called, as the generated client's method and arguments. */
    record Call(String method, List<Object> args) {
    }

    /** What each label called (tools/interop/samba-calls.py, srvsvc_np_step), as arguments to the generated client. */
    static final Map<String, Call> CALLS = new LinkedHashMap<>();

    static void call(String label, String method, Object... args) {
        CALLS.put(label, new Call(method, Arrays.asList(args)));
    }

    static {
        call("share-enum-0", "netrShareEnum", SERVER, shareEnum(0), -1, 0);
        call("share-enum-1", "netrShareEnum", SERVER, shareEnum(1), -1, 0);
        call("share-enum-2", "netrShareEnum", SERVER, shareEnum(2), -1, 0);
        call("share-enum-501", "netrShareEnum", SERVER, shareEnum(501), -1, 0);
        call("share-enum-502", "netrShareEnum", SERVER, shareEnum(502), -1, 0);
        call("share-enum-sticky-1", "netrShareEnumSticky", SERVER, shareEnum(1), -1, 0);
        call("share-get-info-sysvol-0", "netrShareGetInfo", SERVER, "sysvol", 0);
        call("share-get-info-sysvol-1", "netrShareGetInfo", SERVER, "sysvol", 1);
        call("share-get-info-sysvol-2", "netrShareGetInfo", SERVER, "sysvol", 2);
        call("share-get-info-netlogon-501", "netrShareGetInfo", SERVER, "netlogon", 501);
        for (int level : new int[] {502, 1004, 1005, 1006, 1501}) {
            call("share-get-info-sysvol-" + level, "netrShareGetInfo", SERVER, "sysvol", level);
        }
        call("share-get-info-ipc-1", "netrShareGetInfo", SERVER, "IPC$", 1);
        call("share-get-info-missing-1", "netrShareGetInfo", SERVER, "nosuchshare", 1);
        for (int level : new int[] {100, 101, 102, 503}) {
            call("server-get-info-" + level, "netrServerGetInfo", SERVER, level);
        }
        call("remote-tod", "netrRemoteTOD", SERVER);
        call("disk-enum", "netrServerDiskEnum", SERVER, 0, new DiskEnumContainer(0, null), -1, 0);
        call("session-enum-0", "netrSessionEnum", SERVER, null, null,
                new SessionEnumStruct(0, new SessionEnumUnion.Level0(new SessionInfo0Container(0, null))), -1, 0);
        call("session-enum-1", "netrSessionEnum", SERVER, null, null,
                new SessionEnumStruct(1, new SessionEnumUnion.Level1(new SessionInfo1Container(0, null))), -1, 0);
        call("connection-enum-1", "netrConnectionEnum", SERVER, "IPC$",
                new ConnectEnumStruct(1, new ConnectEnumUnion.Level1(new ConnectInfo1Container(0, null))), -1, 0);
        call("file-enum-3", "netrFileEnum", SERVER, null, null,
                new FileEnumStruct(3, new FileEnumUnion.Level3(new FileInfo3Container(0, null))), -1, 0);
        call("name-validate-share", "netprNameValidate", SERVER, "sysvol", Srvsvc.NAMETYPE_SHARE, 0);
        call("get-file-security", "netrpGetFileSecurity", SERVER, "sysvol", "rpctest.local",
                OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION);
    }

    /** The request of an enumeration: the level and an empty container of that level. */
    static ShareEnumStruct shareEnum(int level) {
        return new ShareEnumStruct(level, switch (level) {
            case 0 -> new ShareEnumUnion.Level0(new ShareInfo0Container(0, null));
            case 1 -> new ShareEnumUnion.Level1(new ShareInfo1Container(0, null));
            case 2 -> new ShareEnumUnion.Level2(new ShareInfo2Container(0, null));
            case 501 -> new ShareEnumUnion.Level501(new ShareInfo501Container(0, null));
            case 502 -> new ShareEnumUnion.Level502(new ShareInfo502Container(0, null));
            default -> throw new IllegalArgumentException("level " + level);
        });
    }

    /** The skeleton's implementation over a Weft server: records the arguments of each call, answers with ANSWER. */
    static final AtomicReference<Object> ANSWER = new AtomicReference<>();
    static final AtomicReference<List<Object>> RECEIVED = new AtomicReference<>();

    static Srvsvc.Server replaying() {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0] : method.getName().equals("hashCode")
                        ? System.identityHashCode(proxy) : "replaying srvsvc";
            }
            RECEIVED.set(Arrays.asList(args).subList(1, args.length));   // args[0] is the ServerCall
            return ANSWER.get();
        };
        return (Srvsvc.Server) Proxy.newProxyInstance(Srvsvc.Server.class.getClassLoader(),
                new Class<?>[] {Srvsvc.Server.class}, h);
    }

    static RpcServer server;
    static RpcClient ndr64;

    @BeforeAll
    static void start() throws java.io.IOException {
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(Srvsvc.service(replaying())).build().start();
        ndr64 = RpcClient.connect(server.endpoints().get(0).toBinding().toString(), ClientOptions.DEFAULT.withPreferNdr64(true));
    }

    @AfterAll
    static void stop() {
        if (ndr64 != null) ndr64.close();
        if (server != null) server.close();
    }

    static Object invoke(Srvsvc.Client client, Call call) throws Exception {
        Method m = Arrays.stream(Srvsvc.Client.class.getMethods()).filter(x -> x.getName().equals(call.method()))
                .findFirst().orElseThrow(() -> new AssertionError("no client method " + call.method()));
        try {
            return m.invoke(client, call.args().toArray());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Test
    void theCaptureHoldsExactlyTheCallsThisTestKnows() {
        assertEquals(CALLS.keySet(), CAPTURE.exchanges().stream().map(SambaCapture.Exchange::label)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new)));
    }

    @TestFactory
    List<DynamicTest> everyRecordedExchange() {
        return CALLS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> exchange(e.getKey(), e.getValue())))
                .toList();
    }

    void exchange(String label, Call call) throws Exception {
        // 1, 2: the generated client, as a user calls it, against Samba's bytes.
        CapturedBinding b = CapturedBinding.of(CAPTURE, label);
        Object decoded = invoke(Srvsvc.client(b), call);
        b.assertSentSambasRequest();
        sambaValues(label, decoded);

        // 3: the skeleton decodes Samba's request to the same arguments.
        var x = b.exchange();
        var received = GeneratedStubs.of(Srvsvc.class).decodeRequest(x.opnum(), x.syntax(), false, x.request());
        assertEquals(render(call.args()), render(received.args()), "the skeleton decoded other arguments than Samba's client sent");

        // 4: the same values through client and skeleton in NDR64.
        ANSWER.set(decoded);
        BindingHandle h64 = ndr64.bind(Srvsvc.INTERFACE_ID);
        assertEquals(TransferSyntax.NDR64, h64.syntax());
        assertEquals(render(decoded), render(invoke(Srvsvc.client(h64), call)));
        assertEquals(render(call.args()), render(RECEIVED.get()));
    }

    static String render(Object v) {
        return WireCompare.render(v);
    }

    // ------------------------------------------------------------------ what the DC answered

    void sambaValues(String label, Object decoded) {
        switch (label) {
            case "share-enum-0" -> assertEquals(List.of("sysvol", "netlogon", "IPC$"),
                    shares(decoded, Srvsvc.NetrShareEnumResult.class, u -> ((ShareEnumUnion.Level0) u).level0().buffer())
                            .stream().map(s -> ((ShareInfo0) s).shi0Netname()).toList());
            case "share-enum-1" -> {
                List<ShareInfo1> s = shares(decoded, Srvsvc.NetrShareEnumResult.class, u -> ((ShareEnumUnion.Level1) u).level1().buffer());
                assertEquals(List.of("sysvol", "netlogon", "IPC$"), s.stream().map(ShareInfo1::shi1Netname).toList());
                assertEquals(List.of(Srvsvc.STYPE_DISKTREE, Srvsvc.STYPE_DISKTREE, Srvsvc.STYPE_IPC | Srvsvc.STYPE_SPECIAL),
                        s.stream().map(ShareInfo1::shi1Type).toList());
                assertTrue(s.get(2).shi1Remark().startsWith("IPC Service (Samba 4.17"), s.get(2).shi1Remark());
            }
            case "share-enum-2" -> {
                List<ShareInfo2> s = shares(decoded, Srvsvc.NetrShareEnumResult.class, u -> ((ShareEnumUnion.Level2) u).level2().buffer());
                assertEquals("C:\\var\\lib\\weft-samba\\state\\sysvol", s.get(0).shi2Path());
                assertEquals("C:\\var\\lib\\weft-samba\\state\\sysvol\\rpctest.local\\scripts", s.get(1).shi2Path());
                assertEquals(-1, s.get(0).shi2MaxUses(), "unlimited");
                assertEquals("", s.get(0).shi2Passwd());
            }
            case "share-enum-501" -> assertEquals(List.of(0, 0, 0),
                    shares(decoded, Srvsvc.NetrShareEnumResult.class, u -> ((ShareEnumUnion.Level501) u).level501().buffer())
                            .stream().map(s -> ((ShareInfo501) s).shi501Flags()).toList());
            case "share-enum-502" -> {
                List<ShareInfo502I> s = shares(decoded, Srvsvc.NetrShareEnumResult.class, u -> ((ShareEnumUnion.Level502) u).level502().buffer());
                for (ShareInfo502I share : s) {
                    assertEquals(share.shi502Reserved(), share.shi502SecurityDescriptor().length);
                    everyoneFullControl(share.shi502SecurityDescriptor());
                }
            }
            case "share-enum-sticky-1" -> {
                // NetrShareEnumSticky lists the shares kept in permanent storage: not IPC$; Samba resumes after them.
                var r = assertInstanceOf(Srvsvc.NetrShareEnumStickyResult.class, decoded);
                assertEquals(List.of("sysvol", "netlogon"), ((ShareEnumUnion.Level1) r.infoStructOut().shareInfo())
                        .level1().buffer().stream().map(ShareInfo1::shi1Netname).toList());
                assertEquals(2, r.totalEntries());
                assertEquals(2, r.resumeHandleOut());
            }
            case "share-get-info-sysvol-0" -> assertEquals("sysvol",
                    ((ShareInfo.ShareInfo0Arm) shareInfo(decoded)).shareInfo0().shi0Netname());
            case "share-get-info-sysvol-1" -> assertEquals(Srvsvc.STYPE_DISKTREE,
                    ((ShareInfo.ShareInfo1Arm) shareInfo(decoded)).shareInfo1().shi1Type());
            case "share-get-info-sysvol-2" -> assertEquals("C:\\var\\lib\\weft-samba\\state\\sysvol",
                    ((ShareInfo.ShareInfo2Arm) shareInfo(decoded)).shareInfo2().shi2Path());
            case "share-get-info-netlogon-501" -> assertEquals("netlogon",
                    ((ShareInfo.ShareInfo501Arm) shareInfo(decoded)).shareInfo501().shi501Netname());
            case "share-get-info-sysvol-502" -> everyoneFullControl(
                    ((ShareInfo.ShareInfo502) shareInfo(decoded)).shareInfo502().shi502SecurityDescriptor());
            case "share-get-info-sysvol-1004" -> assertEquals("",
                    ((ShareInfo.ShareInfo1004Arm) shareInfo(decoded)).shareInfo1004().shi1004Remark());
            case "share-get-info-sysvol-1005" -> assertEquals(0,
                    ((ShareInfo.ShareInfo1005Arm) shareInfo(decoded)).shareInfo1005().shi1005Flags());
            case "share-get-info-sysvol-1006" -> assertEquals(-1,
                    ((ShareInfo.ShareInfo1006Arm) shareInfo(decoded)).shareInfo1006().shi1006MaxUses());
            case "share-get-info-sysvol-1501" -> everyoneFullControl(
                    ((ShareInfo.ShareInfo1501) shareInfo(decoded)).shareInfo1501().shi1501SecurityDescriptor());
            case "share-get-info-ipc-1" -> assertEquals(Srvsvc.STYPE_IPC | Srvsvc.STYPE_SPECIAL,
                    ((ShareInfo.ShareInfo1Arm) shareInfo(decoded)).shareInfo1().shi1Type());
            case "share-get-info-missing-1" -> {
                // An unknown share: the union keeps the level with a null pointer, and the status says why.
                var r = assertInstanceOf(Srvsvc.NetrShareGetInfoResult.class, decoded);
                assertEquals(ERROR_INVALID_NAME, r.result());
                assertNull(assertInstanceOf(ShareInfo.ShareInfo1Arm.class, r.infoStruct()).shareInfo1());
            }
            case "server-get-info-100" -> {
                var s = ((ServerInfo.ServerInfo100Arm) serverInfo(decoded)).serverInfo100();
                assertEquals(Srvsvc.PLATFORM_ID_NT, s.sv100PlatformId());
                assertEquals("RPCDC", s.sv100Name());
            }
            case "server-get-info-101" -> {
                ServerInfo101 s = ((ServerInfo.ServerInfo101Arm) serverInfo(decoded)).serverInfo101();
                assertEquals("RPCDC", s.sv101Name());
                assertEquals(List.of(6, 1), List.of(s.sv101VersionMajor(), s.sv101VersionMinor()));
                // What rpcclient prints as "Wk Sv PrQ Unx NT SNT"; Samba's AD DC does not set SV_TYPE_DOMAIN_CTRL here.
                int kinds = Srvsvc.SV_TYPE_WORKSTATION | Srvsvc.SV_TYPE_SERVER | Srvsvc.SV_TYPE_PRINTQ_SERVER
                        | Srvsvc.SV_TYPE_XENIX_SERVER | Srvsvc.SV_TYPE_NT | Srvsvc.SV_TYPE_SERVER_NT;
                assertEquals(kinds, s.sv101Type() & (kinds | Srvsvc.SV_TYPE_DOMAIN_CTRL), Integer.toHexString(s.sv101Type()));
                assertTrue(s.sv101Comment().startsWith("Samba 4.17"), s.sv101Comment());
            }
            case "server-get-info-102" -> {
                ServerInfo102 s = ((ServerInfo.ServerInfo102Arm) serverInfo(decoded)).serverInfo102();
                assertEquals("RPCDC", s.sv102Name());
                assertEquals("C:\\", s.sv102Userpath());
                assertEquals(0, s.sv102Hidden());
            }
            case "server-get-info-503" -> {
                var r = assertInstanceOf(Srvsvc.NetrServerGetInfoResult.class, decoded);
                assertEquals(ERROR_INVALID_LEVEL, r.result());
                assertNull(assertInstanceOf(ServerInfo.ServerInfo503Arm.class, r.infoStruct()).serverInfo503());
            }
            case "remote-tod" -> {
                TimeOfDayInfo t = assertInstanceOf(Srvsvc.NetrRemoteTODResult.class, decoded).bufferPtr();
                // The broken-down fields are the same instant as the seconds since 1970 (UTC: the DC's zone is 0).
                ZonedDateTime at = Instant.ofEpochSecond(Integer.toUnsignedLong(t.todElapsedt())).atZone(ZoneOffset.UTC);
                assertEquals(List.of(at.getYear(), at.getMonthValue(), at.getDayOfMonth(), at.getHour(), at.getMinute(),
                                at.getSecond(), at.getDayOfWeek().getValue() % 7),
                        List.of(t.todYear(), t.todMonth(), t.todDay(), t.todHours(), t.todMins(), t.todSecs(), t.todWeekday()));
                assertEquals(0, t.todTimezone());
                assertEquals(10000, t.todTinterval(), "ticks of 0.0001 s: one a second");
            }
            case "disk-enum" -> {
                // Samba ends the list with an empty name and counts it in EntriesRead, not in TotalEntries.
                var r = assertInstanceOf(Srvsvc.NetrServerDiskEnumResult.class, decoded);
                assertEquals(List.of("C:", ""), r.diskInfoStructOut().buffer().stream().map(DiskInfo::disk).toList());
                assertEquals(2, r.diskInfoStructOut().entriesRead());
                assertEquals(1, r.totalEntries());
            }
            case "session-enum-0" -> assertEquals(List.of(SERVER), ((SessionEnumUnion.Level0) assertInstanceOf(
                    Srvsvc.NetrSessionEnumResult.class, decoded).infoStructOut().sessionInfo()).level0().buffer()
                    .stream().map(Srvsvc.SessionInfo0::sesi0Cname).toList());
            case "session-enum-1" -> {
                SessionInfo1 s = ((SessionEnumUnion.Level1) assertInstanceOf(Srvsvc.NetrSessionEnumResult.class, decoded)
                        .infoStructOut().sessionInfo()).level1().buffer().get(0);
                assertEquals(SERVER, s.sesi1Cname());
                assertEquals("RPCTEST\\Administrator", s.sesi1Username());
            }
            case "connection-enum-1" -> {
                ConnectionInfo1 c = ((ConnectEnumUnion.Level1) assertInstanceOf(Srvsvc.NetrConnectionEnumResult.class, decoded)
                        .infoStructOut().connectInfo()).level1().buffer().get(0);
                assertEquals("IPC$", c.coni1Netname());
                assertEquals(Srvsvc.STYPE_IPC, c.coni1Type());
                assertEquals(1, c.coni1NumUsers());
            }
            case "file-enum-3" -> {
                var r = assertInstanceOf(Srvsvc.NetrFileEnumResult.class, decoded);
                FileInfo3Container files = ((FileEnumUnion.Level3) r.infoStructOut().fileInfo()).level3();
                assertEquals(0, files.entriesRead());
                assertNull(files.buffer(), "no open files: a null array pointer");
                assertEquals(0, r.result());
            }
            case "name-validate-share" -> assertEquals(0, decoded, "sysvol is a valid share name");
            case "get-file-security" -> {
                var r = assertInstanceOf(Srvsvc.NetrpGetFileSecurityResult.class, decoded);
                assertEquals(0, r.result());
                byte[] sd = r.securityDescriptor().buffer();
                assertEquals(r.securityDescriptor().length(), sd.length);
                ByteBuffer b = ByteBuffer.wrap(sd).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(1, sd[0], "revision");
                assertEquals(0x8000, b.getShort(2) & 0x8000, "self-relative");
                int owner = b.getInt(4);
                assertTrue(owner >= 20 && owner < sd.length, "an owner, as asked");
                assertEquals(1, sd[owner], "the owner SID's revision");
            }
            default -> fail("no expectations for " + label);
        }
    }

    interface Entries {
        List<?> of(ShareEnumUnion union);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> shares(Object decoded, Class<Srvsvc.NetrShareEnumResult> type, Entries entries) {
        var r = assertInstanceOf(type, decoded);
        assertEquals(0, r.result());
        List<T> list = (List<T>) entries.of(r.infoStructOut().shareInfo());
        assertEquals(list.size(), r.totalEntries());
        assertEquals(r.infoStructOut().level(), r.infoStructOut().shareInfo().discriminant());
        return list;
    }

    static ShareInfo shareInfo(Object decoded) {
        var r = assertInstanceOf(Srvsvc.NetrShareGetInfoResult.class, decoded);
        assertEquals(0, r.result());
        return r.infoStruct();
    }

    static ServerInfo serverInfo(Object decoded) {
        var r = assertInstanceOf(Srvsvc.NetrServerGetInfoResult.class, decoded);
        assertEquals(0, r.result());
        return r.infoStruct();
    }

    /**
     * Samba's default share security descriptor (MS-DTYP 2.4.6, self-relative): no owner or group, a DACL with one
     * ACE allowing Everyone (S-1-1-0) 0x001F01FF, 48 bytes in all.
     */
    static void everyoneFullControl(byte[] sd) {
        ByteBuffer b = ByteBuffer.wrap(sd).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(48, sd.length);
        assertEquals(1, sd[0], "revision");
        assertEquals(0x8004, b.getShort(2) & 0xFFFF, "SE_SELF_RELATIVE | SE_DACL_PRESENT");
        assertEquals(List.of(0, 0, 0, 20), List.of(b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16)), "owner, group, SACL, DACL");
        assertEquals(1, b.getShort(24), "one ACE");
        assertEquals(0, sd[28], "ACCESS_ALLOWED_ACE_TYPE");
        assertEquals(0x001F01FF, b.getInt(32));
        assertArrayEquals(new byte[] {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, Arrays.copyOfRange(sd, 36, 48), "S-1-1-0");
    }
}
