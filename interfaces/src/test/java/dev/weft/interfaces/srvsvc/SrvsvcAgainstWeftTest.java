package dev.weft.interfaces.srvsvc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo100;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo101;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo102;
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
import dev.weft.ndr.TransferSyntax;
import dev.weft.server.RpcServer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated srvsvc client against the generated skeleton, in NDR and NDR64, with a small share table behind it:
 * NetrShareEnum at every level the table serves, one page at a time when the client asks for little data (resume
 * handle, ERROR_MORE_DATA) and at once with MAX_PREFERRED_LENGTH; NetrShareGetInfo; NetrServerGetInfo at levels
 * 100, 101 and 102 and a refused level; NetrRemoteTOD; an operation the server does not implement faults.
 */
class SrvsvcAgainstWeftTest {
    static final int NERR_SUCCESS = 0, ERROR_MORE_DATA = 234, ERROR_INVALID_LEVEL = 124, NERR_NET_NAME_NOT_FOUND = 2310;
    static final byte[] EVERYONE = {1, 0, 4, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    record Share(String name, int type, String remark, String path) {
    }

    static final List<Share> SHARES = List.of(
            new Share("data", Srvsvc.STYPE_DISKTREE, "team files", "C:\\data"),
            new Share("scratch", Srvsvc.STYPE_DISKTREE | Srvsvc.STYPE_TEMPORARY, "", "D:\\scratch"),
            new Share("IPC$", Srvsvc.STYPE_IPC | Srvsvc.STYPE_SPECIAL, "Remote IPC", ""));

    static ShareEnumUnion entries(int level, List<Share> shares) {
        return switch (level) {
            case 0 -> new ShareEnumUnion.Level0(new ShareInfo0Container(shares.size(),
                    shares.stream().map(s -> new ShareInfo0(s.name())).toList()));
            case 1 -> new ShareEnumUnion.Level1(new ShareInfo1Container(shares.size(),
                    shares.stream().map(s -> new ShareInfo1(s.name(), s.type(), s.remark())).toList()));
            case 2 -> new ShareEnumUnion.Level2(new ShareInfo2Container(shares.size(), shares.stream()
                    .map(s -> new ShareInfo2(s.name(), s.type(), s.remark(), 0, -1, 0, s.path(), null)).toList()));
            case 502 -> new ShareEnumUnion.Level502(new ShareInfo502Container(shares.size(), shares.stream()
                    .map(s -> new ShareInfo502I(s.name(), s.type(), s.remark(), 0, -1, 0, s.path(), null, EVERYONE.length, EVERYONE))
                    .toList()));
            default -> null;
        };
    }

    /** The share table's server: what a few lines of Java make of MS-SRVS 3.1.4.8, 3.1.4.10, 3.1.4.17, 3.1.4.21. */
    static Srvsvc.Server shareTable() {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "netrShareEnum" -> {
                ShareEnumStruct in = (ShareEnumStruct) args[2];
                int max = (int) args[3];
                int from = args[4] == null ? 0 : (Integer) args[4];
                // A small PreferedMaximumLength gets one share per call; MAX_PREFERRED_LENGTH gets them all.
                int to = max == Srvsvc.MAX_PREFERRED_LENGTH ? SHARES.size() : Math.min(from + 1, SHARES.size());
                ShareEnumUnion page = entries(in.level(), SHARES.subList(from, to));
                if (page == null) {
                    yield new Srvsvc.NetrShareEnumResult(in, 0, null, ERROR_INVALID_LEVEL);
                }
                yield new Srvsvc.NetrShareEnumResult(new ShareEnumStruct(in.level(), page), SHARES.size(), to,
                        to < SHARES.size() ? ERROR_MORE_DATA : NERR_SUCCESS);
            }
            case "netrShareGetInfo" -> {
                Share s = SHARES.stream().filter(x -> x.name().equalsIgnoreCase((String) args[2])).findFirst().orElse(null);
                int level = (int) args[3];
                if (s == null) yield new Srvsvc.NetrShareGetInfoResult(new ShareInfo.ShareInfo1Arm(null), NERR_NET_NAME_NOT_FOUND);
                yield new Srvsvc.NetrShareGetInfoResult(switch (level) {
                    case 0 -> new ShareInfo.ShareInfo0Arm(new ShareInfo0(s.name()));
                    case 1 -> new ShareInfo.ShareInfo1Arm(new ShareInfo1(s.name(), s.type(), s.remark()));
                    default -> new ShareInfo.ShareInfo2Arm(new ShareInfo2(s.name(), s.type(), s.remark(), 0, -1, 0, s.path(), null));
                }, NERR_SUCCESS);
            }
            case "netrServerGetInfo" -> {
                int level = (int) args[2];
                int type = Srvsvc.SV_TYPE_WORKSTATION | Srvsvc.SV_TYPE_SERVER | Srvsvc.SV_TYPE_NT;
                yield switch (level) {
                    case 100 -> new Srvsvc.NetrServerGetInfoResult(new ServerInfo.ServerInfo100Arm(
                            new ServerInfo100(Srvsvc.PLATFORM_ID_NT, "WEFT")), NERR_SUCCESS);
                    case 101 -> new Srvsvc.NetrServerGetInfoResult(new ServerInfo.ServerInfo101Arm(
                            new ServerInfo101(Srvsvc.PLATFORM_ID_NT, "WEFT", 10, 0, type, "Weft")), NERR_SUCCESS);
                    case 102 -> new Srvsvc.NetrServerGetInfoResult(new ServerInfo.ServerInfo102Arm(new ServerInfo102(
                            Srvsvc.PLATFORM_ID_NT, "WEFT", 10, 0, type, "Weft", 16, 15, 0, 240, 3000, 0, "C:\\")), NERR_SUCCESS);
                    default -> new Srvsvc.NetrServerGetInfoResult(new ServerInfo.ServerInfo503Arm(null), ERROR_INVALID_LEVEL);
                };
            }
            case "netrRemoteTOD" -> new Srvsvc.NetrRemoteTODResult(
                    new TimeOfDayInfo(1_700_000_000, 5, 22, 13, 20, 0, -60, 10000, 14, 11, 2023, 2), NERR_SUCCESS);
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (Srvsvc.Server) Proxy.newProxyInstance(Srvsvc.Server.class.getClassLoader(), new Class<?>[] {Srvsvc.Server.class}, h);
    }

    static ShareEnumStruct ask(int level) {
        return new ShareEnumStruct(level, switch (level) {
            case 0 -> new ShareEnumUnion.Level0(new ShareInfo0Container(0, null));
            case 1 -> new ShareEnumUnion.Level1(new ShareInfo1Container(0, null));
            case 2 -> new ShareEnumUnion.Level2(new ShareInfo2Container(0, null));
            default -> new ShareEnumUnion.Level502(new ShareInfo502Container(0, null));
        });
    }

    static List<String> names(ShareEnumUnion u) {
        return switch (u) {
            case ShareEnumUnion.Level0 l -> l.level0().buffer().stream().map(ShareInfo0::shi0Netname).toList();
            case ShareEnumUnion.Level1 l -> l.level1().buffer().stream().map(ShareInfo1::shi1Netname).toList();
            case ShareEnumUnion.Level2 l -> l.level2().buffer().stream().map(ShareInfo2::shi2Netname).toList();
            case ShareEnumUnion.Level502 l -> l.level502().buffer().stream().map(ShareInfo502I::shi502Netname).toList();
            default -> throw new AssertionError(u);
        };
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void clientAndSkeletonAgree(TransferSyntax syntax) throws Exception {
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(Srvsvc.service(shareTable())).build().start();
             RpcClient c = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            BindingHandle h = c.bind(Srvsvc.INTERFACE_ID);
            assertEquals(syntax, h.syntax());
            Srvsvc.Client srvsvc = Srvsvc.client(h);
            List<String> all = List.of("data", "scratch", "IPC$");

            for (int level : new int[] {0, 1, 2, 502}) {
                Srvsvc.NetrShareEnumResult r = srvsvc.netrShareEnum("\\\\weft", ask(level), Srvsvc.MAX_PREFERRED_LENGTH, 0);
                assertEquals(NERR_SUCCESS, r.result());
                assertEquals(level, r.infoStructOut().level());
                assertEquals(all, names(r.infoStructOut().shareInfo()), "level " + level);
                assertEquals(3, r.totalEntries());
            }
            var level1 = (ShareEnumUnion.Level1) srvsvc.netrShareEnum(null, ask(1), -1, null).infoStructOut().shareInfo();
            assertEquals(Srvsvc.STYPE_IPC | Srvsvc.STYPE_SPECIAL, level1.level1().buffer().get(2).shi1Type());
            var level502 = (ShareEnumUnion.Level502) srvsvc.netrShareEnum(null, ask(502), -1, null).infoStructOut().shareInfo();
            assertArrayEquals(EVERYONE, level502.level502().buffer().get(0).shi502SecurityDescriptor());

            // Paging: a small PreferedMaximumLength, the resume handle carried from call to call.
            List<String> paged = new ArrayList<>();
            Integer resume = 0;
            int status;
            do {
                Srvsvc.NetrShareEnumResult r = srvsvc.netrShareEnum("\\\\weft", ask(2), 64, resume);
                status = r.result();
                paged.addAll(names(r.infoStructOut().shareInfo()));
                resume = r.resumeHandleOut();
            } while (status == ERROR_MORE_DATA);
            assertEquals(NERR_SUCCESS, status);
            assertEquals(all, paged);
            assertEquals(3, resume);

            ShareInfo data = srvsvc.netrShareGetInfo(null, "DATA", 2).infoStruct();
            assertEquals("C:\\data", assertInstanceOf(ShareInfo.ShareInfo2Arm.class, data).shareInfo2().shi2Path());
            Srvsvc.NetrShareGetInfoResult missing = srvsvc.netrShareGetInfo(null, "nothing", 1);
            assertEquals(NERR_NET_NAME_NOT_FOUND, missing.result());
            assertNull(assertInstanceOf(ShareInfo.ShareInfo1Arm.class, missing.infoStruct()).shareInfo1());

            assertEquals("WEFT", ((ServerInfo.ServerInfo100Arm) srvsvc.netrServerGetInfo(null, 100).infoStruct()).serverInfo100().sv100Name());
            ServerInfo101 s101 = ((ServerInfo.ServerInfo101Arm) srvsvc.netrServerGetInfo("\\\\weft", 101).infoStruct()).serverInfo101();
            assertEquals(List.of(Srvsvc.PLATFORM_ID_NT, 10, 0, "Weft"),
                    List.of(s101.sv101PlatformId(), s101.sv101VersionMajor(), s101.sv101VersionMinor(), s101.sv101Comment()));
            ServerInfo102 s102 = ((ServerInfo.ServerInfo102Arm) srvsvc.netrServerGetInfo(null, 102).infoStruct()).serverInfo102();
            assertEquals("C:\\", s102.sv102Userpath());
            assertEquals(15, s102.sv102Disc());
            Srvsvc.NetrServerGetInfoResult refused = srvsvc.netrServerGetInfo(null, 503);
            assertEquals(ERROR_INVALID_LEVEL, refused.result());
            assertNull(((ServerInfo.ServerInfo503Arm) refused.infoStruct()).serverInfo503());

            TimeOfDayInfo tod = srvsvc.netrRemoteTOD(null).bufferPtr();
            assertEquals(List.of(2023, 11, 14, -60), List.of(tod.todYear(), tod.todMonth(), tod.todDay(), tod.todTimezone()));

            assertThrows(RpcFaultException.class, () -> srvsvc.netrShareAdd(null, 1,
                    new ShareInfo.ShareInfo1Arm(new ShareInfo1("new", 0, "")), null), "not served here");
            assertEquals(3, srvsvc.netrShareEnum(null, ask(0), -1, null).totalEntries(), "the connection still serves");
        }
    }
}
