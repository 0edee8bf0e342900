package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.lsarpc.Lsarpc;
import dev.weft.interfaces.lsarpc.Lsarpc.LsapLookupLevel;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprHandle;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprObjectAttributes;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprPolicyInformation;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprPolicyPrivilegeDef;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprReferencedDomainList;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprSidEnumBuffer;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprSidInformation;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedNames;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedNamesEx;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedSids;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedSidsEx2;
import dev.weft.interfaces.lsarpc.Lsarpc.PolicyInformationClass;
import dev.weft.interfaces.lsarpc.Lsarpc.RpcSid;
import dev.weft.interfaces.lsarpc.Lsarpc.RpcUnicodeString;
import dev.weft.interfaces.lsarpc.Lsarpc.SidNameUse;
import dev.weft.ndr.Pointer;
import dev.weft.security.SecurityProvider;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated lsarpc client ({@code interfaces/src/main/idl/ms-lsad.idl}) against the Samba AD DC, sealed with
 * NTLMSSP and SPNEGO: the policy object, name and SID translation both ways, privileges, trusts, every answer checked
 * against what the provisioned domain holds. Over ncalrpc, since Samba refuses the policy-handle methods over TCP
 * (also checked here), as MS-LSAT 2.1 says clients must not use them there.
 */
class LsarpcAgainstSambaTest {
    static final String USER = "rpcuser", PASSWORD = "RpcTest-Passw0rd1", DOMAIN = "RPCTEST", DNS_DOMAIN = "rpctest.local";
    static final int MAXIMUM_ALLOWED = 0x02000000, POLICY_LOOKUP_NAMES = 0x00000800, POLICY_VIEW_LOCAL_INFORMATION = 0x00000001;
    static final int STATUS_SUCCESS = 0, STATUS_MORE_ENTRIES = 0x00000105, STATUS_NO_MORE_ENTRIES = 0x8000001A;
    static final int STATUS_SOME_NOT_MAPPED = 0x00000107;
    static final int OWNER_SECURITY_INFORMATION = 1, GROUP_SECURITY_INFORMATION = 2, DACL_SECURITY_INFORMATION = 4;

    /** Samba's ncalrpc DEFAULT endpoint, which serves lsarpc, through a private link (SambaDc.ncalrpcTransports). */
    @BeforeAll
    static void samba() {
        SambaDc.ensureRunning();
        transports = SambaDc.ncalrpcTransports();
    }

    static dev.weft.transport.Transports transports;

    static SecurityProvider mechanism(String name) {
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password(DOMAIN, USER, PASSWORD));
        return name.equals("spnego") ? SpnegoProvider.ntlm(ntlm) : ntlm;
    }

    /**
     * Samba follows MS-LSAT 2.1: over TCP only LsarLookupNames4 and LsarLookupSids3 are served (the rest are for
     * named pipes), so the policy-handle calls go over ncalrpc, Samba's local endpoint.
     */
    static RpcClient connect(String mechanism, int level) {
        return RpcClient.connect("ncalrpc:[DEFAULT]", options(mechanism, level));
    }

    static ClientOptions options(String mechanism, int level) {
        return ClientOptions.DEFAULT.withTransports(transports).withAuth(new ClientAuth(mechanism(mechanism), level, null));
    }

    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static String text(RpcUnicodeString s) {
        return s == null || s.buffer() == null ? "" : s.buffer();
    }

    static String sid(RpcSid sid) {
        long authority = 0;
        for (byte b : sid.identifierAuthority().valueValue()) authority = authority << 8 | (b & 0xff);
        StringBuilder sb = new StringBuilder("S-" + sid.revision() + "-" + authority);
        for (int sub : sid.subAuthority()) sb.append('-').append(Integer.toUnsignedString(sub));
        return sb.toString();
    }

    static RpcSid child(RpcSid domain, int rid) {
        int[] subs = Arrays.copyOf(domain.subAuthority(), domain.subAuthority().length + 1);
        subs[subs.length - 1] = rid;
        return new RpcSid(domain.revision(), (byte) subs.length, domain.identifierAuthority(), subs);
    }

    /** MS-LSAD 3.1.4.4.1: the object attributes are ignored but for RootDirectory, which must be NULL. */
    static LsaprObjectAttributes noAttributes() {
        return new LsaprObjectAttributes(24, null, null, 0, null, null);
    }

    static LsaprHandle openPolicy(Lsarpc.Client lsa, int access) {
        Lsarpc.LsarOpenPolicy2Result opened = lsa.lsarOpenPolicy2("\\\\rpcdc", noAttributes(), access);
        assertEquals(STATUS_SUCCESS, opened.result(), "LsarOpenPolicy2: 0x" + Integer.toHexString(opened.result()));
        assertFalse(opened.policyHandle().handle().isNull());
        return opened.policyHandle();
    }

    static void close(Lsarpc.Client lsa, LsaprHandle handle) {
        Lsarpc.LsarCloseResult closed = lsa.lsarClose(handle);
        assertEquals(STATUS_SUCCESS, closed.result(), "LsarClose");
        assertTrue(closed.objectHandleOut().handle().isNull(), "the server hands back a null handle");
    }

    /**
     * OpenPolicy2 → QueryInformationPolicy (primary, account, DNS domain) → LookupNames / LookupSids and the 2/3
     * variants → GetUserName → EnumeratePrivileges, LookupPrivilegeValue/Name → EnumerateTrustedDomainsEx →
     * QuerySecurityObject → Close.
     */
    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"ntlm, 6", "spnego, 6"})
    void aDirectoryToolWalkThroughLsarpc(String mechanism, int level) {
        try (RpcClient client = connect(mechanism, level)) {
            Lsarpc.Client lsa = Lsarpc.client(client.bind(Lsarpc.INTERFACE_ID));
            LsaprHandle policy = openPolicy(lsa, MAXIMUM_ALLOWED);

            // The policy object: the DC's primary domain, account domain and DNS domain are all RPCTEST.
            Lsarpc.LsarQueryInformationPolicyResult primary = lsa.lsarQueryInformationPolicy(policy,
                    PolicyInformationClass.PolicyPrimaryDomainInformation);
            assertEquals(STATUS_SUCCESS, primary.result());
            Lsarpc.LsaprPolicyPrimaryDomInfo p = assertInstanceOf(LsaprPolicyInformation.PolicyPrimaryDomainInfo.class,
                    primary.policyInformation()).policyPrimaryDomainInfo();
            assertEquals(DOMAIN, text(p.name()));
            RpcSid domainSid = p.sid();
            String domainSidText = sid(domainSid);
            assertTrue(domainSidText.startsWith("S-1-5-21-") && domainSid.subAuthority().length == 4, domainSidText);

            Lsarpc.LsarQueryInformationPolicyResult account = lsa.lsarQueryInformationPolicy(policy,
                    PolicyInformationClass.PolicyAccountDomainInformation);
            assertEquals(STATUS_SUCCESS, account.result());
            Lsarpc.LsaprPolicyAccountDomInfo a = assertInstanceOf(LsaprPolicyInformation.PolicyAccountDomainInfo.class,
                    account.policyInformation()).policyAccountDomainInfo();
            assertEquals(DOMAIN, text(a.domainName()));
            assertEquals(domainSidText, sid(a.domainSid()));

            Lsarpc.LsarQueryInformationPolicy2Result dns = lsa.lsarQueryInformationPolicy2(policy,
                    PolicyInformationClass.PolicyDnsDomainInformation);
            assertEquals(STATUS_SUCCESS, dns.result());
            Lsarpc.LsaprPolicyDnsDomainInfo d = assertInstanceOf(LsaprPolicyInformation.PolicyDnsDomainInfo.class,
                    dns.policyInformation()).policyDnsDomainInfo();
            assertEquals(DOMAIN, text(d.name()));
            assertTrue(text(d.dnsDomainName()).equalsIgnoreCase(DNS_DOMAIN), text(d.dnsDomainName()));
            assertTrue(text(d.dnsForestName()).equalsIgnoreCase(DNS_DOMAIN), text(d.dnsForestName()));
            assertEquals(domainSidText, sid(d.sid()));
            assertFalse(d.domainGuid().toString().equals("00000000-0000-0000-0000-000000000000"), "a domain GUID");
            System.out.println("[" + mechanism + "] domain " + text(d.name()) + " " + text(d.dnsDomainName()) + " "
                    + domainSidText + " guid " + d.domainGuid());

            // Names to SIDs (LookupNames, opnum 14): one referenced domain, RIDs relative to it.
            List<RpcUnicodeString> names = List.of(unicode("Administrator"), unicode(USER));
            Lsarpc.LsarLookupNamesResult looked = lsa.lsarLookupNames(policy, 2, names, new LsaprTranslatedSids(0, null),
                    LsapLookupLevel.LsapLookupWksta, 0);
            assertEquals(STATUS_SUCCESS, looked.result(), "LsarLookupNames: 0x" + Integer.toHexString(looked.result()));
            assertEquals(2, looked.mappedCountOut());
            LsaprReferencedDomainList referenced = looked.referencedDomains();
            assertEquals(1, referenced.entries());
            assertEquals(DOMAIN, text(referenced.domains().get(0).name()));
            assertEquals(domainSidText, sid(referenced.domains().get(0).sid()));
            var translated = looked.translatedSidsOut().sids();
            assertEquals(500, translated.get(0).relativeId());
            assertEquals(SidNameUse.SidTypeUser, translated.get(0).use());
            assertEquals(0, translated.get(0).domainIndex());
            int userRid = translated.get(1).relativeId();
            assertEquals(SidNameUse.SidTypeUser, translated.get(1).use());
            assertTrue(userRid >= 1000, "rpcuser's RID " + userRid);

            // And back (LookupSids, opnum 15): the SIDs built from the domain SID give the names again.
            RpcSid adminSid = child(domainSid, 500), userSid = child(domainSid, userRid);
            LsaprSidEnumBuffer sids = new LsaprSidEnumBuffer(2, List.of(new LsaprSidInformation(adminSid), new LsaprSidInformation(userSid)));
            Lsarpc.LsarLookupSidsResult back = lsa.lsarLookupSids(policy, sids, new LsaprTranslatedNames(0, null),
                    LsapLookupLevel.LsapLookupWksta, 0);
            assertEquals(STATUS_SUCCESS, back.result());
            assertEquals("Administrator", text(back.translatedNamesOut().names().get(0).name()));
            assertEquals(USER, text(back.translatedNamesOut().names().get(1).name()));
            assertEquals(DOMAIN, text(back.referencedDomains().domains().get(back.translatedNamesOut().names().get(1).domainIndex()).name()));

            // LookupNames3 (opnum 68) gives whole SIDs; LookupSids2 (opnum 57) takes them back.
            Lsarpc.LsarLookupNames3Result three = lsa.lsarLookupNames3(policy, 3,
                    List.of(unicode(DOMAIN + "\\" + USER), unicode("Administrator"), unicode("no-such-user-here")),
                    new LsaprTranslatedSidsEx2(0, null), LsapLookupLevel.LsapLookupWksta, 0, 0, 2);
            assertEquals(STATUS_SOME_NOT_MAPPED, three.result(), "one of three names does not exist");
            assertEquals(2, three.mappedCountOut());
            var sidsEx2 = three.translatedSidsOut().sids();
            assertEquals(sid(userSid), sid(sidsEx2.get(0).sid()));
            assertEquals(sid(adminSid), sid(sidsEx2.get(1).sid()));
            assertEquals(SidNameUse.SidTypeUnknown, sidsEx2.get(2).use());

            Lsarpc.LsarLookupSids2Result two = lsa.lsarLookupSids2(policy,
                    new LsaprSidEnumBuffer(1, List.of(new LsaprSidInformation(sidsEx2.get(0).sid()))),
                    new LsaprTranslatedNamesEx(0, null), LsapLookupLevel.LsapLookupWksta, 0, 0, 2);
            assertEquals(STATUS_SUCCESS, two.result());
            assertEquals(USER, text(two.translatedNamesOut().names().get(0).name()));
            assertEquals(SidNameUse.SidTypeUser, two.translatedNamesOut().names().get(0).use());

            // Who am I (GetUserName, opnum 45): the authenticated user. DomainName absent asks for the user only;
            // present and pointing at nothing (Pointer.toNull(): two referent ids, the inner one 0) asks for the
            // domain too, which comes back in the same place (a present inner RPC_UNICODE_STRING is
            // STATUS_INVALID_PARAMETER, see anonymous()).
            Lsarpc.LsarGetUserNameResult me = lsa.lsarGetUserName(null, null, null);
            assertEquals(STATUS_SUCCESS, me.result());
            assertEquals(USER, text(me.userNameOut()));
            assertEquals(null, me.domainNameOut());
            Lsarpc.LsarGetUserNameResult meAndDomain = lsa.lsarGetUserName(null, null, Pointer.toNull());
            assertEquals(STATUS_SUCCESS, meAndDomain.result());
            assertEquals(USER, text(meAndDomain.userNameOut()));
            assertEquals(DOMAIN, text(meAndDomain.domainNameOut().target()), "the domain, asked for by a pointer to null");

            // Privileges: the enumeration to its end, then a name and its LUID both ways.
            Map<String, Long> privileges = new TreeMap<>();
            int context = 0;
            for (int calls = 0; calls < 100; calls++) {
                Lsarpc.LsarEnumeratePrivilegesResult page = lsa.lsarEnumeratePrivileges(policy, context, 512);
                if (page.result() == STATUS_NO_MORE_ENTRIES) break;
                assertTrue(page.result() == STATUS_SUCCESS || page.result() == STATUS_MORE_ENTRIES,
                        "LsarEnumeratePrivileges: 0x" + Integer.toHexString(page.result()));
                if (page.enumerationBuffer().privileges() == null) {   // the end, as an empty successful page
                    assertEquals(0, page.enumerationBuffer().entries());
                    break;
                }
                for (LsaprPolicyPrivilegeDef def : page.enumerationBuffer().privileges()) {
                    privileges.put(text(def.name()), (long) def.localValue().highPart() << 32 | (def.localValue().lowPart() & 0xffffffffL));
                }
                context = page.enumerationContextOut();
                if (page.result() == STATUS_SUCCESS && page.enumerationBuffer().entries() == 0) break;
            }
            System.out.println("[" + mechanism + "] " + privileges.size() + " privileges: " + privileges.keySet());
            assertTrue(privileges.containsKey("SeShutdownPrivilege"), "privileges: " + privileges.keySet());
            assertTrue(privileges.containsKey("SeMachineAccountPrivilege"), "privileges: " + privileges.keySet());
            Lsarpc.LsarLookupPrivilegeValueResult value = lsa.lsarLookupPrivilegeValue(policy, unicode("SeShutdownPrivilege"));
            assertEquals(STATUS_SUCCESS, value.result());
            assertEquals((long) privileges.get("SeShutdownPrivilege"), (long) value.value().highPart() << 32 | (value.value().lowPart() & 0xffffffffL));
            Lsarpc.LsarLookupPrivilegeNameResult name = lsa.lsarLookupPrivilegeName(policy, value.value());
            assertEquals(STATUS_SUCCESS, name.result());
            assertEquals("SeShutdownPrivilege", text(name.name()));

            // Trusts: the test domain has none.
            Lsarpc.LsarEnumerateTrustedDomainsExResult trusts = lsa.lsarEnumerateTrustedDomainsEx(policy, 0, 0xffff);
            System.out.println("[" + mechanism + "] EnumerateTrustedDomainsEx: 0x" + Integer.toHexString(trusts.result())
                    + ", " + trusts.enumerationBuffer());
            assertEquals(STATUS_NO_MORE_ENTRIES, trusts.result());
            assertEquals(0, trusts.enumerationBuffer().entriesRead());

            // The policy object's security descriptor: a self-relative SECURITY_DESCRIPTOR, revision 1.
            Lsarpc.LsarQuerySecurityObjectResult sd = lsa.lsarQuerySecurityObject(policy,
                    OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION);
            assertEquals(STATUS_SUCCESS, sd.result());
            byte[] descriptor = sd.securityDescriptor().securityDescriptor();
            assertEquals(sd.securityDescriptor().length(), descriptor.length);
            assertEquals(1, descriptor[0], "SECURITY_DESCRIPTOR revision");
            assertTrue((descriptor[2] & 0x04) != 0 && (descriptor[3] & 0x80) != 0, "SE_DACL_PRESENT and SE_SELF_RELATIVE");

            close(lsa, policy);
        }
    }

    /** The same policy handle serves LookupNames2 (opnum 58) and the older LsarOpenPolicy (opnum 6, one character). */
    @Test
    void lookupNames2AndTheOldOpenPolicy() {
        try (RpcClient client = connect("ntlm", 6)) {
            Lsarpc.Client lsa = Lsarpc.client(client.bind(Lsarpc.INTERFACE_ID));
            Lsarpc.LsarOpenPolicyResult old = lsa.lsarOpenPolicy('\\', noAttributes(), POLICY_LOOKUP_NAMES);
            assertEquals(STATUS_SUCCESS, old.result());
            Lsarpc.LsarLookupNames2Result r = lsa.lsarLookupNames2(old.policyHandle(), 1, List.of(unicode("krbtgt")),
                    new Lsarpc.LsaprTranslatedSidsEx(0, null), LsapLookupLevel.LsapLookupWksta, 0, 0, 2);
            assertEquals(STATUS_SUCCESS, r.result());
            assertEquals(502, r.translatedSidsOut().sids().get(0).relativeId());
            close(lsa, old.policyHandle());
        }
    }

    /**
     * Samba follows MS-LSAT 2.1 over TCP: LsarOpenPolicy2 is refused with fault 0x5 (nca_s_fault_access_denied /
     * ERROR_ACCESS_DENIED) even for a sealed, authenticated client, and so is LsarLookupNames4, which Samba serves over
     * TCP only to a netlogon secure channel (schannel).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ntlm", "spnego"})
    void overTcpOnlyTheSchannelLookupsAreServed(String mechanism) {
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, options(mechanism, 6))) {
            Lsarpc.Client lsa = Lsarpc.client(client.bind(Lsarpc.INTERFACE_ID));
            RpcFaultException open = assertThrows(RpcFaultException.class,
                    () -> lsa.lsarOpenPolicy2(null, noAttributes(), MAXIMUM_ALLOWED));
            assertEquals(0x5, open.status());
            RpcFaultException four = assertThrows(RpcFaultException.class, () -> lsa.lsarLookupNames4(1,
                    List.of(unicode("Administrator")), new LsaprTranslatedSidsEx2(0, null), LsapLookupLevel.LsapLookupWksta, 0, 0, 2));
            assertEquals(0x5, four.status());
        }
    }

    /**
     * What Samba gives a client that does not authenticate: over ncalrpc, a policy handle, the primary domain and name
     * lookups (anonymous LSA lookups are allowed by default), GetUserName as ANONYMOUS LOGON, STATUS_INVALID_PARAMETER
     * when DomainName arrives as a present RPC_UNICODE_STRING; over TCP, fault 0x5 for everything.
     */
    @Test
    void anonymous() {
        try (RpcClient client = RpcClient.connect("ncalrpc:[DEFAULT]", ClientOptions.DEFAULT.withTransports(transports))) {
            Lsarpc.Client lsa = Lsarpc.client(client.bind(Lsarpc.INTERFACE_ID));
            LsaprHandle policy = openPolicy(lsa, MAXIMUM_ALLOWED);
            Lsarpc.LsarQueryInformationPolicyResult q = lsa.lsarQueryInformationPolicy(policy,
                    PolicyInformationClass.PolicyPrimaryDomainInformation);
            assertEquals(STATUS_SUCCESS, q.result());
            assertEquals(DOMAIN, text(assertInstanceOf(LsaprPolicyInformation.PolicyPrimaryDomainInfo.class,
                    q.policyInformation()).policyPrimaryDomainInfo().name()));
            Lsarpc.LsarLookupNamesResult n = lsa.lsarLookupNames(policy, 1, List.of(unicode("Administrator")),
                    new LsaprTranslatedSids(0, null), LsapLookupLevel.LsapLookupWksta, 0);
            assertEquals(STATUS_SUCCESS, n.result());
            assertEquals(500, n.translatedSidsOut().sids().get(0).relativeId());
            Lsarpc.LsarGetUserNameResult me = lsa.lsarGetUserName(null, null, null);
            System.out.println("anonymous GetUserName: 0x" + Integer.toHexString(me.result()) + " " + me.userNameOut());
            assertEquals(STATUS_SUCCESS, me.result());
            assertEquals("ANONYMOUS LOGON", text(me.userNameOut()));
            assertEquals(0xC000000D, lsa.lsarGetUserName(null, null, Pointer.to(new RpcUnicodeString((short) 0, (short) 0, null))).result(),
                    "STATUS_INVALID_PARAMETER");
            close(lsa, policy);
        }
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, ClientOptions.DEFAULT)) {
            Lsarpc.Client lsa = Lsarpc.client(client.bind(Lsarpc.INTERFACE_ID));
            assertEquals(0x5, assertThrows(RpcFaultException.class,
                    () -> lsa.lsarOpenPolicy2(null, noAttributes(), MAXIMUM_ALLOWED)).status());
        }
    }
}
