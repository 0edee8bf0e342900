package dev.weft.interop;

import static dev.weft.interop.NetlogonAgainstSambaTest.DC;
import static dev.weft.interop.NetlogonAgainstSambaTest.DNS_DOMAIN;
import static dev.weft.interop.NetlogonAgainstSambaTest.DOMAIN;
import static dev.weft.interop.NetlogonAgainstSambaTest.NERR_SUCCESS;
import static dev.weft.interop.NetlogonAgainstSambaTest.SITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.interfaces.netlogon.Netlogon;
import dev.weft.interfaces.netlogon.Netlogon.DomainControllerInfow;
import dev.weft.interfaces.netlogon.Netlogon.DsDomainTrustsw;
import dev.weft.interfaces.netlogon.Netlogon.LsaForestTrustRecord;
import dev.weft.interfaces.netlogon.Netlogon.LsaForestTrustRecordType;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonControlDataInformation;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonControlQueryInformation;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated netlogon client against the Samba AD DC with Kerberos (issue 8): auth type 16 and Kerberos inside
 * SPNEGO, at integrity and privacy, on netlogon's TCP endpoint (from the endpoint mapper), with a ticket for the DC's
 * host principal. The calls are those Samba answers on an authenticated connection that is not a secure channel: DC
 * location, the sites the DC covers, the domain's trusts, the forest trust information (which needs authentication)
 * and NetrLogonControl2Ex's query; every answer is checked against the provisioned domain.
 */
class NetlogonKerberosAgainstSambaTest {

    @BeforeAll
    static void samba() {
        SambaDc.ensureRunning();
    }

    static RpcClient kerberos(String mechanism, int level) {
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(
                SamrAgainstSambaTest.mechanism(mechanism, SamrAgainstSambaTest.PASSWORD), level,
                SamrAgainstSambaTest.KERBEROS_TARGET));
        return RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, options);
    }

    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"krb5, 5", "krb5, 6", "spnego-krb5, 5", "spnego-krb5, 6"})
    void netlogonWithKerberos(String mechanism, int level) {
        try (RpcClient client = kerberos(mechanism, level)) {
            Netlogon.Client n = NetlogonAgainstSambaTest.netlogon(client);

            DomainControllerInfow dc = n.dsrGetDcNameEx2(null, null, 0, DNS_DOMAIN, null, null,
                    NetlogonAgainstSambaTest.DS_RETURN_DNS_NAME).domainControllerInfo();
            assertEquals("\\\\" + DC.toLowerCase() + "." + DNS_DOMAIN, dc.domainControllerName());
            assertEquals(DNS_DOMAIN, dc.domainName());
            assertEquals(SITE, dc.dcSiteName());

            Netlogon.DsrGetDcSiteCoverageWResult coverage = n.dsrGetDcSiteCoverageW(null);
            assertEquals(NERR_SUCCESS, coverage.result());
            assertEquals(List.of(SITE), coverage.siteNames().siteNames().stream().map(NetlogonAgainstSambaTest::text).toList());

            Netlogon.DsrEnumerateDomainTrustsResult trusts = n.dsrEnumerateDomainTrusts(null,
                    NetlogonAgainstSambaTest.DS_DOMAIN_VALID_FLAGS);
            assertEquals(NERR_SUCCESS, trusts.result());
            assertEquals(1, trusts.domains().domainCount());
            DsDomainTrustsw d = trusts.domains().domains().get(0);
            assertEquals(DOMAIN, d.netbiosDomainName());
            assertEquals(DNS_DOMAIN, d.dnsDomainName());
            assertEquals(dc.domainGuid(), d.domainGuid());
            String domainSid = NetlogonAgainstSambaTest.sid(d.domainSid());
            assertTrue(domainSid.startsWith("S-1-5-21-"), domainSid);

            // Refused with ERROR_ACCESS_DENIED without authentication (NetlogonAgainstSambaTest).
            Netlogon.DsrGetForestTrustInformationResult forest = n.dsrGetForestTrustInformation(null, null, 0);
            assertEquals(NERR_SUCCESS, forest.result());
            LsaForestTrustRecord top = forest.forestTrustInfo().entries().stream()
                    .filter(e -> e.forestTrustType().equals(LsaForestTrustRecordType.ForestTrustTopLevelName))
                    .findFirst().orElseThrow();
            assertEquals(DNS_DOMAIN, NetlogonAgainstSambaTest.text(assertInstanceOf(Netlogon.ForestTrustData.TopLevelName.class,
                    top.forestTrustData()).topLevelName()));

            int query = NetlogonAgainstSambaTest.NETLOGON_CONTROL_QUERY;
            Netlogon.NetrLogonControl2ExResult control = n.netrLogonControl2Ex(null, query, 1,
                    new NetlogonControlDataInformation.Default(query));
            assertEquals(NERR_SUCCESS, control.result());
            assertNotNull(assertInstanceOf(NetlogonControlQueryInformation.NetlogonInfo1Arm.class, control.buffer()).netlogonInfo1());
        }
    }
}
