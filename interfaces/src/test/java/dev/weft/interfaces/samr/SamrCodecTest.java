package dev.weft.interfaces.samr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.interfaces.samr.Samr.OldLargeInteger;
import dev.weft.interfaces.samr.Samr.RpcShortBlob;
import dev.weft.interfaces.samr.Samr.RpcSid;
import dev.weft.interfaces.samr.Samr.RpcUnicodeString;
import dev.weft.interfaces.samr.Samr.SamprDomainGeneralInformation;
import dev.weft.interfaces.samr.Samr.SamprDomainInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprEnumerationBuffer;
import dev.weft.interfaces.samr.Samr.SamprLogonHours;
import dev.weft.interfaces.samr.Samr.SamprRidEnumeration;
import dev.weft.interfaces.samr.Samr.SamprSrSecurityDescriptor;
import dev.weft.interfaces.samr.Samr.SamprUserAllInformation;
import dev.weft.interfaces.samr.Samr.SamprUserInfoBuffer;
import dev.weft.interfaces.samr.Samr.SidIdentifierAuthority;
import dev.weft.interfaces.samr.Samr.UserControlInformation;
import dev.weft.ndr.NdrException;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.TransferSyntax;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated samr types in both transfer syntaxes: round trips of the structures a directory tool receives, and
 * NDR bytes derived by hand from MS-SAMR and MS-RPCE 2.2.5 for the shapes that are easy to get wrong (the 16-bit
 * enum discriminant of SAMPR_USER_INFO_BUFFER, the conformant RPC_SID, SAMPR_LOGON_HOURS' fixed size_is(1260)).
 */
class SamrCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static byte[] encode(TransferSyntax syntax, Consumer<NdrWriter> body) {
        NdrWriter w = new NdrWriter(syntax);
        body.accept(w);
        return w.toByteArray();
    }

    /** Encodes, decodes and encodes again: the value survives and the second encoding is byte-identical. */
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

    static SamprUserAllInformation all() {
        byte[] hours = new byte[21];
        for (int i = 0; i < hours.length; i++) hours[i] = (byte) (i % 3 == 0 ? 0xff : 0x0f);
        return new SamprUserAllInformation(new OldLargeInteger(1, 2), new OldLargeInteger(0, 0),
                new OldLargeInteger(0x5f5e100, 0x1d9a3b2), new OldLargeInteger(-1, 0x7fffffff),
                new OldLargeInteger(3, 4), new OldLargeInteger(-1, 0x7fffffff),
                unicode("rpcuser"), unicode("RPC User"), unicode("\\\\srv\\home"), unicode("H:"), unicode(""),
                new RpcUnicodeString((short) 0, (short) 0, null), unicode("a comment"), unicode("WS1,WS2"),
                unicode("user comment"), unicode("params"),
                new RpcShortBlob((short) 0, (short) 0, null), new RpcShortBlob((short) 4, (short) 6, new short[] {7, 8}),
                unicode("private"), new SamprSrSecurityDescriptor(3, new byte[] {1, 0, 4}),
                1102, 513, 0x210, 0x00ffffff, new SamprLogonHours((short) 168, hours),
                (short) 1, (short) 42, (short) 0, (short) 0, (byte) 0, (byte) 1, (byte) 0, (byte) 0);
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void userAllInformationRoundTripsThroughTheUnion(TransferSyntax syntax) {
        SamprUserAllInformation value = all();
        SamprUserInfoBuffer back = roundTrip(syntax, SamprUserInfoBuffer::encode, SamprUserInfoBuffer::decode,
                new SamprUserInfoBuffer.All(value));
        SamprUserAllInformation a = assertInstanceOf(SamprUserInfoBuffer.All.class, back).all();
        assertEquals(value.userName(), a.userName());
        assertEquals(value.homeDirectory(), a.homeDirectory());
        assertEquals(value.scriptPath(), a.scriptPath());
        assertEquals(null, a.profilePath().buffer());
        assertEquals(value.passwordLastSet(), a.passwordLastSet());
        assertEquals(1102, a.userId());
        assertEquals(0x210, a.userAccountControl());
        assertEquals(168, a.logonHours().unitsPerWeek());
        assertArrayEquals(value.logonHours().logonHours(), a.logonHours().logonHours());
        assertArrayEquals(new byte[] {1, 0, 4}, a.securityDescriptor().securityDescriptor());
        assertArrayEquals(new short[] {7, 8}, a.ntOwfPassword().buffer());
        assertEquals(null, a.lmOwfPassword().buffer());
        assertEquals(42, a.logonCount());
        assertEquals(1, a.ntPasswordPresent());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void enumerationBufferRoundTrips(TransferSyntax syntax) {
        SamprEnumerationBuffer value = new SamprEnumerationBuffer(3, List.of(
                new SamprRidEnumeration(500, unicode("Administrator")),
                new SamprRidEnumeration(501, unicode("Guest")),
                new SamprRidEnumeration(1102, unicode("rpcuser"))));
        assertEquals(value, roundTrip(syntax, SamprEnumerationBuffer::encode, SamprEnumerationBuffer::decode, value));
        SamprEnumerationBuffer empty = new SamprEnumerationBuffer(0, null);
        assertEquals(empty, roundTrip(syntax, SamprEnumerationBuffer::encode, SamprEnumerationBuffer::decode, empty));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void domainGeneralInformationRoundTrips(TransferSyntax syntax) {
        SamprDomainGeneralInformation value = new SamprDomainGeneralInformation(new OldLargeInteger(0, 0x80000000),
                unicode(""), unicode("RPCTEST"), unicode(""), new OldLargeInteger(1, 0), 1, 3, (byte) 0, 6, 17, 0);
        SamprDomainInfoBuffer back = roundTrip(syntax, SamprDomainInfoBuffer::encode, SamprDomainInfoBuffer::decode,
                new SamprDomainInfoBuffer.General(value));
        assertEquals(value, assertInstanceOf(SamprDomainInfoBuffer.General.class, back).general());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void sidRoundTrips(TransferSyntax syntax) {
        RpcSid sid = new RpcSid((byte) 1, (byte) 4, new SidIdentifierAuthority(new byte[] {0, 0, 0, 0, 0, 5}),
                new int[] {21, 36395239, -1193435713, 252620141});
        RpcSid back = roundTrip(syntax, RpcSid::encode, RpcSid::decode, sid);
        assertArrayEquals(sid.subAuthority(), back.subAuthority());
        assertArrayEquals(sid.identifierAuthority().valueValue(), back.identifierAuthority().valueValue());
    }

    /**
     * SAMPR_USER_INFO_BUFFER is switched by USER_INFORMATION_CLASS, an ordinary enum: 16 bits in NDR, 32 in NDR64.
     * samr is declared {@code ms_union}, so in NDR the arm is aligned to the largest arm alignment after the
     * discriminant (RPCE-FACTS 10.7; 8 here, since SAMPR_ENCRYPTED_PASSWORD_AES holds an unsigned __int64), not to
     * the chosen arm's own 4; NDR64 always aligns to the largest arm (MS-RPCE 2.2.5.3.4.4). Where the union follows a
     * unique pointer's referent id, as in every samr response, both rules give the same offset.
     */
    @Test
    void userInfoDiscriminantIsAShortInNdrAndALongInNdr64() {
        SamprUserInfoBuffer control = new SamprUserInfoBuffer.Control(new UserControlInformation(0x210));
        assertEquals("1000" + "000000000000" + "10020000", HEX.formatHex(encode(TransferSyntax.NDR20, control::encode)));
        assertEquals("10000000" + "00000000" + "10020000", HEX.formatHex(encode(TransferSyntax.NDR64, control::encode)));
        SamprUserInfoBuffer back = SamprUserInfoBuffer.decode(
                new NdrReader(TransferSyntax.NDR20, HEX.parseHex("100000000000000010020000")));
        assertEquals(control, back);
    }

    /** SAMPR_REVISION_INFO's only arm aligns 4: after its unsigned long discriminant nothing is padded. */
    @Test
    void revisionInfoInNdr() {
        Samr.SamprRevisionInfo v1 = new Samr.SamprRevisionInfo.V1(new Samr.SamprRevisionInfoV1(3, 0));
        assertEquals("01000000" + "03000000" + "00000000", HEX.formatHex(encode(TransferSyntax.NDR20, v1::encode)));
    }

    @Test
    void anUnknownInformationClassIsRefused() {
        assertThrows(NdrException.class, () -> SamprUserInfoBuffer.decode(
                new NdrReader(TransferSyntax.NDR20, HEX.parseHex("0f0000000000000010020000"))));   // 15 is not a case
    }

    /** RPC_SID is a conformant structure: its max count leads in NDR (MS-RPCE 2.2.5.3.4.1). S-1-5-32. */
    @Test
    void builtinSidInNdr() {
        RpcSid builtin = new RpcSid((byte) 1, (byte) 1, new SidIdentifierAuthority(new byte[] {0, 0, 0, 0, 0, 5}),
                new int[] {32});
        byte[] bytes = encode(TransferSyntax.NDR20, builtin::encode);
        assertEquals("01000000" + "0101" + "000000000005" + "20000000", HEX.formatHex(bytes));
        RpcSid back = RpcSid.decode(new NdrReader(TransferSyntax.NDR20, bytes));
        assertArrayEquals(new int[] {32}, back.subAuthority());
    }

    /**
     * SAMPR_LOGON_HOURS: [size_is(1260), length_is((UnitsPerWeek+7)/8)] unsigned char*: the max count is always
     * 1260 and the actual count follows UnitsPerWeek (168 hours: 21 bytes).
     */
    @Test
    void logonHoursCarryAFixedMaximumOf1260() {
        byte[] hours = new byte[21];
        java.util.Arrays.fill(hours, (byte) 0xff);
        SamprLogonHours value = new SamprLogonHours((short) 168, hours);
        byte[] bytes = encode(TransferSyntax.NDR20, value::encode);
        String expected = "a800" + "0000" + "00000200"            // UnitsPerWeek, padding, referent id
                + "ec040000" + "00000000" + "15000000"              // max 1260, offset 0, actual 21
                + "ff".repeat(21);
        assertEquals(expected, HEX.formatHex(bytes));
        SamprLogonHours back = SamprLogonHours.decode(new NdrReader(TransferSyntax.NDR20, bytes));
        assertArrayEquals(hours, back.logonHours());
    }
}
