package dev.weft.interfaces.lsarpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.CapturedBinding;
import dev.weft.interfaces.SambaCapture;
import dev.weft.interfaces.lsarpc.Lsarpc.LsapLookupLevel;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprHandle;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprObjectAttributes;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprPolicyInformation;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprSidEnumBuffer;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprSidInformation;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedNames;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedNamesEx;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedSids;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedSidsEx2;
import dev.weft.interfaces.lsarpc.Lsarpc.PolicyInformationClass;
import dev.weft.interfaces.lsarpc.Lsarpc.RpcSid;
import dev.weft.interfaces.lsarpc.Lsarpc.RpcUnicodeString;
import dev.weft.interfaces.lsarpc.Lsarpc.SidIdentifierAuthority;
import dev.weft.interfaces.lsarpc.Lsarpc.SidNameUse;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a directory tool asks lsarpc, as a Weft user writes it, against what Samba 4.17's client sent and its AD DC
 * answered ({@code tools/interop/capture-samba.sh}). Samba serves the policy-handle calls on the named pipe only
 * ({@code lsarpc/samba-4.17-lsarpc-np.txt}: open policy, query policy, names and SIDs both ways, close); over TCP
 * it answers LsarLookupNames4 and LsarLookupSids3 on a secure channel alone, as MS-LSAT 2.1 says, and refuses the
 * rest ({@code lsarpc/samba-4.17-lsarpc-tcp.txt}).
 */
class LsarpcSambaCaptureTest {
    static final SambaCapture NP = SambaCapture.load("lsarpc/samba-4.17-lsarpc-np.txt");
    static final SambaCapture TCP = SambaCapture.load("lsarpc/samba-4.17-lsarpc-tcp.txt");
    static final int MAXIMUM_ALLOWED = 0x02000000;
    static final int STATUS_SUCCESS = 0, STATUS_SOME_NOT_MAPPED = 0x00000107, STATUS_NONE_MAPPED = 0xC0000073;
    static final int ACCESS_DENIED = 5;
    static final List<String> NAMES = List.of("rpcuser", "RPCTEST\\Administrator", "Domain Admins", "RPCTEST", "Administrators",
            "nosuchname");
    static final List<String> SIDS = List.of("S-1-5-32-544", "S-1-5-18", "S-1-1-0", "S-1-5-21-1-2-3-4");

    static <T> T call(SambaCapture capture, String label, Function<Lsarpc.Client, T> f) {
        CapturedBinding b = CapturedBinding.of(capture, label);
        try {
            return f.apply(Lsarpc.client(b));
        } finally {
            b.assertSentSambasRequest();
        }
    }

    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static List<RpcUnicodeString> unicode(List<String> names) {
        return names.stream().map(LsarpcSambaCaptureTest::unicode).toList();
    }

    static RpcSid sid(String text) {
        String[] f = text.split("-");
        byte[] authority = new byte[6];
        authority[5] = (byte) Integer.parseInt(f[2]);
        int[] subs = Arrays.stream(f, 3, f.length).mapToInt(Integer::parseUnsignedInt).toArray();
        return new RpcSid((byte) 1, (byte) subs.length, new SidIdentifierAuthority(authority), subs);
    }

    static String text(RpcSid sid) {
        long authority = 0;
        for (byte b : sid.identifierAuthority().valueValue()) authority = authority << 8 | (b & 0xff);
        StringBuilder sb = new StringBuilder("S-" + sid.revision() + "-" + authority);
        for (int sub : sid.subAuthority()) sb.append('-').append(Integer.toUnsignedString(sub));
        return sb.toString();
    }

    static LsaprSidEnumBuffer sids() {
        return new LsaprSidEnumBuffer(SIDS.size(), SIDS.stream().map(s -> new LsaprSidInformation(sid(s))).toList());
    }

    /** MS-LSAD 3.1.4.4.1: the attributes are ignored; Samba's client sends them all zero. */
    static LsaprObjectAttributes noAttributes() {
        return new LsaprObjectAttributes(0, null, null, 0, null, null);
    }

    @Test
    void policyWalkOverTheNamedPipe() {
        LsaprHandle policy = call(NP, "open-policy2", l -> l.lsarOpenPolicy2("\\\\RPCDC", noAttributes(), MAXIMUM_ALLOWED))
                .policyHandle();
        assertFalse(policy.handle().isNull());

        var primary = assertInstanceOf(LsaprPolicyInformation.PolicyPrimaryDomainInfo.class, call(NP, "query-info-policy-3",
                l -> l.lsarQueryInformationPolicy(policy, PolicyInformationClass.PolicyPrimaryDomainInformation))
                .policyInformation()).policyPrimaryDomainInfo();
        assertEquals("RPCTEST", primary.name().buffer());
        String domainSid = text(primary.sid());
        assertTrue(domainSid.matches("S-1-5-21-\\d+-\\d+-\\d+"), domainSid);
        var account = assertInstanceOf(LsaprPolicyInformation.PolicyAccountDomainInfo.class, call(NP, "query-info-policy-5",
                l -> l.lsarQueryInformationPolicy(policy, PolicyInformationClass.PolicyAccountDomainInformation))
                .policyInformation()).policyAccountDomainInfo();
        assertEquals(domainSid, text(account.domainSid()));
        var dns = assertInstanceOf(LsaprPolicyInformation.PolicyDnsDomainInfo.class, call(NP, "query-info-policy2-12",
                l -> l.lsarQueryInformationPolicy2(policy, PolicyInformationClass.PolicyDnsDomainInformation))
                .policyInformation()).policyDnsDomainInfo();
        assertEquals("rpctest.local", dns.dnsDomainName().buffer());
        assertEquals(domainSid, text(dns.sid()));
        for (int level : new int[] {1, 2, 4, 6, 7, 12, 13, 14}) {
            var r = call(NP, "query-info-policy-" + level, l -> l.lsarQueryInformationPolicy(policy, PolicyInformationClass.of(level)));
            assertEquals(STATUS_SUCCESS, r.result(), "level " + level);
            assertEquals(level, r.policyInformation().discriminant());
        }

        var names = call(NP, "lookup-names", l -> l.lsarLookupNames(policy, NAMES.size(), unicode(NAMES),
                new LsaprTranslatedSids(0, null), LsapLookupLevel.LsapLookupWksta, 0));
        assertEquals(STATUS_SOME_NOT_MAPPED, names.result());
        assertEquals(5, names.mappedCountOut());
        var translated = names.translatedSidsOut().sids();
        assertEquals(List.of(SidNameUse.SidTypeUser, SidNameUse.SidTypeUser, SidNameUse.SidTypeGroup, SidNameUse.SidTypeDomain,
                SidNameUse.SidTypeAlias, SidNameUse.SidTypeUnknown), translated.stream().map(t -> t.use()).toList());
        assertEquals(500, translated.get(1).relativeId());
        assertEquals(512, translated.get(2).relativeId());
        assertEquals(STATUS_NONE_MAPPED, call(NP, "lookup-names-none-mapped", l -> l.lsarLookupNames(policy, 1,
                unicode(List.of("nosuchname")), new LsaprTranslatedSids(0, null), LsapLookupLevel.LsapLookupWksta, 0)).result());
        var names3 = call(NP, "lookup-names3", l -> l.lsarLookupNames3(policy, NAMES.size(), unicode(NAMES),
                new LsaprTranslatedSidsEx2(0, null), LsapLookupLevel.LsapLookupWksta, 0, 0, 2));
        assertEquals(domainSid + "-500", text(names3.translatedSidsOut().sids().get(1).sid()));

        var back = call(NP, "lookup-sids", l -> l.lsarLookupSids(policy, sids(), new LsaprTranslatedNames(0, null),
                LsapLookupLevel.LsapLookupWksta, 0));
        assertEquals(STATUS_SOME_NOT_MAPPED, back.result());
        assertEquals(List.of("Administrators", "SYSTEM", "Everyone", "S-1-5-21-1-2-3-4"),
                back.translatedNamesOut().names().stream().map(n -> n.name().buffer()).toList());
        assertEquals(List.of("BUILTIN", "NT AUTHORITY", ""),
                back.referencedDomains().domains().stream().map(d -> d.name().buffer() == null ? "" : d.name().buffer()).toList());
        var back2 = call(NP, "lookup-sids2", l -> l.lsarLookupSids2(policy, sids(), new LsaprTranslatedNamesEx(0, null),
                LsapLookupLevel.LsapLookupWksta, 0, 0, 2));
        assertEquals("Administrators", back2.translatedNamesOut().names().get(0).name().buffer());

        var user = call(NP, "get-user-name", l -> l.lsarGetUserName(null, null, null));
        assertEquals(STATUS_SUCCESS, user.result());
        assertEquals("Administrator", user.userNameOut().buffer());

        var closed = call(NP, "close-policy2", l -> l.lsarClose(policy));
        assertEquals(STATUS_SUCCESS, closed.result());
        assertTrue(closed.objectHandleOut().handle().isNull());
    }

    /** Over TCP: the translations on a secure channel (the stubs were sealed; the capture script decrypted them). */
    @Test
    void lookupsOverTcpWithSchannel() {
        var names4 = call(TCP, "schannel-lookup-names4", l -> l.lsarLookupNames4(5,
                unicode(List.of("rpcuser", "RPCTEST\\Administrator", "Domain Admins", "RPCTEST", "nosuchname")),
                new LsaprTranslatedSidsEx2(0, null), LsapLookupLevel.LsapLookupWksta, 0, 0, 2));
        assertEquals(STATUS_SOME_NOT_MAPPED, names4.result());
        assertEquals(4, names4.mappedCountOut());
        assertTrue(text(names4.translatedSidsOut().sids().get(1).sid()).endsWith("-500"));
        var sids3 = call(TCP, "schannel-lookup-sids3", l -> l.lsarLookupSids3(sids(), new LsaprTranslatedNamesEx(0, null),
                LsapLookupLevel.LsapLookupWksta, 0, 0, 2));
        assertEquals(STATUS_SOME_NOT_MAPPED, sids3.result());
        assertEquals("Everyone", sids3.translatedNamesOut().names().get(2).name().buffer());
    }

    /** What Samba refuses over TCP: the policy handle even on a secure channel, the lookups without one. */
    @Test
    void refusalsOverTcp() {
        for (String label : List.of("schannel-open-policy2", "anonymous-open-policy2")) {
            RpcFaultException f = assertThrows(RpcFaultException.class,
                    () -> call(TCP, label, l -> l.lsarOpenPolicy2("\\\\RPCDC", noAttributes(), MAXIMUM_ALLOWED)));
            assertEquals(ACCESS_DENIED, f.status(), label);
        }
        RpcFaultException f = assertThrows(RpcFaultException.class, () -> call(TCP, "anonymous-lookup-sids3",
                l -> l.lsarLookupSids3(sids(), new LsaprTranslatedNamesEx(0, null), LsapLookupLevel.LsapLookupWksta, 0, 0, 2)));
        assertEquals(ACCESS_DENIED, f.status());
    }
}
