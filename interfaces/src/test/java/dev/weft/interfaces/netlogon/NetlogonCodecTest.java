package dev.weft.interfaces.netlogon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.interfaces.netlogon.Netlogon.DomainControllerInfow;
import dev.weft.interfaces.netlogon.Netlogon.DsDomainTrustsw;
import dev.weft.interfaces.netlogon.Netlogon.ForestTrustData;
import dev.weft.interfaces.netlogon.Netlogon.LargeInteger;
import dev.weft.interfaces.netlogon.Netlogon.LmChallenge;
import dev.weft.interfaces.netlogon.Netlogon.LsaForestTrustInformation;
import dev.weft.interfaces.netlogon.Netlogon.LsaForestTrustRecord;
import dev.weft.interfaces.netlogon.Netlogon.LsaForestTrustRecordType;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonAuthenticator;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonControlQueryInformation;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonCredential;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonInfo2;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonLevel;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonLogonIdentityInfo;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonNetworkInfo;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonTrustedDomainArray;
import dev.weft.interfaces.netlogon.Netlogon.NlTrustPassword;
import dev.weft.interfaces.netlogon.Netlogon.OldLargeInteger;
import dev.weft.interfaces.netlogon.Netlogon.RpcSid;
import dev.weft.interfaces.netlogon.Netlogon.SidIdentifierAuthority;
import dev.weft.interfaces.netlogon.Netlogon.String2;
import dev.weft.interfaces.netlogon.Netlogon.UnicodeString;
import dev.weft.ndr.NdrException;
import dev.weft.ndr.NdrLimits;
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
 * The generated netlogon types in both transfer syntaxes: round trips of what the secure-channel setup, the DC
 * locator and the trust calls carry, and NDR bytes derived by hand from MS-NRPC and MS-RPCE 2.2.5 for the shapes
 * that are easy to get wrong: the 8-byte credential (a fixed CHAR array, no alignment), MS-NRPC's own STRING
 * (8-bit, counted in bytes, unlike MS-DTYP's), the 16-bit enum discriminant of LSA_FOREST_TRUST_RECORD's in-place
 * union, and NL_TRUST_PASSWORD's fixed 256 WCHARs.
 */
class NetlogonCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static byte[] encode(TransferSyntax syntax, Consumer<NdrWriter> body) {
        NdrWriter w = new NdrWriter(syntax);
        body.accept(w);
        return w.toByteArray();
    }

    /** Encodes, decodes and encodes again: the second encoding is byte-identical. */
    static <T> T roundTrip(TransferSyntax syntax, BiEncoder<T> encoder, Function<NdrReader, T> decoder, T value) {
        byte[] first = encode(syntax, w -> encoder.encode(value, w));
        NdrReader r = new NdrReader(syntax, first);
        T back = decoder.apply(r);
        r.expectEnd();
        assertArrayEquals(first, encode(syntax, w -> encoder.encode(back, w)), "re-encoding differs");
        return back;
    }

    interface BiEncoder<T> {
        void encode(T value, NdrWriter w);
    }

    static UnicodeString unicode(String s) {
        short[] b = new short[s.length()];
        for (int i = 0; i < b.length; i++) b[i] = (short) s.charAt(i);
        return new UnicodeString((short) (2 * b.length), (short) (2 * b.length), b);
    }

    static String text(UnicodeString s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() / 2; i++) sb.append((char) s.buffer()[i]);
        return sb.toString();
    }

    static RpcSid domainSid() {
        return new RpcSid((byte) 1, (byte) 4, new SidIdentifierAuthority(new byte[] {0, 0, 0, 0, 0, 5}),
                new int[] {21, 36395239, -1193435713, 252620141});
    }

    /** NETLOGON_AUTHENTICATOR: the 8 credential bytes as they are, then the DWORD timestamp: 12 bytes, both syntaxes. */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void authenticatorIsTwelveBytes(TransferSyntax syntax) {
        NetlogonAuthenticator a = new NetlogonAuthenticator(new NetlogonCredential(HEX.parseHex("0102030405060708")), 0x5f5e1000);
        byte[] bytes = encode(syntax, a::encode);
        assertEquals("0102030405060708" + "00105e5f", HEX.formatHex(bytes));
        NetlogonAuthenticator back = NetlogonAuthenticator.decode(new NdrReader(syntax, bytes));
        assertArrayEquals(a.credential().data(), back.credential().data());
        assertEquals(a.timestamp(), back.timestamp());
    }

    /** A credential is exactly 8 bytes: a wrong length is refused on encode, not silently padded. */
    @Test
    void aCredentialOfTheWrongLengthIsRefused() {
        NetlogonCredential seven = new NetlogonCredential(new byte[7]);
        assertThrows(RuntimeException.class, () -> encode(TransferSyntax.NDR20, seven::encode));
    }

    /**
     * MS-NRPC's STRING: USHORT Length, USHORT MaximumLength, a unique pointer (referent id) to
     * [size_is(MaximumLength), length_is(Length)] CHAR: max count, offset, actual count, then the bytes.
     */
    @Test
    void nrpcStringIsCountedInBytes() {
        String2 response = new String2((short) 3, (short) 4, new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc});
        byte[] bytes = encode(TransferSyntax.NDR20, response::encode);
        assertEquals("0300" + "0400" + "00000200" + "04000000" + "00000000" + "03000000" + "aabbcc", HEX.formatHex(bytes));
        String2 back = String2.decode(new NdrReader(TransferSyntax.NDR20, bytes));
        assertArrayEquals(response.buffer(), back.buffer());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void networkLogonRoundTripsThroughNetlogonLevel(TransferSyntax syntax) {
        NetlogonNetworkInfo info = new NetlogonNetworkInfo(
                new NetlogonLogonIdentityInfo(unicode("RPCTEST"), 0x820, new OldLargeInteger(0, 0), unicode("rpcuser"), unicode("WS1")),
                new LmChallenge(HEX.parseHex("1122334455667788")),
                new String2((short) 24, (short) 24, new byte[24]), new String2((short) 0, (short) 0, null));
        NetlogonLevel back = roundTrip(syntax, NetlogonLevel::encode, NetlogonLevel::decode, new NetlogonLevel.LogonNetwork(info));
        NetlogonNetworkInfo b = assertInstanceOf(NetlogonLevel.LogonNetwork.class, back).logonNetwork();
        assertEquals("rpcuser", text(b.identity().userName()));
        assertEquals(0x820, b.identity().parameterControl());
        assertArrayEquals(info.lmChallenge().data(), b.lmChallenge().data());
        assertEquals(24, b.ntChallengeResponse().buffer().length);
        assertEquals(null, b.lmChallengeResponse().buffer());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void domainControllerInfoRoundTrips(TransferSyntax syntax) {
        DomainControllerInfow dc = new DomainControllerInfow("\\\\RPCDC", "\\\\127.0.0.1", 1,
                Uuid.parse("8357b3ad-e0f3-4ed4-b0a0-d2ab4742f20f"), "RPCTEST", "rpctest.local", 0x800013fd,
                "Default-First-Site-Name", null);
        assertEquals(dc, roundTrip(syntax, DomainControllerInfow::encode, DomainControllerInfow::decode, dc));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void trustedDomainArrayRoundTrips(TransferSyntax syntax) {
        NetlogonTrustedDomainArray value = new NetlogonTrustedDomainArray(2, List.of(
                new DsDomainTrustsw("RPCTEST", "rpctest.local", 0x1d, 0, 2, 0, domainSid(),
                        Uuid.parse("8357b3ad-e0f3-4ed4-b0a0-d2ab4742f20f")),
                new DsDomainTrustsw("OTHER", null, 0x22, 0, 1, 0x8, null, Uuid.NIL)));
        NetlogonTrustedDomainArray back = roundTrip(syntax, NetlogonTrustedDomainArray::encode,
                NetlogonTrustedDomainArray::decode, value);
        assertEquals("rpctest.local", back.domains().get(0).dnsDomainName());
        assertArrayEquals(domainSid().subAuthority(), back.domains().get(0).domainSid().subAuthority());
        assertEquals(null, back.domains().get(1).domainSid());
        assertEquals(0x8, back.domains().get(1).trustAttributes());
    }

    /** NETLOGON_CONTROL_QUERY_INFORMATION level 2: a unique pointer to NETLOGON_INFO_2, whose DC name is a string. */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void controlQueryInformationRoundTrips(TransferSyntax syntax) {
        NetlogonInfo2 info = new NetlogonInfo2(0x80, 0, "\\\\rpcdc.rpctest.local", 0);
        NetlogonControlQueryInformation back = roundTrip(syntax, NetlogonControlQueryInformation::encode,
                NetlogonControlQueryInformation::decode, new NetlogonControlQueryInformation.NetlogonInfo2Arm(info));
        assertEquals(info, assertInstanceOf(NetlogonControlQueryInformation.NetlogonInfo2Arm.class, back).netlogonInfo2());
    }

    /**
     * LSA_FOREST_TRUST_RECORD in NDR: Flags; the enum ForestTrustType (2 bytes) and 2 of padding; the LARGE_INTEGER
     * Time at 8; then the in-place union: its discriminant, the same enum, 2 bytes at 16, padding to the arms'
     * alignment 4 (ms_union), and the TopLevelName arm, a UNICODE_STRING whose characters follow, deferred.
     */
    @Test
    void forestTrustRecordSwitchesOnASixteenBitEnum() {
        LsaForestTrustRecord top = new LsaForestTrustRecord(0, LsaForestTrustRecordType.ForestTrustTopLevelName,
                new LargeInteger(0x0102030405060708L),
                new ForestTrustData.TopLevelName(0, unicode("ab")));
        byte[] bytes = encode(TransferSyntax.NDR20, top::encode);
        assertEquals("00000000" + "0000" + "0000" + "0807060504030201" + "0000" + "0000"
                + "0400" + "0400" + "00000200" + "02000000" + "00000000" + "02000000" + "61006200", HEX.formatHex(bytes));
        assertEquals(top.time(), LsaForestTrustRecord.decode(new NdrReader(TransferSyntax.NDR20, bytes)).time());
    }

    /**
     * The same record from a big-endian sender: the discriminant is read as a 16-bit enum (00 03), so the default
     * arm (binary data, ForestTrustRecordTypeLast + 1) sees the value 3; read as a 32-bit long it would be 0x30000.
     */
    @Test
    void forestTrustRecordFromABigEndianSender() {
        String hex = "00000000" + "0003" + "0000" + "0000000000000000" + "0003" + "0000"
                + "00000002" + "00020000" + "00000002" + "7879";
        byte[] bytes = HEX.parseHex(hex);
        LsaForestTrustRecord back = LsaForestTrustRecord.decode(
                new NdrReader(TransferSyntax.NDR20, bytes, 0, bytes.length, true, NdrLimits.DEFAULT));
        ForestTrustData.Data data = assertInstanceOf(ForestTrustData.Data.class, back.forestTrustData());
        assertEquals(3, data.discriminant());
        assertArrayEquals(new byte[] {'x', 'y'}, data.data().buffer());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void forestTrustInformationRoundTrips(TransferSyntax syntax) {
        LsaForestTrustInformation value = new LsaForestTrustInformation(2, List.of(
                new LsaForestTrustRecord(0, LsaForestTrustRecordType.ForestTrustTopLevelName, new LargeInteger(0),
                        new ForestTrustData.TopLevelName(0, unicode("rpctest.local"))),
                new LsaForestTrustRecord(0, LsaForestTrustRecordType.ForestTrustDomainInfo, new LargeInteger(0),
                        new ForestTrustData.DomainInfo(new Netlogon.LsaForestTrustDomainInfo(domainSid(),
                                unicode("rpctest.local"), unicode("RPCTEST"))))));
        LsaForestTrustInformation back = roundTrip(syntax, LsaForestTrustInformation::encode,
                LsaForestTrustInformation::decode, value);
        Netlogon.LsaForestTrustDomainInfo info = assertInstanceOf(ForestTrustData.DomainInfo.class,
                back.entries().get(1).forestTrustData()).domainInfo();
        assertEquals("RPCTEST", text(info.netbiosName()));
        assertEquals("rpctest.local", text(assertInstanceOf(ForestTrustData.TopLevelName.class,
                back.entries().get(0).forestTrustData()).topLevelName()));
    }

    /** A record count beyond [range(0, 4000)] is refused before anything is allocated for it. */
    @Test
    void aForestTrustRecordCountOutOfRangeIsRefused() {
        byte[] bytes = HEX.parseHex("a10f0000" + "00000200" + "a10f0000");   // 4001, a referent, max count 4001
        assertThrows(NdrException.class, () -> LsaForestTrustInformation.decode(new NdrReader(TransferSyntax.NDR20, bytes)));
    }

    /**
     * NL_TRUST_PASSWORD (NetrServerPasswordSet2): 256 WCHARs, 512 bytes, whatever their values (the buffer is
     * encrypted), then the ULONG Length: 516 bytes.
     */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void trustPasswordIsFiveHundredSixteenBytes(TransferSyntax syntax) {
        char[] buffer = new char[256];
        for (int i = 0; i < buffer.length; i++) buffer[i] = (char) (0xd800 + i * 97);   // lone surrogates included
        NlTrustPassword value = new NlTrustPassword(new String(buffer), 28);
        byte[] bytes = encode(syntax, value::encode);
        assertEquals(516, bytes.length);
        assertEquals("00d8", HEX.formatHex(bytes, 0, 2));
        assertEquals("1c000000", HEX.formatHex(bytes, 512, 516));
        NlTrustPassword back = roundTrip(syntax, NlTrustPassword::encode, NlTrustPassword::decode, value);
        assertEquals(value.buffer(), back.buffer());
    }
}
