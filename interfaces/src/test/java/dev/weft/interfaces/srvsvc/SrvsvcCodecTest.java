package dev.weft.interfaces.srvsvc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.interfaces.srvsvc.Srvsvc.AdtSecurityDescriptor;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectInfo0Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectInfo1Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectionInfo0;
import dev.weft.interfaces.srvsvc.Srvsvc.ConnectionInfo1;
import dev.weft.interfaces.srvsvc.Srvsvc.DfsSitelistInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.DfsSitenameInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.DiskEnumContainer;
import dev.weft.interfaces.srvsvc.Srvsvc.DiskInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.FileEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.FileEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.FileInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.FileInfo2;
import dev.weft.interfaces.srvsvc.Srvsvc.FileInfo2Container;
import dev.weft.interfaces.srvsvc.Srvsvc.FileInfo3;
import dev.weft.interfaces.srvsvc.Srvsvc.FileInfo3Container;
import dev.weft.interfaces.srvsvc.Srvsvc.NetDfsEntryId;
import dev.weft.interfaces.srvsvc.Srvsvc.NetDfsEntryIdContainer;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerAliasEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerAliasEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerAliasInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerAliasInfo0;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerAliasInfo0Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo100;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo101;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo102;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerInfo103;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerTransportInfo0;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerTransportInfo3;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerXportEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerXportEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.ServerXportInfo0Container;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionInfo0;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionInfo0Container;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionInfo10;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionInfo10Container;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionInfo502;
import dev.weft.interfaces.srvsvc.Srvsvc.SessionInfo502Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareEnumStruct;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareEnumUnion;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo0;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1004;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1005;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1006;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo1501I;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo2;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo501;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo502I;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo503Container;
import dev.weft.interfaces.srvsvc.Srvsvc.ShareInfo503I;
import dev.weft.interfaces.srvsvc.Srvsvc.StatServer0;
import dev.weft.interfaces.srvsvc.Srvsvc.TimeOfDayInfo;
import dev.weft.interfaces.srvsvc.Srvsvc.TransportInfo;
import dev.weft.ndr.NdrException;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated srvsvc types: NDR bytes derived by hand from MS-SRVS 2.2 and C706 chapter 14 / MS-RPCE 2.2.5 for
 * the shapes share enumeration and server information carry (a level, the non-encapsulated union it selects, a
 * pointer to a container, a conformant array of structures whose strings are deferred), the legacy shapes
 * (SHARE_INFO's empty default arm between its cases, DISK_INFO's fixed-size [string] array, SERVER_TRANSPORT_INFO_3's
 * fixed byte array), and round trips of every union arm in NDR20 and NDR64.
 */
class SrvsvcCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static byte[] encode(TransferSyntax syntax, Consumer<NdrWriter> body) {
        NdrWriter w = new NdrWriter(syntax);
        body.accept(w);
        return w.toByteArray();
    }

    interface Encoder<T> {
        void encode(T value, NdrWriter w);
    }

    /** Encodes, decodes, encodes again: every byte is consumed and the second encoding is the first. */
    static <T> T roundTrip(TransferSyntax syntax, Encoder<T> encoder, Function<NdrReader, T> decoder, T value) {
        byte[] first = encode(syntax, w -> encoder.encode(value, w));
        NdrReader r = new NdrReader(syntax, first);
        T back = decoder.apply(r);
        r.expectEnd();
        assertArrayEquals(first, encode(syntax, w -> encoder.encode(back, w)), "re-encoding differs");
        return back;
    }

    static final ShareEnumStruct ONE_SHARE = new ShareEnumStruct(1, new ShareEnumUnion.Level1(new ShareInfo1Container(1,
            List.of(new ShareInfo1("C$", Srvsvc.STYPE_DISKTREE | Srvsvc.STYPE_SPECIAL, "x")))));

    /**
     * SHARE_ENUM_STRUCT at level 1 in NDR: Level, then the union's own DWORD discriminant and its arm, a unique
     * pointer to the container; deferred, the container (EntriesRead, the array's referent), the conformant array
     * of SHARE_INFO_1 (each a name pointer, the type, a remark pointer), then the strings each element points to.
     */
    @Test
    void shareEnumLevel1InNdr() {
        String expected = "01000000" + "01000000" + "00000200"      // Level, discriminant, referent of the container
                + "01000000" + "04000200"                            // EntriesRead, referent of Buffer
                + "01000000"                                         // conformance
                + "08000200" + "00000080" + "0c000200"               // shi1_netname, shi1_type, shi1_remark
                + "03000000" + "00000000" + "03000000" + "430024000000" + "0000"   // "C$", padding to 4
                + "02000000" + "00000000" + "02000000" + "78000000";               // "x"
        byte[] bytes = encode(TransferSyntax.NDR20, ONE_SHARE::encode);
        assertEquals(expected, HEX.formatHex(bytes));
        NdrReader r = new NdrReader(TransferSyntax.NDR20, bytes);
        assertEquals(ONE_SHARE, ShareEnumStruct.decode(r));
        r.expectEnd();
    }

    /**
     * The same in NDR64 (MS-RPCE 2.2.5.3.4.4): the union is aligned to its largest member, a pointer (8), so after the
     * 4-byte Level come 4 bytes of padding, the 4-byte discriminant, 4 more, and the 8-byte referent; counts and
     * pointers are 8 bytes, structures are aligned to 8.
     */
    @Test
    void shareEnumLevel1InNdr64() {
        String expected = "01000000" + "00000000" + "01000000" + "00000000" + "0000020000000000"
                + "01000000" + "00000000" + "0400020000000000"
                + "0100000000000000"
                + "0800020000000000" + "00000080" + "00000000" + "0c00020000000000"
                + "0300000000000000" + "0000000000000000" + "0300000000000000" + "430024000000" + "0000"
                + "0200000000000000" + "0000000000000000" + "0200000000000000" + "78000000";
        byte[] bytes = encode(TransferSyntax.NDR64, ONE_SHARE::encode);
        assertEquals(expected, HEX.formatHex(bytes));
        assertEquals(ONE_SHARE, ShareEnumStruct.decode(new NdrReader(TransferSyntax.NDR64, bytes)));
    }

    /** SERVER_INFO at level 101, as NetrServerGetInfo returns it: discriminant 101, a pointer, the deferred structure. */
    @Test
    void serverInfo101InNdr() {
        ServerInfo info = new ServerInfo.ServerInfo101Arm(new ServerInfo101(Srvsvc.PLATFORM_ID_NT, "W", 10, 0,
                Srvsvc.SV_TYPE_WORKSTATION | Srvsvc.SV_TYPE_SERVER | Srvsvc.SV_TYPE_NT, "c"));
        String expected = "65000000" + "00000200"
                + "f4010000" + "04000200" + "0a000000" + "00000000" + "03100000" + "08000200"
                + "02000000" + "00000000" + "02000000" + "57000000"
                + "02000000" + "00000000" + "02000000" + "63000000";
        byte[] bytes = encode(TransferSyntax.NDR20, info::encode);
        assertEquals(expected, HEX.formatHex(bytes));
        assertEquals(info, ServerInfo.decode(new NdrReader(TransferSyntax.NDR20, bytes)));
    }

    /** TIME_OF_DAY_INFO: twelve 32-bit fields, tod_timezone signed; the same bytes in both syntaxes. */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void timeOfDayIsTwelveWords(TransferSyntax syntax) {
        TimeOfDayInfo t = new TimeOfDayInfo(1795561055, 7, 22, 57, 35, 0, -60, 10000, 24, 11, 2026, 2);
        assertEquals("5f16066b" + "07000000" + "16000000" + "39000000" + "23000000" + "00000000" + "c4ffffff"
                        + "10270000" + "18000000" + "0b000000" + "ea070000" + "02000000",
                HEX.formatHex(encode(syntax, t::encode)));
        assertEquals(t, roundTrip(syntax, TimeOfDayInfo::encode, TimeOfDayInfo::decode, t));
    }

    /**
     * DISK_ENUM_CONTAINER: a conformant varying array of DISK_INFO, each a fixed-size [string] WCHAR[3], which is
     * a varying string (offset, actual count, characters with their NUL) with no maximum count on the wire. Samba
     * ends the list with an empty name, sent with its NUL (see the capture test).
     */
    @Test
    void diskNamesAreVaryingStringsInNdr() {
        DiskEnumContainer disks = new DiskEnumContainer(2, List.of(new DiskInfo("C:"), new DiskInfo("")));
        String expected = "02000000" + "00000200"
                + "02000000" + "00000000" + "02000000"                       // conformance, offset, actual count
                + "00000000" + "03000000" + "43003a000000" + "0000"          // "C:" and padding to the next element
                + "00000000" + "01000000" + "0000";                          // ""
        byte[] bytes = encode(TransferSyntax.NDR20, disks::encode);
        assertEquals(expected, HEX.formatHex(bytes));
        assertEquals(disks, DiskEnumContainer.decode(new NdrReader(TransferSyntax.NDR20, bytes)));

        assertThrows(NdrException.class, () -> encode(TransferSyntax.NDR20,
                new DiskEnumContainer(1, List.of(new DiskInfo("C:\\")))::encode), "no room for the NUL in WCHAR[3]");
        byte[] fourChars = HEX.parseHex("01000000" + "00000200" + "01000000" + "00000000" + "01000000"
                + "00000000" + "04000000" + "43003a005c000000");
        assertThrows(NdrException.class, () -> DiskEnumContainer.decode(new NdrReader(TransferSyntax.NDR20, fourChars)),
                "an actual count beyond the array's 3 elements");
    }

    /**
     * SHARE_INFO (2.2.3.6) declares [default] with no arm between its cases: a level it does not list decodes to the
     * default arm and encodes as the discriminant alone.
     */
    @Test
    void anUnlistedShareLevelIsTheEmptyDefaultArm() {
        byte[] bytes = HEX.parseHex("ef030000");
        ShareInfo decoded = ShareInfo.decode(new NdrReader(TransferSyntax.NDR20, bytes));
        assertEquals(1007, assertInstanceOf(ShareInfo.Default.class, decoded).discriminant());
        assertArrayEquals(bytes, encode(TransferSyntax.NDR20, decoded::encode));
        assertInstanceOf(ShareInfo.ShareInfo1005Arm.class, ShareInfo.decode(new NdrReader(TransferSyntax.NDR20,
                HEX.parseHex("ed030000" + "00000200" + "30000000"))), "1005, listed after the default, is its own arm");
    }

    /** The security descriptor's size is shi502_reserved: values that disagree are refused rather than sent. */
    @Test
    void aSecurityDescriptorMustHaveTheDeclaredSize() {
        ShareInfo502I share = new ShareInfo502I("s", 0, "", 0, -1, 0, "C:\\s", "", 4, new byte[] {1, 0, 4, (byte) 0x80});
        assertThrows(NdrException.class, () -> encode(TransferSyntax.NDR20,
                new ShareInfo.ShareInfo502(new ShareInfo502I("s", 0, "", 0, -1, 0, "C:\\s", "", 5, share.shi502SecurityDescriptor()))::encode));
        ShareInfo back = roundTrip(TransferSyntax.NDR20, ShareInfo::encode, ShareInfo::decode, new ShareInfo.ShareInfo502(share));
        assertArrayEquals(share.shi502SecurityDescriptor(), ((ShareInfo.ShareInfo502) back).shareInfo502().shi502SecurityDescriptor());
    }

    /** A hostile count is refused before anything is allocated for it. */
    @Test
    void aHugeShareCountIsRefused() {
        byte[] bytes = HEX.parseHex("01000000" + "01000000" + "00000200" + "ffffff7f" + "04000200" + "ffffff7f");
        assertThrows(NdrException.class, () -> ShareEnumStruct.decode(new NdrReader(TransferSyntax.NDR20, bytes)));
    }

    /** SERVER_TRANSPORT_INFO_3's password is a fixed 256-byte array: nothing else fits. */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void transportPasswordIsAFixedArray(TransferSyntax syntax) {
        byte[] password = new byte[256];
        password[0] = 7;
        TransportInfo t3 = new TransportInfo.Transport3(new ServerTransportInfo3(0, "\\Device\\NetbiosSmb",
                "RPCDC           ".getBytes(), 16, "127.0.0.1", "RPCTEST", 2, 1, password));
        TransportInfo back = roundTrip(syntax, TransportInfo::encode, TransportInfo::decode, t3);
        assertArrayEquals(password, ((TransportInfo.Transport3) back).transport3().svti3Password());
        assertThrows(NdrException.class, () -> encode(syntax, new TransportInfo.Transport3(new ServerTransportInfo3(0, "t",
                new byte[0], 0, "a", "d", 0, 1, new byte[255]))::encode));
    }

    // ------------------------------------------------------------------ round trips of every arm

    static final byte[] SD = {1, 0, 4, (byte) 0x80, 0, 0, 0, 0};

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void everyShareLevelRoundTrips(TransferSyntax syntax) {
        List<ShareInfo> levels = List.of(
                new ShareInfo.ShareInfo0Arm(new ShareInfo0("sysvol")),
                new ShareInfo.ShareInfo1Arm(new ShareInfo1("IPC$", Srvsvc.STYPE_IPC | Srvsvc.STYPE_SPECIAL, "IPC Service")),
                new ShareInfo.ShareInfo2Arm(new ShareInfo2("netlogon", 0, null, 0, -1, 3, "C:\\scripts", null)),
                new ShareInfo.ShareInfo502(new ShareInfo502I("d", 0, "r", 0, 10, 1, "D:\\", "", SD.length, SD)),
                new ShareInfo.ShareInfo1004Arm(new ShareInfo1004("remark")),
                new ShareInfo.ShareInfo1006Arm(new ShareInfo1006(-1)),
                new ShareInfo.ShareInfo1501(new ShareInfo1501I(SD.length, SD)),
                new ShareInfo.Default(77),
                new ShareInfo.ShareInfo1005Arm(new ShareInfo1005(0x30)),
                new ShareInfo.ShareInfo501Arm(new ShareInfo501("a", 0, "", 0x10)),
                new ShareInfo.ShareInfo503(new ShareInfo503I("s", 0, "", 0, -1, 0, "E:\\", "", "SCOPED", 0, null)),
                new ShareInfo.ShareInfo1Arm(null));
        for (ShareInfo level : levels) {
            ShareInfo back = roundTrip(syntax, ShareInfo::encode, ShareInfo::decode, level);
            assertEquals(level.discriminant(), back.discriminant());
            assertEquals(level.getClass(), back.getClass());
        }
        ShareEnumStruct enum503 = new ShareEnumStruct(503, new ShareEnumUnion.Level503(new ShareInfo503Container(1,
                List.of(new ShareInfo503I("s", 0, "", 0, -1, 0, "E:\\", "", "SCOPED", SD.length, SD)))));
        ShareEnumStruct back = roundTrip(syntax, ShareEnumStruct::encode, ShareEnumStruct::decode, enum503);
        assertEquals("SCOPED", ((ShareEnumUnion.Level503) back.shareInfo()).level503().buffer().get(0).shi503Servername());
        assertEquals(ONE_SHARE, roundTrip(syntax, ShareEnumStruct::encode, ShareEnumStruct::decode, ONE_SHARE));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void serverLevelsRoundTrip(TransferSyntax syntax) {
        List<ServerInfo> levels = List.of(
                new ServerInfo.ServerInfo100Arm(new ServerInfo100(500, "RPCDC")),
                new ServerInfo.ServerInfo102Arm(new ServerInfo102(500, "RPCDC", 6, 1, 0x809a03, "Samba", -1, 15, 0, 240, 3000,
                        100000, "C:\\")),
                new ServerInfo.ServerInfo103Arm(new ServerInfo103(500, "W", 10, 0, 3, null, 5, -1, 1, 240, 3000, 0, "C:\\", 1)),
                new ServerInfo.ServerInfo1005Arm(new Srvsvc.ServerInfo1005("comment")),
                new ServerInfo.ServerInfo1010Arm(new Srvsvc.ServerInfo1010(-1)),
                new ServerInfo.ServerInfo1556Arm(new Srvsvc.ServerInfo1556(42)),
                new ServerInfo.ServerInfo599Arm(null));
        for (ServerInfo level : levels) {
            ServerInfo back = roundTrip(syntax, ServerInfo::encode, ServerInfo::decode, level);
            assertEquals(level, back);
        }
        StatServer0 stats = new StatServer0(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
        assertEquals(stats, roundTrip(syntax, StatServer0::encode, StatServer0::decode, stats));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void sessionsConnectionsAndFilesRoundTrip(TransferSyntax syntax) {
        for (SessionEnumStruct s : List.of(
                new SessionEnumStruct(0, new SessionEnumUnion.Level0(new SessionInfo0Container(1, List.of(new SessionInfo0("10.0.0.1"))))),
                new SessionEnumStruct(10, new SessionEnumUnion.Level10(new SessionInfo10Container(1,
                        List.of(new SessionInfo10("\\\\CLIENT", "alice", 60, 5))))),
                new SessionEnumStruct(502, new SessionEnumUnion.Level502(new SessionInfo502Container(1,
                        List.of(new SessionInfo502("c", "u", 1, 2, 3, Srvsvc.SESS_GUEST, "SMB 3.1.1", "\\Device\\Tcp"))))),
                new SessionEnumStruct(0, new SessionEnumUnion.Level0(new SessionInfo0Container(0, null))))) {
            assertEquals(s, roundTrip(syntax, SessionEnumStruct::encode, SessionEnumStruct::decode, s));
        }
        for (ConnectEnumStruct c : List.of(
                new ConnectEnumStruct(0, new ConnectEnumUnion.Level0(new ConnectInfo0Container(2,
                        List.of(new ConnectionInfo0(1), new ConnectionInfo0(2))))),
                new ConnectEnumStruct(1, new ConnectEnumUnion.Level1(new ConnectInfo1Container(1,
                        List.of(new ConnectionInfo1(1, Srvsvc.STYPE_IPC, 0, 1, 3, "alice", "IPC$"))))))) {
            assertEquals(c, roundTrip(syntax, ConnectEnumStruct::encode, ConnectEnumStruct::decode, c));
        }
        for (FileEnumStruct f : List.of(
                new FileEnumStruct(2, new FileEnumUnion.Level2(new FileInfo2Container(1, List.of(new FileInfo2(9))))),
                new FileEnumStruct(3, new FileEnumUnion.Level3(new FileInfo3Container(1,
                        List.of(new FileInfo3(9, 3, 0, "C:\\share\\a.txt", "alice"))))))) {
            assertEquals(f, roundTrip(syntax, FileEnumStruct::encode, FileEnumStruct::decode, f));
        }
        FileInfo file = new FileInfo.FileInfo3Arm(new FileInfo3(9, 1, 2, "p", "u"));
        assertEquals(file, roundTrip(syntax, FileInfo::encode, FileInfo::decode, file));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void transportsAliasesAndDfsRoundTrip(TransferSyntax syntax) {
        ServerXportEnumStruct transports = new ServerXportEnumStruct(0, new ServerXportEnumUnion.Level0(new ServerXportInfo0Container(1,
                List.of(new ServerTransportInfo0(4, "\\Device\\NetbiosSmb", "RPCDC           ".getBytes(), 16, "127.0.0.1")))));
        ServerXportEnumStruct t = roundTrip(syntax, ServerXportEnumStruct::encode, ServerXportEnumStruct::decode, transports);
        assertEquals("RPCDC           ", new String(((ServerXportEnumUnion.Level0) t.xportInfo()).level0().buffer().get(0).svti0Transportaddress()));

        ServerAliasEnumStruct aliases = new ServerAliasEnumStruct(0, new ServerAliasEnumUnion.Level0(new ServerAliasInfo0Container(1,
                List.of(new ServerAliasInfo0("files", "RPCDC", (byte) 0, 0)))));
        assertEquals(aliases, roundTrip(syntax, ServerAliasEnumStruct::encode, ServerAliasEnumStruct::decode, aliases));
        ServerAliasInfo alias = new ServerAliasInfo.ServerAliasInfo0Arm(new ServerAliasInfo0("", "RPCDC", (byte) 1, 0));
        assertEquals(alias, roundTrip(syntax, ServerAliasInfo::encode, ServerAliasInfo::decode, alias));

        // DFS_SITELIST_INFO is a conformant structure: its array of structures ends it, the count goes first.
        DfsSitelistInfo sites = new DfsSitelistInfo(2, List.of(new DfsSitenameInfo(1, "Default-First-Site-Name"),
                new DfsSitenameInfo(0, null)));
        assertEquals(sites, roundTrip(syntax, DfsSitelistInfo::encode, DfsSitelistInfo::decode, sites));
        NetDfsEntryIdContainer ids = new NetDfsEntryIdContainer(1, List.of(new NetDfsEntryId(
                Uuid.parse("0f9b3c7e-8d41-4b1a-9a55-3d2e6f708192"), "\\rpctest.local\\dfs")));
        assertEquals(ids, roundTrip(syntax, NetDfsEntryIdContainer::encode, NetDfsEntryIdContainer::decode, ids));

        AdtSecurityDescriptor sd = new AdtSecurityDescriptor(SD.length, SD);
        assertArrayEquals(SD, roundTrip(syntax, AdtSecurityDescriptor::encode, AdtSecurityDescriptor::decode, sd).buffer());
    }
}
