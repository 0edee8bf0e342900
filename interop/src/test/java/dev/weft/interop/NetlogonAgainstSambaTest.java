package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcBindException;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.dssetup.Dssetup;
import dev.weft.interfaces.dssetup.Dssetup.DsroleMachineRole;
import dev.weft.interfaces.dssetup.Dssetup.DsrolePrimaryDomainInfoLevel;
import dev.weft.interfaces.dssetup.Dssetup.DsrolerPrimaryDomainInformation;
import dev.weft.interfaces.netlogon.Netlogon;
import dev.weft.interfaces.netlogon.Netlogon.DomainControllerInfow;
import dev.weft.interfaces.netlogon.Netlogon.DsDomainTrustsw;
import dev.weft.interfaces.netlogon.Netlogon.LsaForestTrustRecord;
import dev.weft.interfaces.netlogon.Netlogon.LsaForestTrustRecordType;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonAuthenticator;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonControlDataInformation;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonControlQueryInformation;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonCredential;
import dev.weft.interfaces.netlogon.Netlogon.NlSocketAddress;
import dev.weft.interfaces.netlogon.Netlogon.RpcSid;
import dev.weft.interfaces.netlogon.Netlogon.UnicodeString;
import dev.weft.pdu.FaultStatus;
import dev.weft.ndr.TransferSyntax;
import dev.weft.security.SecurityProvider;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated netlogon client ({@code interfaces/src/main/idl/ms-nrpc.idl}) against the Samba AD DC, on the TCP
 * endpoint the endpoint mapper gives: what a member machine asks before it has a secure channel (challenge, DC
 * location, site, trusts), unauthenticated and with NTLMSSP/SPNEGO at integrity and privacy, every answer checked
 * against the provisioned domain (RPCTEST / rpctest.local, DC rpcdc, site Default-First-Site-Name).
 */
class NetlogonAgainstSambaTest {
    static final String DOMAIN = "RPCTEST", DNS_DOMAIN = "rpctest.local", DC = "RPCDC";
    static final String SITE = "Default-First-Site-Name";
    static final int NERR_SUCCESS = 0, ERROR_ACCESS_DENIED = 5, ERROR_NO_SUCH_DOMAIN = 1355;
    static final int STATUS_NOT_FOUND = 0xC0000225;
    // MS-NRPC 2.2.1.2.1 DOMAIN_CONTROLLER_INFOW Flags and DomainControllerAddressType.
    static final int DS_PDC_FLAG = 0x1, DS_DS_FLAG = 0x10, DS_KDC_FLAG = 0x20, DS_WRITABLE_FLAG = 0x100;
    static final int DS_DNS_CONTROLLER_FLAG = 0x20000000, DS_DNS_DOMAIN_FLAG = 0x40000000, DS_DNS_FOREST_FLAG = 0x80000000;
    static final int DS_INET_ADDRESS = 1;
    // 3.5.4.3.1 DsrGetDcNameEx2 Flags; 3.5.4.7.1 DsrEnumerateDomainTrusts Flags and DS_DOMAIN_TRUSTSW.Flags.
    static final int DS_RETURN_DNS_NAME = 0x40000000;
    static final int DS_DOMAIN_IN_FOREST = 0x1, DS_DOMAIN_TREE_ROOT = 0x4, DS_DOMAIN_PRIMARY = 0x8, DS_DOMAIN_NATIVE_MODE = 0x10;
    static final int DS_DOMAIN_VALID_FLAGS = 0x3f, TRUST_TYPE_UPLEVEL = 2;
    static final int NETLOGON_CONTROL_QUERY = 1;

    @BeforeAll
    static void samba() {
        SambaDc.ensureRunning();
    }

    static RpcClient anonymous() {
        return RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST);   // no port: ept_map gives netlogon's endpoint
    }

    static RpcClient authenticated(String mechanism, int level) {
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password(DOMAIN, SamrAgainstSambaTest.USER,
                SamrAgainstSambaTest.PASSWORD));
        SecurityProvider p = mechanism.equals("spnego") ? SpnegoProvider.ntlm(ntlm) : ntlm;
        return RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, ClientOptions.DEFAULT.withAuth(new ClientAuth(p, level, null)));
    }

    static Netlogon.Client netlogon(RpcClient client) {
        BindingHandle h = client.bind(Netlogon.INTERFACE_ID);
        assertEquals(TransferSyntax.NDR20, h.syntax(), "Samba speaks NDR only");
        return Netlogon.client(h);
    }

    static String text(UnicodeString s) {
        if (s.buffer() == null) return null;
        char[] c = new char[s.length() / 2];
        for (int i = 0; i < c.length; i++) c[i] = (char) s.buffer()[i];
        return new String(c);
    }

    static String sid(RpcSid sid) {
        long authority = 0;
        for (byte b : sid.identifierAuthority().valueValue()) authority = authority << 8 | (b & 0xff);
        StringBuilder sb = new StringBuilder("S-" + sid.revision() + "-" + authority);
        for (int sub : sid.subAuthority()) sb.append('-').append(Integer.toUnsignedString(sub));
        return sb.toString();
    }

    static void assertFlags(int expected, int actual) {
        assertEquals(expected, actual & expected, "flags 0x" + Integer.toHexString(actual) + " lack 0x" + Integer.toHexString(expected));
    }

    /** The case: a challenge for anyone, 8 random bytes, new each time (MS-NRPC 3.5.4.4.1). */
    @Test
    void serverReqChallengeUnauthenticatedGivesAFreshEightByteChallenge() {
        try (RpcClient client = anonymous()) {
            Netlogon.Client n = netlogon(client);
            byte[] clientChallenge = {1, 2, 3, 4, 5, 6, 7, 8};
            Netlogon.NetrServerReqChallengeResult first = n.netrServerReqChallenge("\\\\" + DC.toLowerCase(), "WEFTTEST",
                    new NetlogonCredential(clientChallenge));
            Netlogon.NetrServerReqChallengeResult second = n.netrServerReqChallenge(null, "WEFTTEST",
                    new NetlogonCredential(clientChallenge));
            assertEquals(0, first.result(), "STATUS_SUCCESS");
            assertEquals(0, second.result(), "STATUS_SUCCESS, with a null PrimaryName too");
            assertEquals(8, first.serverChallenge().data().length);
            assertEquals(8, second.serverChallenge().data().length);
            assertFalse(Arrays.equals(new byte[8], first.serverChallenge().data()), "not all zero");
            assertFalse(Arrays.equals(first.serverChallenge().data(), second.serverChallenge().data()), "a new challenge per call");
            assertFalse(Arrays.equals(clientChallenge, first.serverChallenge().data()), "not an echo");
        }
    }

    /**
     * DC location needs no authentication on Samba: DsrGetDcNameEx2, DsrGetDcNameEx and DsrGetDcName all name
     * this DC, its address and site; with DS_RETURN_DNS_NAME the names are DNS names.
     */
    @Test
    void dcLocationUnauthenticated() {
        try (RpcClient client = anonymous()) {
            Netlogon.Client n = netlogon(client);
            Netlogon.DsrGetDcNameEx2Result ex2 = n.dsrGetDcNameEx2(null, null, 0, null, null, null, 0);
            assertEquals(NERR_SUCCESS, ex2.result());
            DomainControllerInfow dc = ex2.domainControllerInfo();
            assertEquals("\\\\" + DC, dc.domainControllerName());
            assertEquals("\\\\" + SambaDc.HOST, dc.domainControllerAddress());
            assertEquals(DS_INET_ADDRESS, dc.domainControllerAddressType());
            assertEquals(DOMAIN, dc.domainName(), "NetBIOS name unless DS_RETURN_DNS_NAME");
            assertEquals(DNS_DOMAIN, dc.dnsForestName());
            assertEquals(SITE, dc.dcSiteName());
            assertEquals(SITE, dc.clientSiteName());
            assertFlags(DS_PDC_FLAG | DS_DS_FLAG | DS_KDC_FLAG | DS_WRITABLE_FLAG | DS_DNS_FOREST_FLAG, dc.flags());
            assertFalse(dc.domainGuid().equals(dev.weft.ndr.Uuid.NIL), "an AD domain has a GUID");

            DomainControllerInfow dns = n.dsrGetDcNameEx2("\\\\rpcdc", null, 0, DNS_DOMAIN, null, null, DS_RETURN_DNS_NAME)
                    .domainControllerInfo();
            assertEquals("\\\\" + DC.toLowerCase() + "." + DNS_DOMAIN, dns.domainControllerName());
            assertEquals(DNS_DOMAIN, dns.domainName());
            assertEquals(dc.domainGuid(), dns.domainGuid());
            assertFlags(DS_DNS_CONTROLLER_FLAG | DS_DNS_DOMAIN_FLAG | DS_DNS_FOREST_FLAG, dns.flags());

            Netlogon.DsrGetDcNameExResult ex = n.dsrGetDcNameEx(null, DOMAIN, null, null, 0);
            assertEquals(NERR_SUCCESS, ex.result());
            assertEquals(dc, ex.domainControllerInfo(), "DsrGetDcNameEx answers as DsrGetDcNameEx2");
            Netlogon.DsrGetDcNameResult plain = n.dsrGetDcName(null, DOMAIN, null, null, 0);
            assertEquals(NERR_SUCCESS, plain.result());
            assertEquals(dc, plain.domainControllerInfo());

            Netlogon.DsrGetSiteNameResult site = n.dsrGetSiteName(null);
            assertEquals(NERR_SUCCESS, site.result());
            assertEquals(SITE, site.siteName());
        }
    }

    /** The NT4-era calls: NetrGetDCName names the PDC; NetrGetAnyDCName only answers for trusted domains. */
    @Test
    void nt4DcNamesUnauthenticated() {
        try (RpcClient client = anonymous()) {
            Netlogon.Client n = netlogon(client);
            Netlogon.NetrGetDCNameResult pdc = n.netrGetDCName("\\\\rpcdc", DOMAIN);
            assertEquals(NERR_SUCCESS, pdc.result());
            assertEquals("\\\\" + DC, pdc.buffer());
            Netlogon.NetrGetAnyDCNameResult any = n.netrGetAnyDCName(null, DOMAIN);
            assertEquals(ERROR_NO_SUCH_DOMAIN, any.result(), "the DC's own domain is not a trusted domain");
            assertNull(any.buffer());
        }
    }

    /** Sites by address (a SOCKADDR_IN for 127.0.0.1, MS-NRPC 2.2.1.2.4) and the sites this DC covers. */
    @Test
    void sitesUnauthenticated() {
        try (RpcClient client = anonymous()) {
            Netlogon.Client n = netlogon(client);
            byte[] sockaddrIn = {2, 0, 0, 0, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};   // AF_INET, port 0, 127.0.0.1
            Netlogon.DsrAddressToSiteNamesWResult byAddress = n.dsrAddressToSiteNamesW(null, 1,
                    List.of(new NlSocketAddress(sockaddrIn, sockaddrIn.length)));
            assertEquals(NERR_SUCCESS, byAddress.result());
            assertEquals(1, byAddress.siteNames().entryCount());
            assertEquals(SITE, text(byAddress.siteNames().siteNames().get(0)));
            Netlogon.DsrGetDcSiteCoverageWResult coverage = n.dsrGetDcSiteCoverageW(null);
            assertEquals(NERR_SUCCESS, coverage.result());
            assertEquals(List.of(SITE), coverage.siteNames().siteNames().stream().map(NetlogonAgainstSambaTest::text).toList());
        }
    }

    /**
     * Without a secure channel NetrLogonGetCapabilities has no credential to check: Samba answers
     * STATUS_NOT_FOUND in the stub (no challenge state for the computer), not a fault. The calls Samba does not
     * implement are a typed nca_s_op_rng_error fault, which the generated stub surfaces as RpcFaultException.
     */
    @Test
    void whatSambaRefusesIsTyped() {
        try (RpcClient client = anonymous()) {
            Netlogon.Client n = netlogon(client);
            NetlogonAuthenticator zero = new NetlogonAuthenticator(new NetlogonCredential(new byte[8]), 0);
            Netlogon.NetrLogonGetCapabilitiesResult caps = n.netrLogonGetCapabilities("\\\\rpcdc", "WEFTTEST", zero, zero, 1);
            assertEquals(STATUS_NOT_FOUND, caps.result());
            for (Runnable call : List.<Runnable>of(
                    () -> n.netrLogonGetTrustRid(null, DNS_DOMAIN),
                    () -> n.netrEnumerateTrustedDomainsEx(null),
                    () -> n.netrLogonGetTimeServiceParentDomain(null))) {
                RpcFaultException f = assertThrows(RpcFaultException.class, call::run);
                assertEquals(FaultStatus.NCA_S_OP_RNG_ERROR.code(), f.status());
            }
            // The connection is still usable after the faults.
            assertEquals(NERR_SUCCESS, n.dsrGetSiteName(null).result());
        }
    }

    /**
     * DsrEnumerateDomainTrusts answers without authentication too: the one domain of this forest, primary, tree
     * root, native mode, uplevel (Active Directory), with its SID; the same with NTLMSSP at privacy.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"anonymous, 0", "ntlm, 6", "spnego, 5"})
    void domainTrusts(String mechanism, int level) {
        try (RpcClient client = mechanism.equals("anonymous") ? anonymous() : authenticated(mechanism, level)) {
            Netlogon.Client n = netlogon(client);
            Netlogon.DsrEnumerateDomainTrustsResult r = n.dsrEnumerateDomainTrusts(null, DS_DOMAIN_VALID_FLAGS);
            assertEquals(NERR_SUCCESS, r.result());
            assertEquals(1, r.domains().domainCount());
            DsDomainTrustsw d = r.domains().domains().get(0);
            assertEquals(DOMAIN, d.netbiosDomainName());
            assertEquals(DNS_DOMAIN, d.dnsDomainName());
            assertFlags(DS_DOMAIN_IN_FOREST | DS_DOMAIN_TREE_ROOT | DS_DOMAIN_PRIMARY | DS_DOMAIN_NATIVE_MODE, d.flags());
            assertEquals(TRUST_TYPE_UPLEVEL, d.trustType());
            String domainSid = sid(d.domainSid());
            assertTrue(domainSid.startsWith("S-1-5-21-") && d.domainSid().subAuthority().length == 4, domainSid);
            DomainControllerInfow dc = n.dsrGetDcNameEx2(null, null, 0, null, null, null, 0).domainControllerInfo();
            assertEquals(dc.domainGuid(), d.domainGuid(), "the trust's GUID is the domain's");
        }
    }

    /**
     * Authenticated as a domain user, at integrity and privacy: DC location as above, the forest's trust
     * information (refused with ERROR_ACCESS_DENIED without authentication), and NetrLogonControl2Ex's query.
     */
    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"ntlm, 6", "spnego, 6", "ntlm, 5"})
    void authenticatedAsAUser(String mechanism, int level) {
        try (RpcClient client = authenticated(mechanism, level)) {
            Netlogon.Client n = netlogon(client);
            DomainControllerInfow dc = n.dsrGetDcNameEx2(null, null, 0, DNS_DOMAIN, null, null, DS_RETURN_DNS_NAME)
                    .domainControllerInfo();
            assertEquals(DNS_DOMAIN, dc.domainName());
            assertEquals(SITE, dc.dcSiteName());

            Netlogon.DsrGetForestTrustInformationResult forest = n.dsrGetForestTrustInformation(null, null, 0);
            assertEquals(NERR_SUCCESS, forest.result());
            List<LsaForestTrustRecord> records = forest.forestTrustInfo().entries();
            assertEquals(forest.forestTrustInfo().recordCount(), records.size());
            LsaForestTrustRecord top = records.stream()
                    .filter(e -> e.forestTrustType().equals(LsaForestTrustRecordType.ForestTrustTopLevelName)).findFirst().orElseThrow();
            assertEquals(DNS_DOMAIN, text(assertInstanceOf(Netlogon.ForestTrustData.TopLevelName.class,
                    top.forestTrustData()).topLevelName()));
            LsaForestTrustRecord domain = records.stream()
                    .filter(e -> e.forestTrustType().equals(LsaForestTrustRecordType.ForestTrustDomainInfo)).findFirst().orElseThrow();
            Netlogon.LsaForestTrustDomainInfo info = assertInstanceOf(Netlogon.ForestTrustData.DomainInfo.class,
                    domain.forestTrustData()).domainInfo();
            assertEquals(DNS_DOMAIN, text(info.dnsName()));
            assertEquals(DOMAIN, text(info.netbiosName()));
            assertTrue(sid(info.sid()).startsWith("S-1-5-21-"));

            Netlogon.NetrLogonControl2ExResult control = n.netrLogonControl2Ex(null, NETLOGON_CONTROL_QUERY, 1,
                    new NetlogonControlDataInformation.Default(NETLOGON_CONTROL_QUERY));
            System.out.println("[" + mechanism + "/" + level + "] NetrLogonControl2Ex(QUERY, 1): " + control);
            assertEquals(NERR_SUCCESS, control.result());
            assertNotNull(assertInstanceOf(NetlogonControlQueryInformation.NetlogonInfo1Arm.class, control.buffer()).netlogonInfo1());
        }
    }

    @Test
    void forestTrustInformationNeedsAuthentication() {
        try (RpcClient client = anonymous()) {
            Netlogon.DsrGetForestTrustInformationResult r = netlogon(client).dsrGetForestTrustInformation(null, null, 0);
            assertEquals(ERROR_ACCESS_DENIED, r.result());
            assertNull(r.forestTrustInfo());
        }
    }

    /**
     * dssetup (MS-DSSP) DsRolerGetPrimaryDomainInformation sealed with NTLMSSP: the DC's role and the names of
     * its domain, whose GUID is the one netlogon's DC locator gives.
     */
    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"ntlm, 6", "spnego, 6", "ntlm, 5"})
    void dssetupPrimaryDomainInformation(String mechanism, int level) {
        try (RpcClient client = authenticated(mechanism, level)) {
            Dssetup.Client dssetup = Dssetup.client(client.bind(Dssetup.INTERFACE_ID));
            Dssetup.DsRolerGetPrimaryDomainInformationResult r =
                    dssetup.dsRolerGetPrimaryDomainInformation(DsrolePrimaryDomainInfoLevel.DsRolePrimaryDomainInfoBasic);
            assertEquals(0, r.result());
            Dssetup.DsrolerPrimaryDomainInfoBasic basic =
                    assertInstanceOf(DsrolerPrimaryDomainInformation.DomainInfoBasic.class, r.domainInfo()).domainInfoBasic();
            assertEquals(DsroleMachineRole.DsRole_RolePrimaryDomainController, basic.machineRole());
            assertEquals(DOMAIN, basic.domainNameFlat());
            assertEquals(DNS_DOMAIN, basic.domainNameDns());
            assertEquals(DNS_DOMAIN, basic.domainForestName());
            // Samba serves dssetup and netlogon on different TCP endpoints: an alter_context to netlogon on this
            // connection is refused (provider reason 1), so the DC locator is asked on a connection of its own.
            assertThrows(RpcBindException.class, () -> client.bind(Netlogon.INTERFACE_ID));
            try (RpcClient other = authenticated(mechanism, level)) {
                assertEquals(netlogon(other).dsrGetDcNameEx2(null, null, 0, null, null, null, 0).domainControllerInfo()
                        .domainGuid(), basic.domainGuid());
            }
        }
    }
}
