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
import dev.weft.client.RpcException;
import dev.weft.interfaces.samr.Samr;
import dev.weft.interfaces.samr.Samr.DomainInformationClass;
import dev.weft.interfaces.samr.Samr.RpcSid;
import dev.weft.interfaces.samr.Samr.RpcUnicodeString;
import dev.weft.interfaces.samr.Samr.SamprDomainInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprEnumerationBuffer;
import dev.weft.interfaces.samr.Samr.SamprHandle;
import dev.weft.interfaces.samr.Samr.SamprRevisionInfo;
import dev.weft.interfaces.samr.Samr.SamprRevisionInfoV1;
import dev.weft.interfaces.samr.Samr.SamprRidEnumeration;
import dev.weft.interfaces.samr.Samr.SamprUserInfoBuffer;
import dev.weft.interfaces.samr.Samr.UserInformationClass;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.SecurityProvider;
import dev.weft.security.kerberos.KerberosCredentials;
import dev.weft.security.kerberos.KerberosProvider;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated samr client ({@code interfaces/src/main/idl/ms-samr.idl}) against the Samba AD DC, signed and
 * sealed with NTLMSSP and SPNEGO: what a directory tool does, from connect to close, with every answer checked
 * against what the provisioned domain holds.
 */
class SamrAgainstSambaTest {
    static final String USER = "rpcuser", PASSWORD = "RpcTest-Passw0rd1", DOMAIN = "RPCTEST";
    static final int MAXIMUM_ALLOWED = 0x02000000;
    static final int STATUS_SUCCESS = 0, STATUS_MORE_ENTRIES = 0x00000105;
    static final int DOMAIN_USER_RID_ADMIN = 500, DOMAIN_USER_RID_GUEST = 501, DOMAIN_USER_RID_KRBTGT = 502;
    static final int DOMAIN_GROUP_RID_USERS = 513, SID_TYPE_USER = 1;
    static final int USER_NORMAL_ACCOUNT = 0x00000010;

    /** The DC's host principal: Kerberos needs the target's name, NTLMSSP does not. */
    static final String KERBEROS_TARGET = "host/rpcdc.rpctest.local";

    @BeforeAll
    static void samba() {
        SambaDc.ensureRunning();
    }

    /** ntlm, spnego (NTLMSSP inside), krb5 (auth type 16), spnego-krb5 (Kerberos inside SPNEGO). */
    static SecurityProvider mechanism(String name, String password) {
        if (name.endsWith("krb5")) {
            KerberosProvider krb5 = KerberosProvider.client(
                    KerberosCredentials.password(USER + "@RPCTEST.LOCAL", password.toCharArray()));
            return name.equals("krb5") ? krb5
                    : new SpnegoProvider(List.of(new SpnegoProvider.Mechanism(KerberosProvider.OID, krb5)));
        }
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password(DOMAIN, USER, password));
        return name.equals("spnego") ? SpnegoProvider.ntlm(ntlm) : ntlm;
    }

    static RpcClient connect(String mechanism, int level, String password) {
        String target = mechanism.endsWith("krb5") ? KERBEROS_TARGET : null;
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(mechanism(mechanism, password), level, target));
        return RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, options);   // no port: the endpoint mapper answers
    }

    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static String text(RpcUnicodeString s) {
        return s.buffer() == null ? "" : s.buffer();
    }

    static String sid(RpcSid sid) {
        long authority = 0;
        for (byte b : sid.identifierAuthority().valueValue()) authority = authority << 8 | (b & 0xff);
        StringBuilder sb = new StringBuilder("S-" + sid.revision() + "-" + authority);
        for (int sub : sid.subAuthority()) sb.append('-').append(Integer.toUnsignedString(sub));
        return sb.toString();
    }

    static void close(Samr.Client samr, SamprHandle handle) {
        Samr.SamrCloseHandleResult closed = samr.samrCloseHandle(handle);
        assertEquals(STATUS_SUCCESS, closed.result(), "SamrCloseHandle");
        assertTrue(closed.samHandleOut().handle().isNull(), "the server hands back a null handle");
    }

    /** An enumeration to its end: STATUS_MORE_ENTRIES means call again with the returned context. */
    interface Page {
        Samr.SamrEnumerateUsersInDomainResult next(int context);
    }

    static Map<String, Integer> enumerate(Page page) {
        Map<String, Integer> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int context = 0, calls = 0;
        while (true) {
            Samr.SamrEnumerateUsersInDomainResult r = page.next(context);
            assertTrue(r.result() == STATUS_SUCCESS || r.result() == STATUS_MORE_ENTRIES,
                    "enumeration status 0x" + Integer.toHexString(r.result()));
            SamprEnumerationBuffer buffer = r.buffer();
            assertNotNull(buffer);
            assertEquals(r.countReturned(), buffer.entriesRead());
            if (buffer.buffer() != null) {
                assertEquals(buffer.entriesRead(), buffer.buffer().size());
                for (SamprRidEnumeration e : buffer.buffer()) names.put(text(e.name()), e.relativeId());
            }
            context = r.enumerationContextOut();
            if (r.result() == STATUS_SUCCESS) return names;
            assertTrue(++calls < 1000, "the enumeration does not end");
        }
    }

    /**
     * Connect5 → EnumerateDomainsInSamServer → LookupDomainInSamServer → OpenDomain → QueryInformationDomain →
     * EnumerateUsersInDomain → LookupNamesInDomain → OpenUser → QueryInformationUser (General, Account, All) →
     * GetUserDomainPasswordInformation, GetGroupsForUser, RidToSid → CloseHandle for every handle.
     */
    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"ntlm, 6", "ntlm, 5", "spnego, 6", "spnego, 5", "krb5, 6", "krb5, 5", "spnego-krb5, 6", "spnego-krb5, 5"})
    void aDirectoryToolWalkThroughSamr(String mechanism, int level) {
        try (RpcClient client = connect(mechanism, level, PASSWORD)) {
            Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));

            Samr.SamrConnect5Result connected = samr.samrConnect5("\\\\rpcdc", MAXIMUM_ALLOWED, 1,
                    new SamprRevisionInfo.V1(new SamprRevisionInfoV1(3, 0)));
            assertEquals(STATUS_SUCCESS, connected.result(), "SamrConnect5");
            assertEquals(1, connected.outVersion());
            SamprRevisionInfoV1 revision = assertInstanceOf(SamprRevisionInfo.V1.class, connected.outRevisionInfo()).v1();
            assertEquals(3, revision.revision(), "the server's revision (MS-SAMR 2.2.7.15)");
            SamprHandle server = connected.serverHandle();
            assertFalse(server.handle().isNull());

            // Domains, paged with a small preferred length to exercise the enumeration context.
            Map<String, Integer> domains = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            int context = 0;
            for (int status = STATUS_MORE_ENTRIES; status == STATUS_MORE_ENTRIES; ) {
                Samr.SamrEnumerateDomainsInSamServerResult r = samr.samrEnumerateDomainsInSamServer(server, context, 0xffff);
                status = r.result();
                assertTrue(status == STATUS_SUCCESS || status == STATUS_MORE_ENTRIES, "status 0x" + Integer.toHexString(status));
                for (SamprRidEnumeration e : r.buffer().buffer()) domains.put(text(e.name()), e.relativeId());
                context = r.enumerationContextOut();
            }
            System.out.println("[" + mechanism + "/" + level + "] domains: " + domains.keySet());
            assertTrue(domains.containsKey(DOMAIN), "domains: " + domains);
            assertTrue(domains.containsKey("Builtin"), "domains: " + domains);

            Samr.SamrLookupDomainInSamServerResult lookedUp = samr.samrLookupDomainInSamServer(server, unicode(DOMAIN));
            assertEquals(STATUS_SUCCESS, lookedUp.result(), "SamrLookupDomainInSamServer");
            RpcSid domainSid = lookedUp.domainId();
            assertNotNull(domainSid);
            String domainSidText = sid(domainSid);
            assertTrue(domainSidText.startsWith("S-1-5-21-") && domainSid.subAuthority().length == 4, domainSidText);
            Samr.SamrLookupDomainInSamServerResult builtin = samr.samrLookupDomainInSamServer(server, unicode("Builtin"));
            assertEquals("S-1-5-32", sid(builtin.domainId()));

            Samr.SamrOpenDomainResult opened = samr.samrOpenDomain(server, MAXIMUM_ALLOWED, domainSid);
            assertEquals(STATUS_SUCCESS, opened.result(), "SamrOpenDomain");
            SamprHandle domain = opened.domainHandle();

            Samr.SamrQueryInformationDomainResult general = samr.samrQueryInformationDomain(domain,
                    DomainInformationClass.DomainGeneralInformation);
            assertEquals(STATUS_SUCCESS, general.result(), "SamrQueryInformationDomain(General)");
            Samr.SamprDomainGeneralInformation g =
                    assertInstanceOf(SamprDomainInfoBuffer.General.class, general.buffer()).general();
            assertEquals(DOMAIN, text(g.domainName()));
            Samr.SamrQueryInformationDomainResult password = samr.samrQueryInformationDomain(domain,
                    DomainInformationClass.DomainPasswordInformation);
            assertEquals(STATUS_SUCCESS, password.result());
            Samr.DomainPasswordInformation p =
                    assertInstanceOf(SamprDomainInfoBuffer.Password.class, password.buffer()).password();
            assertTrue(p.minPasswordLength() > 0 && p.minPasswordLength() <= 256, "min length " + p.minPasswordLength());

            Map<String, Integer> users = enumerate(ctx -> samr.samrEnumerateUsersInDomain(domain, ctx, 0, 200));
            System.out.println("[" + mechanism + "/" + level + "] users in " + DOMAIN + ": " + users
                    + "; general info says " + Integer.toUnsignedString(g.userCount()) + " users");
            assertEquals(DOMAIN_USER_RID_ADMIN, users.get("Administrator"), "users: " + users);
            assertEquals(DOMAIN_USER_RID_KRBTGT, users.get("krbtgt"), "users: " + users);
            assertEquals(DOMAIN_USER_RID_GUEST, users.get("Guest"), "users: " + users);
            assertTrue(users.containsKey(USER), "users: " + users);
            assertEquals(users.size(), g.userCount(), "DomainGeneralInformation.UserCount");

            Samr.SamrLookupNamesInDomainResult names = samr.samrLookupNamesInDomain(domain, 2,
                    List.of(unicode(USER), unicode("Administrator")));
            assertEquals(STATUS_SUCCESS, names.result(), "SamrLookupNamesInDomain");
            assertArrayEquals(new int[] {users.get(USER), DOMAIN_USER_RID_ADMIN}, names.relativeIds().element());
            assertArrayEquals(new int[] {SID_TYPE_USER, SID_TYPE_USER}, names.use().element());
            int rid = names.relativeIds().element()[0];

            Samr.SamrOpenUserResult user = samr.samrOpenUser(domain, MAXIMUM_ALLOWED, rid);
            assertEquals(STATUS_SUCCESS, user.result(), "SamrOpenUser");
            SamprHandle userHandle = user.userHandle();

            Samr.SamprUserGeneralInformation general1 = assertInstanceOf(SamprUserInfoBuffer.General.class,
                    query(samr, userHandle, UserInformationClass.UserGeneralInformation)).general();
            assertEquals(USER, text(general1.userName()));
            assertEquals(DOMAIN_GROUP_RID_USERS, general1.primaryGroupId());

            Samr.SamprUserAccountInformation account = assertInstanceOf(SamprUserInfoBuffer.Account.class,
                    query(samr, userHandle, UserInformationClass.UserAccountInformation)).account();
            assertEquals(USER, text(account.userName()));
            assertEquals(rid, account.userId());
            assertTrue((account.userAccountControl() & USER_NORMAL_ACCOUNT) != 0, "a normal account");
            assertTrue(account.passwordLastSet().highPart() != 0, "the password was set");

            Samr.SamprUserAllInformation all = assertInstanceOf(SamprUserInfoBuffer.All.class,
                    query(samr, userHandle, UserInformationClass.UserAllInformation)).all();
            assertEquals(USER, text(all.userName()));
            assertEquals(rid, all.userId());
            assertEquals(DOMAIN_GROUP_RID_USERS, all.primaryGroupId());
            assertEquals(account.userAccountControl(), all.userAccountControl());
            assertEquals(account.passwordLastSet(), all.passwordLastSet());

            Samr.SamprUserANameInformation accountName = assertInstanceOf(SamprUserInfoBuffer.AccountName.class,
                    query(samr, userHandle, UserInformationClass.UserAccountNameInformation)).accountName();
            assertEquals(USER, text(accountName.userName()));
            Samr.UserControlInformation control = assertInstanceOf(SamprUserInfoBuffer.Control.class,
                    query(samr, userHandle, UserInformationClass.UserControlInformation)).control();
            assertEquals(account.userAccountControl(), control.userAccountControl());

            Samr.SamrGetUserDomainPasswordInformationResult pw = samr.samrGetUserDomainPasswordInformation(userHandle);
            assertEquals(STATUS_SUCCESS, pw.result());
            assertEquals(p.minPasswordLength(), pw.passwordInformation().minPasswordLength());

            Samr.SamrGetGroupsForUserResult groups = samr.samrGetGroupsForUser(userHandle);
            assertEquals(STATUS_SUCCESS, groups.result());
            List<Integer> groupRids = new ArrayList<>();
            groups.groups().groups().forEach(m -> groupRids.add(m.relativeId()));
            assertTrue(groupRids.contains(DOMAIN_GROUP_RID_USERS), "groups: " + groupRids);

            Samr.SamrRidToSidResult userSid = samr.samrRidToSid(domain, rid);
            assertEquals(STATUS_SUCCESS, userSid.result());
            assertEquals(domainSidText + "-" + rid, sid(userSid.sid()));
            System.out.println("[" + mechanism + "/" + level + "] " + USER + ": rid " + rid + ", sid " + sid(userSid.sid())
                    + ", uac 0x" + Integer.toHexString(account.userAccountControl()) + ", groups " + groupRids);

            close(samr, userHandle);
            close(samr, domain);
            close(samr, server);
        }
    }

    static SamprUserInfoBuffer query(Samr.Client samr, SamprHandle user, UserInformationClass level) {
        Samr.SamrQueryInformationUserResult r = samr.samrQueryInformationUser(user, level);
        assertEquals(STATUS_SUCCESS, r.result(), "SamrQueryInformationUser(" + level.value() + ")");
        assertNotNull(r.buffer());
        return r.buffer();
    }

    /** Connect2 (opnum 57) and the older Connect (opnum 0, a unique pointer to one character) open server handles too. */
    @Test
    void connect2AndConnectOpenServerHandles() {
        try (RpcClient client = connect("ntlm", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, PASSWORD)) {
            Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));
            Samr.SamrConnect2Result c2 = samr.samrConnect2("\\\\rpcdc", MAXIMUM_ALLOWED);
            assertEquals(STATUS_SUCCESS, c2.result());
            Samr.SamrConnectResult c0 = samr.samrConnect('\\', MAXIMUM_ALLOWED);
            assertEquals(STATUS_SUCCESS, c0.result());
            assertFalse(c2.serverHandle().handle().equals(c0.serverHandle().handle()), "two distinct handles");
            Samr.SamrLookupDomainInSamServerResult d = samr.samrLookupDomainInSamServer(c0.serverHandle(), unicode(DOMAIN));
            assertEquals(STATUS_SUCCESS, d.result());
            close(samr, c2.serverHandle());
            close(samr, c0.serverHandle());
        }
    }

    /** An unknown domain name is an NTSTATUS result, not a fault: STATUS_NO_SUCH_DOMAIN. */
    @Test
    void anUnknownDomainIsNoSuchDomain() {
        try (RpcClient client = connect("spnego", AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, PASSWORD)) {
            Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));
            SamprHandle server = samr.samrConnect2(null, MAXIMUM_ALLOWED).serverHandle();
            Samr.SamrLookupDomainInSamServerResult r = samr.samrLookupDomainInSamServer(server, unicode("NOSUCHDOMAIN"));
            assertEquals(0xC00000DF, r.result(), "STATUS_NO_SUCH_DOMAIN");
            assertEquals(null, r.domainId());
            close(samr, server);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ntlm", "spnego", "krb5", "spnego-krb5"})
    void aWrongPasswordIsATypedRpcException(String mechanism) {
        // SPNEGO learns the verdict in the bind's alter_context legs, NTLMSSP only at the first call.
        RpcException e = assertThrows(RpcException.class, () -> {
            try (RpcClient client = connect(mechanism, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, "wrong-" + PASSWORD)) {
                Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));
                samr.samrConnect5(null, MAXIMUM_ALLOWED, 1, new SamprRevisionInfo.V1(new SamprRevisionInfoV1(3, 0)));
            }
        });
        System.out.println("[" + mechanism + "] wrong password: " + e);
    }

    /**
     * Issue 6: the samr calls Samba answers without authentication, over TCP with no auth trailer at all. Samba lets
     * an anonymous caller connect, list the domains, look one up (its SID), open it and list its users.
     */
    @Test
    void theUnauthenticatedSamrCallsSambaAllows() {
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, ClientOptions.DEFAULT)) {
            Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));
            Samr.SamrConnect5Result connected = samr.samrConnect5("\\\\rpcdc", MAXIMUM_ALLOWED, 1,
                    new SamprRevisionInfo.V1(new SamprRevisionInfoV1(3, 0)));
            assertEquals(STATUS_SUCCESS, connected.result(), "anonymous SamrConnect5");
            SamprHandle server = connected.serverHandle();

            Samr.SamrEnumerateDomainsInSamServerResult domains = samr.samrEnumerateDomainsInSamServer(server, 0, 0xffff);
            assertEquals(STATUS_SUCCESS, domains.result(), "anonymous SamrEnumerateDomainsInSamServer");
            List<String> names = new ArrayList<>();
            for (SamprRidEnumeration e : domains.buffer().buffer()) names.add(text(e.name()));
            assertTrue(names.contains(DOMAIN) && names.contains("BUILTIN"), "domains: " + names);

            Samr.SamrLookupDomainInSamServerResult lookedUp = samr.samrLookupDomainInSamServer(server, unicode(DOMAIN));
            assertEquals(STATUS_SUCCESS, lookedUp.result(), "anonymous SamrLookupDomainInSamServer");
            String domainSid = sid(lookedUp.domainId());
            assertTrue(domainSid.startsWith("S-1-5-21-"), domainSid);

            // With the harness's defaults (restrict anonymous = 0) Samba also opens the domain and lists its users.
            Samr.SamrOpenDomainResult opened = samr.samrOpenDomain(server, MAXIMUM_ALLOWED, lookedUp.domainId());
            assertEquals(STATUS_SUCCESS, opened.result(), "anonymous SamrOpenDomain");
            Map<String, Integer> users = enumerate(ctx -> samr.samrEnumerateUsersInDomain(opened.domainHandle(), ctx, 0, 0xffff));
            assertEquals(DOMAIN_USER_RID_ADMIN, users.get("Administrator"), "users: " + users);
            assertTrue(users.containsKey(USER), "users: " + users);
            close(samr, opened.domainHandle());
            close(samr, server);
        }
    }
}
