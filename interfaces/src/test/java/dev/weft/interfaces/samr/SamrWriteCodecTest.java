package dev.weft.interfaces.samr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.interfaces.samr.Samr.LargeInteger;
import dev.weft.interfaces.samr.Samr.RpcString;
import dev.weft.interfaces.samr.Samr.RpcUnicodeString;
import dev.weft.interfaces.samr.Samr.SamValidateInputArg;
import dev.weft.interfaces.samr.Samr.SamValidateOutputArg;
import dev.weft.interfaces.samr.Samr.SamValidatePasswordChangeInputArg;
import dev.weft.interfaces.samr.Samr.SamValidatePasswordHash;
import dev.weft.interfaces.samr.Samr.SamValidatePersistedFields;
import dev.weft.interfaces.samr.Samr.SamValidateStandardOutputArg;
import dev.weft.interfaces.samr.Samr.SamValidateValidationStatus;
import dev.weft.interfaces.samr.Samr.SamprAliasGeneralInformation;
import dev.weft.interfaces.samr.Samr.SamprAliasInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprDisplayInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprDomainDisplayGroup;
import dev.weft.interfaces.samr.Samr.SamprDomainDisplayGroupBuffer;
import dev.weft.interfaces.samr.Samr.SamprDomainDisplayOemUser;
import dev.weft.interfaces.samr.Samr.SamprDomainDisplayOemUserBuffer;
import dev.weft.interfaces.samr.Samr.SamprDomainDisplayUser;
import dev.weft.interfaces.samr.Samr.SamprDomainDisplayUserBuffer;
import dev.weft.interfaces.samr.Samr.SamprGroupAdmCommentInformation;
import dev.weft.interfaces.samr.Samr.SamprGroupGeneralInformation;
import dev.weft.interfaces.samr.Samr.SamprGroupInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprUserInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprUserInternal5InformationNew;
import dev.weft.ndr.NdrException;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.TransferSyntax;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The types the write half of samr adds (groups, aliases, display information, password buffers, password-policy
 * validation, the OEM RPC_STRING), in both transfer syntaxes: NDR bytes derived by hand from MS-SAMR 2.2 and MS-RPCE
 * 2.2.5, and round trips of the larger shapes. Referent ids start at 0x00020000 and grow by 4 (RPCE-FACTS 10.6).
 */
class SamrWriteCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static byte[] encode(TransferSyntax syntax, Consumer<NdrWriter> body) {
        NdrWriter w = new NdrWriter(syntax);
        body.accept(w);
        return w.toByteArray();
    }

    interface Encoder<T> {
        void encode(T value, NdrWriter w);
    }

    static <T> T roundTrip(TransferSyntax syntax, Encoder<T> encoder, Function<NdrReader, T> decoder, T value) {
        byte[] first = encode(syntax, w -> encoder.encode(value, w));
        NdrReader r = new NdrReader(syntax, first);
        T back = decoder.apply(r);
        r.expectEnd();
        assertArrayEquals(first, encode(syntax, w -> encoder.encode(back, w)), "re-encoding differs");
        return back;
    }

    /**
     * SAMPR_GROUP_INFO_BUFFER (2.2.4.7) switched by GROUP_INFORMATION_CLASS, an enum: 2 bytes in NDR, then the arm at
     * the largest arm alignment (ms_union; 4: RPC_UNICODE_STRING's pointer); 4 bytes in NDR64, the arm at 8.
     */
    @Test
    void groupAdminCommentInBothSyntaxes() {
        SamprGroupInfoBuffer comment = new SamprGroupInfoBuffer.AdminComment(new SamprGroupAdmCommentInformation(unicode("ab")));
        String ndr = "0400" + "0000"                               // GroupAdminCommentInformation, pad to 4
                + "0400" + "0400" + "00000200"                     // Length, MaximumLength, Buffer referent
                + "02000000" + "00000000" + "02000000" + "61006200"; // max, offset, actual count, "ab"
        assertEquals(ndr, HEX.formatHex(encode(TransferSyntax.NDR20, comment::encode)));
        String ndr64 = "04000000" + "00000000"                     // discriminant, pad to 8
                + "0400" + "0400" + "00000000" + "0000020000000000" // Length, MaximumLength, pad, 8-byte referent
                + "0200000000000000" + "0000000000000000" + "0200000000000000" + "61006200";
        assertEquals(ndr64, HEX.formatHex(encode(TransferSyntax.NDR64, comment::encode)));
        for (TransferSyntax syntax : TransferSyntax.values()) {
            byte[] b = encode(syntax, comment::encode);
            assertEquals(comment, SamprGroupInfoBuffer.decode(new NdrReader(syntax, b)));
        }
    }

    /** GroupReplicationInformation (5) is an arm of its own, DoNotUse, with the General layout (2.2.4.7). */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void groupGeneralAndItsReplicationTwin(TransferSyntax syntax) {
        SamprGroupGeneralInformation g = new SamprGroupGeneralInformation(unicode("Weft"), 7, 2, unicode("a group"));
        SamprGroupInfoBuffer general = roundTrip(syntax, SamprGroupInfoBuffer::encode, SamprGroupInfoBuffer::decode,
                new SamprGroupInfoBuffer.General(g));
        assertEquals(g, assertInstanceOf(SamprGroupInfoBuffer.General.class, general).general());
        SamprGroupInfoBuffer twin = roundTrip(syntax, SamprGroupInfoBuffer::encode, SamprGroupInfoBuffer::decode,
                new SamprGroupInfoBuffer.DoNotUse(g));
        assertEquals(g, assertInstanceOf(SamprGroupInfoBuffer.DoNotUse.class, twin).doNotUse());
        byte[] a = encode(syntax, general::encode), b = encode(syntax, twin::encode);
        assertEquals(1, a[0]);
        assertEquals(5, b[0]);
        assertArrayEquals(Arrays.copyOfRange(a, 1, a.length), Arrays.copyOfRange(b, 1, b.length), "same layout");
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void aliasGeneralRoundTrips(TransferSyntax syntax) {
        SamprAliasGeneralInformation g = new SamprAliasGeneralInformation(unicode("WeftAlias"), 3, unicode(""));
        SamprAliasInfoBuffer back = roundTrip(syntax, SamprAliasInfoBuffer::encode, SamprAliasInfoBuffer::decode,
                new SamprAliasInfoBuffer.General(g));
        assertEquals(g, assertInstanceOf(SamprAliasInfoBuffer.General.class, back).general());
    }

    /**
     * SAMPR_DISPLAY_INFO_BUFFER, DomainDisplayUser with one entry, in NDR: the discriminant, EntriesRead and the array's
     * referent; then the conformant array (max count, the entry's scalars and its three strings' inline parts); then
     * the strings' referents in order, AdminComment's null pointer having none.
     */
    @Test
    void displayUserInNdr() {
        SamprDisplayInfoBuffer users = new SamprDisplayInfoBuffer.UserInformation(new SamprDomainDisplayUserBuffer(1,
                List.of(new SamprDomainDisplayUser(1, 1000, 0x10, unicode("a"),
                        new RpcUnicodeString((short) 0, (short) 0, null), unicode("A")))));
        String expected = "0100" + "0000" + "01000000" + "00000200"   // DomainDisplayUser, pad, EntriesRead, Buffer
                + "01000000"                                          // the array's max count
                + "01000000" + "e8030000" + "10000000"                // Index, Rid, AccountControl
                + "0200" + "0200" + "04000200"                        // AccountName
                + "0000" + "0000" + "00000000"                        // AdminComment, null
                + "0200" + "0200" + "08000200"                        // FullName
                + "01000000" + "00000000" + "01000000" + "6100" + "0000"
                + "01000000" + "00000000" + "01000000" + "4100";
        byte[] bytes = encode(TransferSyntax.NDR20, users::encode);
        assertEquals(expected, HEX.formatHex(bytes));
        assertEquals(users, SamprDisplayInfoBuffer.decode(new NdrReader(TransferSyntax.NDR20, bytes)));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void displayGroupsAndOemUsersRoundTrip(TransferSyntax syntax) {
        SamprDisplayInfoBuffer groups = new SamprDisplayInfoBuffer.GroupInformation(new SamprDomainDisplayGroupBuffer(2,
                List.of(new SamprDomainDisplayGroup(1, 513, 7, unicode("Domain Users"), unicode("All domain users")),
                        new SamprDomainDisplayGroup(2, 512, 7, unicode("Domain Admins"), unicode("")))));
        assertEquals(groups, roundTrip(syntax, SamprDisplayInfoBuffer::encode, SamprDisplayInfoBuffer::decode, groups));
        SamprDisplayInfoBuffer empty = new SamprDisplayInfoBuffer.GroupInformation(new SamprDomainDisplayGroupBuffer(0, null));
        assertEquals(empty, roundTrip(syntax, SamprDisplayInfoBuffer::encode, SamprDisplayInfoBuffer::decode, empty));
        SamprDisplayInfoBuffer oem = new SamprDisplayInfoBuffer.OemUserInformation(new SamprDomainDisplayOemUserBuffer(1,
                List.of(new SamprDomainDisplayOemUser(1, new RpcString((short) 5, (short) 6, "Guest".getBytes())))));
        SamprDisplayInfoBuffer back = roundTrip(syntax, SamprDisplayInfoBuffer::encode, SamprDisplayInfoBuffer::decode, oem);
        assertArrayEquals("Guest".getBytes(), assertInstanceOf(SamprDisplayInfoBuffer.OemUserInformation.class, back)
                .oemUserInformation().buffer().get(0).oemAccountName().buffer());
    }

    /** RPC_STRING (the OEM counterpart of RPC_UNICODE_STRING): size_is(MaximumLength), length_is(Length), in bytes. */
    @Test
    void rpcStringCountsBytes() {
        RpcString s = new RpcString((short) 3, (short) 4, "abc".getBytes());
        assertEquals("0300" + "0400" + "00000200" + "04000000" + "00000000" + "03000000" + "616263",
                HEX.formatHex(encode(TransferSyntax.NDR20, s::encode)));
        assertThrows(NdrException.class, () -> encode(TransferSyntax.NDR20,
                new RpcString((short) 2, (short) 4, "abc".getBytes())::encode), "Length and the bytes disagree");
    }

    /**
     * UserInternal5InformationNew (26), what SamrSetInformationUser2 sends for a password: the 16-bit level, padding to
     * the union's largest arm alignment (8: SAMPR_ENCRYPTED_PASSWORD_AES has an unsigned __int64), 532 bytes, the
     * PasswordExpired byte. NDR64: a 32-bit level, the same padding to 8.
     */
    @Test
    void saltedPasswordLevelInBothSyntaxes() {
        byte[] buffer = new byte[532];
        for (int i = 0; i < buffer.length; i++) buffer[i] = (byte) (i * 7);
        SamprUserInfoBuffer level = new SamprUserInfoBuffer.Internal5New(new SamprUserInternal5InformationNew(
                new Samr.SamprEncryptedUserPasswordNew(buffer), (byte) 1));
        byte[] ndr = encode(TransferSyntax.NDR20, level::encode);
        assertEquals("1a00" + "000000000000", HEX.formatHex(ndr, 0, 8));
        assertArrayEquals(buffer, Arrays.copyOfRange(ndr, 8, 540));
        assertEquals("01", HEX.formatHex(ndr, 540, ndr.length));
        byte[] ndr64 = encode(TransferSyntax.NDR64, level::encode);
        assertEquals("1a000000" + "00000000", HEX.formatHex(ndr64, 0, 8));
        assertArrayEquals(buffer, Arrays.copyOfRange(ndr64, 8, 540));
        assertEquals("01", HEX.formatHex(ndr64, 540, ndr64.length));
        for (TransferSyntax syntax : TransferSyntax.values()) {
            SamprUserInfoBuffer back = SamprUserInfoBuffer.decode(new NdrReader(syntax, encode(syntax, level::encode)));
            SamprUserInternal5InformationNew v = assertInstanceOf(SamprUserInfoBuffer.Internal5New.class, back).internal5New();
            assertArrayEquals(buffer, v.userPassword().buffer());
            assertEquals(1, v.passwordExpired());
        }
    }

    /**
     * SAM_VALIDATE_PERSISTED_FIELDS (2.2.9.2) in NDR: its LARGE_INTEGERs align the structure to 8, so padding follows
     * PresentFields; the unique PasswordHistory array of SAM_VALIDATE_PASSWORD_HASH follows the inline part, each hash's
     * bytes after the array.
     */
    @Test
    void persistedFieldsInNdr() {
        SamValidatePersistedFields f = new SamValidatePersistedFields(0x21, new LargeInteger(0x01d9000000000001L),
                new LargeInteger(0), new LargeInteger(0), 0, 1,
                List.of(new SamValidatePasswordHash(2, new byte[] {(byte) 0xab, (byte) 0xcd})));
        String expected = "21000000" + "00000000"                       // PresentFields, pad to 8
                + "010000000000d901" + "0000000000000000" + "0000000000000000" // PasswordLastSet, BadPasswordTime, LockoutTime
                + "00000000" + "01000000" + "00000200"                  // BadPasswordCount, PasswordHistoryLength, referent
                + "01000000"                                            // the history's max count
                + "02000000" + "04000200"                               // Length, Hash referent
                + "02000000" + "abcd";                                  // the hash's max count and bytes
        byte[] bytes = encode(TransferSyntax.NDR20, f::encode);
        assertEquals(expected, HEX.formatHex(bytes));
        SamValidatePersistedFields back = SamValidatePersistedFields.decode(new NdrReader(TransferSyntax.NDR20, bytes));
        assertArrayEquals(new byte[] {(byte) 0xab, (byte) 0xcd}, back.passwordHistory().get(0).hash());
    }

    /** SamrValidatePassword's input and output unions, switched by PASSWORD_POLICY_VALIDATION_TYPE, in both syntaxes. */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void validatePasswordArgumentsRoundTrip(TransferSyntax syntax) {
        SamValidatePersistedFields none = new SamValidatePersistedFields(0, new LargeInteger(0), new LargeInteger(0),
                new LargeInteger(0), 0, 0, null);
        SamValidateInputArg change = new SamValidateInputArg.ValidatePasswordChangeInput(
                new SamValidatePasswordChangeInputArg(none, unicode("Weft-Pw1!"), unicode("rpcuser"),
                        new SamValidatePasswordHash(0, null), (byte) 1));
        SamValidateInputArg back = roundTrip(syntax, SamValidateInputArg::encode, SamValidateInputArg::decode, change);
        SamValidatePasswordChangeInputArg c = assertInstanceOf(SamValidateInputArg.ValidatePasswordChangeInput.class, back)
                .validatePasswordChangeInput();
        assertEquals("Weft-Pw1!", c.clearPassword().buffer());
        assertEquals(1, c.passwordMatch());
        SamValidateOutputArg out = new SamValidateOutputArg.ValidatePasswordChangeOutput(new SamValidateStandardOutputArg(
                none, SamValidateValidationStatus.SamValidatePasswordTooShort));
        SamValidateOutputArg outBack = roundTrip(syntax, SamValidateOutputArg::encode, SamValidateOutputArg::decode, out);
        assertEquals(SamValidateValidationStatus.SamValidatePasswordTooShort,
                assertInstanceOf(SamValidateOutputArg.ValidatePasswordChangeOutput.class, outBack)
                        .validatePasswordChangeOutput().validationStatus());
    }

    @Test
    void anUnknownDisplayClassIsRefused() {
        assertThrows(NdrException.class, () -> SamprDisplayInfoBuffer.decode(
                new NdrReader(TransferSyntax.NDR20, HEX.parseHex("0600000000000000"))));   // 6 is not a case
    }
}
