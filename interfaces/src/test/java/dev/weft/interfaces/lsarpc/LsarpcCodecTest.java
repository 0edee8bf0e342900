package dev.weft.interfaces.lsarpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.interfaces.lsarpc.Lsarpc.ForestTrustData;
import dev.weft.interfaces.lsarpc.Lsarpc.ForestTrustData2;
import dev.weft.interfaces.lsarpc.Lsarpc.LargeInteger;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaForestTrustBinaryData;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaForestTrustRecord;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaForestTrustRecord2;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaForestTrustRecordType;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaForestTrustScannerInfo;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaTranslatedSid;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprObjectAttributes;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprPolicyAccountDomInfo;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprPolicyAuditEventsInfo;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprPolicyDnsDomainInfo;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprPolicyInformation;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprReferencedDomainList;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedNameEx;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedNamesEx;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedSidEx2;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedSids;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedSidsEx2;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTrustInformation;
import dev.weft.interfaces.lsarpc.Lsarpc.PolicyAuditLogInfo;
import dev.weft.interfaces.lsarpc.Lsarpc.RpcSid;
import dev.weft.interfaces.lsarpc.Lsarpc.RpcUnicodeString;
import dev.weft.interfaces.lsarpc.Lsarpc.SecurityImpersonationLevel;
import dev.weft.interfaces.lsarpc.Lsarpc.SecurityQualityOfService;
import dev.weft.interfaces.lsarpc.Lsarpc.SidIdentifierAuthority;
import dev.weft.interfaces.lsarpc.Lsarpc.SidNameUse;
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
 * The generated lsarpc types in both transfer syntaxes: round trips of what LsarOpenPolicy2, LsarQueryInformationPolicy
 * and the lookups carry, and NDR bytes derived by hand from MS-LSAD, MS-LSAT and MS-RPCE 2.2.5 for the shapes that are
 * easy to get wrong (the 16-bit POLICY_INFORMATION_CLASS discriminant, the forest trust records' inline unions).
 */
class LsarpcCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static RpcSid sid(int... subAuthorities) {
        return new RpcSid((byte) 1, (byte) subAuthorities.length,
                new SidIdentifierAuthority(new byte[] {0, 0, 0, 0, 0, 5}), subAuthorities);
    }

    static final RpcSid DOMAIN = sid(21, 36395239, -1193435713, 252620141);

    static byte[] encode(TransferSyntax syntax, Consumer<NdrWriter> body) {
        NdrWriter w = new NdrWriter(syntax);
        body.accept(w);
        return w.toByteArray();
    }

    interface BiEncoder<T> {
        void encode(T value, NdrWriter w);
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

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void dnsDomainInformationRoundTrips(TransferSyntax syntax) {
        LsaprPolicyDnsDomainInfo dns = new LsaprPolicyDnsDomainInfo(unicode("RPCTEST"), unicode("rpctest.local"),
                unicode("rpctest.local"), Uuid.parse("0f9b3c7e-8d41-4b1a-9a55-3d2e6f708192"), DOMAIN);
        LsaprPolicyInformation back = roundTrip(syntax, LsaprPolicyInformation::encode, LsaprPolicyInformation::decode,
                new LsaprPolicyInformation.PolicyDnsDomainInfo(dns));
        LsaprPolicyDnsDomainInfo d = assertInstanceOf(LsaprPolicyInformation.PolicyDnsDomainInfo.class, back).policyDnsDomainInfo();
        assertEquals("RPCTEST", d.name().buffer());
        assertEquals("rpctest.local", d.dnsForestName().buffer());
        assertEquals(dns.domainGuid(), d.domainGuid());
        assertArrayEquals(DOMAIN.subAuthority(), d.sid().subAuthority());
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void everyOtherPolicyLevelRoundTrips(TransferSyntax syntax) {
        List<LsaprPolicyInformation> levels = List.of(
                new LsaprPolicyInformation.PolicyAccountDomainInfo(new LsaprPolicyAccountDomInfo(unicode("RPCTEST"), DOMAIN)),
                new LsaprPolicyInformation.PolicyAccountDomainInfo(new LsaprPolicyAccountDomInfo(unicode(""), null)),
                new LsaprPolicyInformation.PolicyAuditEventsInfo(new LsaprPolicyAuditEventsInfo((byte) 1, new int[] {0, 1, 3, 0, 2, 0, 0, 0, 0}, 9)),
                new LsaprPolicyInformation.PolicyAuditLogInfoArm(new PolicyAuditLogInfo(5, 1024, new LargeInteger(-1), (byte) 0,
                        new LargeInteger(0), 77)),
                new LsaprPolicyInformation.PolicyServerRoleInfo(new Lsarpc.PolicyLsaServerRoleInfo(new Lsarpc.PolicyLsaServerRole(3))),
                new LsaprPolicyInformation.PolicyAuditFullQueryInfoArm(new Lsarpc.PolicyAuditFullQueryInfo((byte) 0, (byte) 1)),
                new LsaprPolicyInformation.PolicyMachineAccountInfo(new Lsarpc.LsaprPolicyMachineAcctInfo(1000, sid(21, 1, 2, 3, 1000))));
        for (LsaprPolicyInformation level : levels) {
            LsaprPolicyInformation back = roundTrip(syntax, LsaprPolicyInformation::encode, LsaprPolicyInformation::decode, level);
            assertEquals(level.discriminant(), back.discriminant());
            assertEquals(level.getClass(), back.getClass());
        }
    }

    /**
     * POLICY_INFORMATION_CLASS is an ordinary enum: the discriminant is 2 bytes in NDR and 4 in NDR64, then the arm.
     * PolicyServerRoleInfo (level 6) holds POLICY_LSA_SERVER_ROLE, another enum; lsarpc is ms_union, so the arm is
     * aligned to the largest arm (8 in NDR: POLICY_AUDIT_LOG_INFO holds LARGE_INTEGERs; 8 in NDR64).
     */
    @Test
    void serverRoleBytesInBothSyntaxes() {
        LsaprPolicyInformation role = new LsaprPolicyInformation.PolicyServerRoleInfo(
                new Lsarpc.PolicyLsaServerRoleInfo(new Lsarpc.PolicyLsaServerRole(3)));
        assertEquals("0600" + "000000000000" + "0300", HEX.formatHex(encode(TransferSyntax.NDR20, role::encode)));
        assertEquals("06000000" + "00000000" + "03000000", HEX.formatHex(encode(TransferSyntax.NDR64, role::encode)));
        assertThrows(NdrException.class, () -> LsaprPolicyInformation.decode(
                new NdrReader(TransferSyntax.NDR20, HEX.parseHex("0800000000000000"))));   // 8 is not on the wire
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void lookupTypesRoundTrip(TransferSyntax syntax) {
        LsaprReferencedDomainList domains = new LsaprReferencedDomainList(2, List.of(
                new LsaprTrustInformation(unicode("RPCTEST"), DOMAIN), new LsaprTrustInformation(unicode("BUILTIN"), sid(32))), 32);
        assertEquals(domains.domains().get(0).name(), roundTrip(syntax, LsaprReferencedDomainList::encode,
                LsaprReferencedDomainList::decode, domains).domains().get(0).name());

        LsaprTranslatedSidsEx2 sids = new LsaprTranslatedSidsEx2(2, List.of(
                new LsaprTranslatedSidEx2(SidNameUse.SidTypeUser, sid(21, 36395239, -1193435713, 252620141, 500), 0, 0),
                new LsaprTranslatedSidEx2(SidNameUse.SidTypeUnknown, null, -1, 0)));
        LsaprTranslatedSidsEx2 s = roundTrip(syntax, LsaprTranslatedSidsEx2::encode, LsaprTranslatedSidsEx2::decode, sids);
        assertEquals(500, s.sids().get(0).sid().subAuthority()[4]);
        assertEquals(null, s.sids().get(1).sid());
        assertEquals(SidNameUse.SidTypeUnknown, s.sids().get(1).use());

        LsaprTranslatedNamesEx names = new LsaprTranslatedNamesEx(1, List.of(
                new LsaprTranslatedNameEx(SidNameUse.SidTypeUser, unicode("Administrator"), 0, 0)));
        assertEquals(names, roundTrip(syntax, LsaprTranslatedNamesEx::encode, LsaprTranslatedNamesEx::decode, names));

        LsaprObjectAttributes attributes = new LsaprObjectAttributes(24, null, null, 0, null,
                new SecurityQualityOfService(12, SecurityImpersonationLevel.SecurityImpersonation, (byte) 1, (byte) 0));
        assertEquals(attributes, roundTrip(syntax, LsaprObjectAttributes::encode, LsaprObjectAttributes::decode, attributes));
    }

    /** LSA_TRANSLATED_SID: SID_NAME_USE is a 16-bit enum in NDR, padded before the unsigned long RelativeId. */
    @Test
    void translatedSidsInNdr() {
        LsaprTranslatedSids sids = new LsaprTranslatedSids(1, List.of(new LsaTranslatedSid(SidNameUse.SidTypeUser, 1103, 0)));
        assertEquals("01000000" + "00000200"                  // Entries, referent of Sids
                        + "01000000"                             // conformance: 1
                        + "0100" + "0000" + "4f040000" + "00000000",  // Use (2 bytes) + padding, RelativeId 1103, DomainIndex 0
                HEX.formatHex(encode(TransferSyntax.NDR20, sids::encode)));
    }

    /**
     * LSA_FOREST_TRUST_RECORD (MS-LSAD 2.2.7.21) in NDR, by hand: Flags, the 16-bit enum ForestTrustType padded to 8
     * for the LARGE_INTEGER Time, then the inline union ForestTrustData: its LSA_FOREST_TRUST_RECORD_TYPE
     * discriminant (2 bytes, padded to the arms' 4), the [default] arm LSA_FOREST_TRUST_BINARY_DATA for type 3, and
     * the deferred conformant byte buffer.
     */
    @Test
    void forestTrustRecordBinaryDataInNdr() {
        LsaForestTrustRecord binary = new LsaForestTrustRecord(0x40, new LsaForestTrustRecordType(3),
                new LargeInteger(0x0102030405060708L),
                new ForestTrustData.Data(3, new LsaForestTrustBinaryData(3, new byte[] {9, 8, 7})));
        String expected = "40000000" + "0300" + "0000" + "0807060504030201"
                + "0300" + "0000" + "03000000" + "00000200"      // discriminant 3, padding, Length, referent of Buffer
                + "03000000" + "090807";                          // conformance 3, the bytes
        byte[] bytes = encode(TransferSyntax.NDR20, binary::encode);
        assertEquals(expected, HEX.formatHex(bytes));
        LsaForestTrustRecord back = LsaForestTrustRecord.decode(new NdrReader(TransferSyntax.NDR20, bytes));
        LsaForestTrustBinaryData data = assertInstanceOf(ForestTrustData.Data.class, back.forestTrustData()).data();
        assertArrayEquals(new byte[] {9, 8, 7}, data.buffer());
        assertEquals(3, back.forestTrustData().discriminant());
    }

    /** LSA_FOREST_TRUST_RECORD2 has its own union (ForestTrustData2): type 4 is the scanner record, not binary data. */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void forestTrustRecord2ScannerInfoRoundTrips(TransferSyntax syntax) {
        LsaForestTrustRecord2 scanner = new LsaForestTrustRecord2(0, new LsaForestTrustRecordType(4), new LargeInteger(1),
                new ForestTrustData2.ScannerInfo(new LsaForestTrustScannerInfo(DOMAIN, unicode("child.rpctest.local"), unicode("CHILD"))));
        LsaForestTrustRecord2 back = roundTrip(syntax, LsaForestTrustRecord2::encode, LsaForestTrustRecord2::decode, scanner);
        LsaForestTrustScannerInfo info = assertInstanceOf(ForestTrustData2.ScannerInfo.class, back.forestTrustData()).scannerInfo();
        assertEquals("CHILD", info.netbiosName().buffer());
        assertThrows(NdrException.class, () -> LsaForestTrustRecord2.decode(new NdrReader(syntax,
                encode(syntax, new LsaForestTrustRecord(0, new LsaForestTrustRecordType(5), new LargeInteger(1),
                        new ForestTrustData.Data(5, new LsaForestTrustBinaryData(0, null)))::encode))),
                "type 5 is no case of LSA_FOREST_TRUST_RECORD2's union, which has no default");
    }
}
