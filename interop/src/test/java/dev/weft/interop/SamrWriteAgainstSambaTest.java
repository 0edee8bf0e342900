package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcException;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.samr.Samr;
import dev.weft.interfaces.samr.Samr.DomainDisplayInformation;
import dev.weft.interfaces.samr.Samr.DomainInformationClass;
import dev.weft.interfaces.samr.Samr.EncryptedLmOwfPassword;
import dev.weft.interfaces.samr.Samr.GroupInformationClass;
import dev.weft.interfaces.samr.Samr.OldLargeInteger;
import dev.weft.interfaces.samr.Samr.RpcShortBlob;
import dev.weft.interfaces.samr.Samr.RpcSid;
import dev.weft.interfaces.samr.Samr.RpcUnicodeString;
import dev.weft.interfaces.samr.Samr.SamprAliasInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprDisplayInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprDomainDisplayUser;
import dev.weft.interfaces.samr.Samr.SamprDomainInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprGroupAdmCommentInformation;
import dev.weft.interfaces.samr.Samr.SamprGroupInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprHandle;
import dev.weft.interfaces.samr.Samr.SamprLogonHours;
import dev.weft.interfaces.samr.Samr.SamprPsidArray;
import dev.weft.interfaces.samr.Samr.SamprRidEnumeration;
import dev.weft.interfaces.samr.Samr.SamprSidInformation;
import dev.weft.interfaces.samr.Samr.SamprSrSecurityDescriptor;
import dev.weft.interfaces.samr.Samr.SamprUserAllInformation;
import dev.weft.interfaces.samr.Samr.SamprUserInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprUserInternal1Information;
import dev.weft.interfaces.samr.Samr.SamprUserInternal5Information;
import dev.weft.interfaces.samr.Samr.SamprUserInternal5InformationNew;
import dev.weft.interfaces.samr.Samr.UserControlInformation;
import dev.weft.interfaces.samr.Samr.UserInformationClass;
import dev.weft.interfaces.samr.SamrPasswords;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.SecurityProvider;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The write side of the generated samr client against the Samba AD DC, as Administrator at PKT_PRIVACY over TCP:
 * create a user, set its attributes and passwords, change its password as the user would, prove every password
 * by logging on with it, list it in the display information, put it in a group and an alias and take it out again,
 * and delete everything; and let Samba judge candidate passwords (SamrValidatePassword). Names are unique per run ({@code wsamr} and six random hex digits); leftovers of an aborted
 * run are deleted first.
 *
 * <p><b>What Samba expects of the session key.</b> MS-SAMR encrypts SetInformationUser2's passwords with "the
 * 16-byte SMB session key" (3.1.2.4, 3.2.2.3). Samba 4.17 has no such key for samr over ncacn_ip_tcp, whatever the
 * RPC authentication: UserInternal5Information (24) fails with STATUS_NO_USER_SESSION_KEY and
 * UserInternal5InformationNew (26), encrypted with the RPC security context's key, with STATUS_WRONG_PASSWORD. Over
 * ncalrpc Samba uses the fixed key "SystemLibraryDTC" (16 ASCII bytes, what Windows uses for local RPC), and there
 * the password levels 18, 24 and 26 work; so the passwords are set over ncalrpc, everything else goes over TCP.
 * SamrUnicodeChangePasswordUser2 needs no session key (its key is the old NT hash) and works over TCP, on an
 * authenticated connection only (anonymously: STATUS_ACCESS_DENIED).
 */
class SamrWriteAgainstSambaTest {
    static final String DOMAIN = "RPCTEST", ADMIN = "Administrator", ADMIN_PASSWORD = "AdminPassw0rd1";
    static final String PREFIX = "wsamr";
    static final int MAXIMUM_ALLOWED = 0x02000000;
    static final int STATUS_SUCCESS = 0, STATUS_MORE_ENTRIES = 0x00000105;
    static final int STATUS_NONE_MAPPED = 0xC0000073, STATUS_WRONG_PASSWORD = 0xC000006A;
    static final int STATUS_NO_USER_SESSION_KEY = 0xC0000202, STATUS_ACCESS_DENIED = 0xC0000022;
    /** USER_ACCOUNT codes (MS-SAMR 2.2.1.12). */
    static final int USER_ACCOUNT_DISABLED = 0x01, USER_NORMAL_ACCOUNT = 0x10;
    /** WhichFields bits of SAMPR_USER_ALL_INFORMATION (2.2.1.8). */
    static final int USER_ALL_FULLNAME = 0x02, USER_ALL_ADMINCOMMENT = 0x10;
    /** SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED (2.2.1.10). */
    static final int GROUP_MEMBER_ATTRIBUTES = 7;
    /** The key Samba (and Windows) use for local RPC, where there is no SMB session: "SystemLibraryDTC". */
    static final byte[] LOCAL_SESSION_KEY = "SystemLibraryDTC".getBytes(StandardCharsets.US_ASCII);

    static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void samba() {
        SambaDc.ensureRunning();
    }

    static SecurityProvider mechanism(String name, String user, String password) {
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password(DOMAIN, user, password));
        return name.equals("spnego") ? SpnegoProvider.ntlm(ntlm) : ntlm;
    }

    static ClientOptions sealed(String mechanism, String user, String password) {
        return ClientOptions.DEFAULT.withAuth(new ClientAuth(mechanism(mechanism, user, password),
                AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, null));
    }

    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static String text(RpcUnicodeString s) {
        return s.buffer() == null ? "" : s.buffer();
    }

    static String hex(int status) {
        return "0x" + Integer.toHexString(status);
    }

    /** A server handle and the account domain's handle on one connection. */
    record Opened(Samr.Client samr, SamprHandle server, SamprHandle domain, RpcSid domainSid) {
        void close() {
            assertEquals(STATUS_SUCCESS, samr.samrCloseHandle(domain).result());
            assertEquals(STATUS_SUCCESS, samr.samrCloseHandle(server).result());
        }
    }

    static Opened open(RpcClient client) {
        Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));
        Samr.SamrConnect2Result server = samr.samrConnect2(null, MAXIMUM_ALLOWED);
        assertEquals(STATUS_SUCCESS, server.result(), "SamrConnect2");
        Samr.SamrLookupDomainInSamServerResult sid = samr.samrLookupDomainInSamServer(server.serverHandle(), unicode(DOMAIN));
        assertEquals(STATUS_SUCCESS, sid.result(), "SamrLookupDomainInSamServer");
        Samr.SamrOpenDomainResult domain = samr.samrOpenDomain(server.serverHandle(), MAXIMUM_ALLOWED, sid.domainId());
        assertEquals(STATUS_SUCCESS, domain.result(), "SamrOpenDomain");
        return new Opened(samr, server.serverHandle(), domain.domainHandle(), sid.domainId());
    }

    /** SAMPR_USER_ALL_INFORMATION with only the full name and the admin comment, as WhichFields says. */
    static SamprUserAllInformation names(String fullName, String adminComment) {
        OldLargeInteger zero = new OldLargeInteger(0, 0);
        RpcUnicodeString none = new RpcUnicodeString((short) 0, (short) 0, null);
        RpcShortBlob noBlob = new RpcShortBlob((short) 0, (short) 0, null);
        return new SamprUserAllInformation(zero, zero, zero, zero, zero, zero,
                none, unicode(fullName), none, none, none, none, unicode(adminComment), none, none, none,
                noBlob, noBlob, none, new SamprSrSecurityDescriptor(0, null),
                0, 0, 0, USER_ALL_FULLNAME | USER_ALL_ADMINCOMMENT, new SamprLogonHours((short) 0, null),
                (short) 0, (short) 0, (short) 0, (short) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0);
    }

    /** Logs on as the user over TCP (NTLMSSP, sealed) and opens a server handle: the password is the user's. */
    static void logOn(String user, String password) {
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, sealed("ntlm", user, password))) {
            Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));
            Samr.SamrConnect2Result c = samr.samrConnect2(null, MAXIMUM_ALLOWED);
            assertEquals(STATUS_SUCCESS, c.result(), "SamrConnect2 as " + user);
            assertEquals(STATUS_SUCCESS, samr.samrCloseHandle(c.serverHandle()).result());
        }
    }

    static void logOnIsRefused(String user, String password) {
        RpcException e = assertThrows(RpcException.class, () -> logOn(user, password), user + " with a password that is no longer good");
        System.out.println("[samr-write] " + user + " refused with that password: " + e);
    }

    static List<SamprRidEnumeration> entries(Samr.SamprEnumerationBuffer b) {
        return b == null || b.buffer() == null ? List.of() : b.buffer();
    }

    /** Accounts of an earlier, aborted run: users, groups and aliases whose names start with the prefix. */
    static void deleteLeftovers(Opened o) {
        Samr.Client samr = o.samr();
        for (SamprRidEnumeration e : entries(samr.samrEnumerateUsersInDomain(o.domain(), 0, 0, 0xffff).buffer())) {
            if (!text(e.name()).startsWith(PREFIX)) continue;
            Samr.SamrOpenUserResult u = samr.samrOpenUser(o.domain(), MAXIMUM_ALLOWED, e.relativeId());
            if (u.result() == STATUS_SUCCESS) System.out.println("[samr-write] leftover user " + text(e.name())
                    + ": " + hex(samr.samrDeleteUser(u.userHandle()).result()));
        }
        for (SamprRidEnumeration e : entries(samr.samrEnumerateGroupsInDomain(o.domain(), 0, 0xffff).buffer())) {
            if (!text(e.name()).startsWith(PREFIX)) continue;
            Samr.SamrOpenGroupResult g = samr.samrOpenGroup(o.domain(), MAXIMUM_ALLOWED, e.relativeId());
            if (g.result() == STATUS_SUCCESS) System.out.println("[samr-write] leftover group " + text(e.name())
                    + ": " + hex(samr.samrDeleteGroup(g.groupHandle()).result()));
        }
        for (SamprRidEnumeration e : entries(samr.samrEnumerateAliasesInDomain(o.domain(), 0, 0xffff).buffer())) {
            if (!text(e.name()).startsWith(PREFIX)) continue;
            Samr.SamrOpenAliasResult a = samr.samrOpenAlias(o.domain(), MAXIMUM_ALLOWED, e.relativeId());
            if (a.result() == STATUS_SUCCESS) System.out.println("[samr-write] leftover alias " + text(e.name())
                    + ": " + hex(samr.samrDeleteAlias(a.aliasHandle()).result()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ntlm", "spnego"})
    void createSetChangeListGroupAndDeleteAUser(String mechanism) {
        String suffix = HexFormat.of().formatHex(RANDOM.generateSeed(3));
        String name = PREFIX + suffix, groupName = PREFIX + "g" + suffix, aliasName = PREFIX + "a" + suffix;
        String first = "Weft-First-" + suffix + "!", second = "Weft-Second-" + suffix + "!",
                third = "Weft-Third-" + suffix + "!", fourth = "Weft-Fourth-" + suffix + "!";

        try (RpcClient tcp = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, sealed(mechanism, ADMIN, ADMIN_PASSWORD));
             RpcClient local = RpcClient.connect("ncalrpc:[DEFAULT]",
                     sealed("ntlm", ADMIN, ADMIN_PASSWORD).withTransports(SambaDc.ncalrpcTransports()))) {
            Opened o = open(tcp);
            Samr.Client samr = o.samr();
            deleteLeftovers(o);

            // SamrGetDomainPasswordInformation (opnum 56): no handle at all; the policy QueryInformationDomain2 reports.
            Samr.SamrGetDomainPasswordInformationResult policy = samr.samrGetDomainPasswordInformation(null);
            assertEquals(STATUS_SUCCESS, policy.result(), "SamrGetDomainPasswordInformation");
            Samr.DomainPasswordInformation domainPolicy = assertInstanceOf(SamprDomainInfoBuffer.Password.class,
                    samr.samrQueryInformationDomain2(o.domain(), DomainInformationClass.DomainPasswordInformation).buffer())
                    .password();
            assertEquals(domainPolicy.minPasswordLength(), policy.passwordInformation().minPasswordLength());
            assertEquals(domainPolicy.passwordProperties(), policy.passwordInformation().passwordProperties());
            assertTrue(first.length() >= policy.passwordInformation().minPasswordLength());

            Samr.SamrCreateUser2InDomainResult created = samr.samrCreateUser2InDomain(o.domain(), unicode(name),
                    USER_NORMAL_ACCOUNT, MAXIMUM_ALLOWED);
            assertEquals(STATUS_SUCCESS, created.result(), "SamrCreateUser2InDomain " + name);
            SamprHandle user = created.userHandle();
            int rid = created.relativeId();
            System.out.println("[samr-write/" + mechanism + "] created " + name + ": rid " + rid + ", granted "
                    + hex(created.grantedAccess()));
            try {
                Samr.SamrLookupNamesInDomainResult looked = samr.samrLookupNamesInDomain(o.domain(), 1, List.of(unicode(name)));
                assertEquals(STATUS_SUCCESS, looked.result());
                assertArrayEquals(new int[] {rid}, looked.relativeIds().element());
                RpcSid userSid = samr.samrRidToSid(o.domain(), rid).sid();

                // Attributes: full name and comment through UserAllInformation; a new account starts disabled.
                assertEquals(STATUS_SUCCESS, samr.samrSetInformationUser2(user, UserInformationClass.UserAllInformation,
                        new SamprUserInfoBuffer.All(names("Weft Samr " + suffix, "made by Weft"))), "SetInformationUser2(21)");
                SamprUserAllInformation all = assertInstanceOf(SamprUserInfoBuffer.All.class, samr.samrQueryInformationUser2(
                        user, UserInformationClass.UserAllInformation).buffer()).all();
                assertEquals(name, text(all.userName()));
                assertEquals("Weft Samr " + suffix, text(all.fullName()));
                assertEquals("made by Weft", text(all.adminComment()));
                assertEquals(rid, all.userId());
                assertEquals(USER_NORMAL_ACCOUNT | USER_ACCOUNT_DISABLED,
                        all.userAccountControl() & (USER_NORMAL_ACCOUNT | USER_ACCOUNT_DISABLED), "a disabled normal account");

                // Over TCP Samba has no session key for samr (see the class comment).
                byte[] contextKey = tcp.sessionKey().orElseThrow();
                assertEquals(STATUS_NO_USER_SESSION_KEY, samr.samrSetInformationUser2(user,
                        UserInformationClass.UserInternal5Information, new SamprUserInfoBuffer.Internal5(
                                new SamprUserInternal5Information(SamrPasswords.encryptUserPassword(first,
                                        SamrPasswords.sessionKey16(contextKey), RANDOM), (byte) 0))));
                assertEquals(STATUS_WRONG_PASSWORD, samr.samrSetInformationUser2(user,
                        UserInformationClass.UserInternal5InformationNew, new SamprUserInfoBuffer.Internal5New(
                                new SamprUserInternal5InformationNew(SamrPasswords.encryptUserPasswordNew(first,
                                        contextKey, RANDOM), (byte) 0))));

                // Over ncalrpc, with Samba's local key: UserInternal5InformationNew (26), then enable the account.
                Opened l = open(local);
                SamprHandle localUser = l.samr().samrOpenUser(l.domain(), MAXIMUM_ALLOWED, rid).userHandle();
                assertEquals(STATUS_SUCCESS, l.samr().samrSetInformationUser2(localUser,
                        UserInformationClass.UserInternal5InformationNew, new SamprUserInfoBuffer.Internal5New(
                                new SamprUserInternal5InformationNew(SamrPasswords.encryptUserPasswordNew(first,
                                        LOCAL_SESSION_KEY, RANDOM), (byte) 0))), "SetInformationUser2(26) over ncalrpc");
                assertEquals(STATUS_SUCCESS, samr.samrSetInformationUser2(user, UserInformationClass.UserControlInformation,
                        new SamprUserInfoBuffer.Control(new UserControlInformation(USER_NORMAL_ACCOUNT))));
                int control = assertInstanceOf(SamprUserInfoBuffer.Control.class, samr.samrQueryInformationUser(user,
                        UserInformationClass.UserControlInformation).buffer()).control().userAccountControl();
                assertEquals(USER_NORMAL_ACCOUNT, control & (USER_NORMAL_ACCOUNT | USER_ACCOUNT_DISABLED), "enabled: " + hex(control));
                logOn(name, first);

                // UserInternal1Information (18): the NT hash DES-encrypted with the key.
                assertEquals(STATUS_SUCCESS, l.samr().samrSetInformationUser2(localUser,
                        UserInformationClass.UserInternal1Information, new SamprUserInfoBuffer.Internal1(
                                new SamprUserInternal1Information(
                                        SamrPasswords.encryptHash(SamrPasswords.ntHash(second), LOCAL_SESSION_KEY),
                                        new EncryptedLmOwfPassword(new byte[16]), (byte) 1, (byte) 0, (byte) 0))),
                        "SetInformationUser2(18) over ncalrpc");
                logOn(name, second);

                // UserInternal5Information (24), the password marked expired: it cannot log on, but it may be changed
                // at once (an expired password is not held back by the domain's minimum password age).
                assertEquals(STATUS_SUCCESS, l.samr().samrSetInformationUser2(localUser,
                        UserInformationClass.UserInternal5Information, new SamprUserInfoBuffer.Internal5(
                                new SamprUserInternal5Information(SamrPasswords.encryptUserPassword(third,
                                        LOCAL_SESSION_KEY, RANDOM), (byte) 1))), "SetInformationUser2(24) over ncalrpc");
                assertEquals(STATUS_SUCCESS, l.samr().samrCloseHandle(localUser).result());
                l.close();
                logOnIsRefused(name, third);

                // SamrUnicodeChangePasswordUser2 over TCP: no session key, the old NT hash is the key.
                SamrPasswords.UnicodeChange change = SamrPasswords.unicodeChange(third, fourth, RANDOM);
                try (RpcClient anonymous = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST)) {
                    assertEquals(STATUS_ACCESS_DENIED, Samr.client(anonymous.bind(Samr.INTERFACE_ID))
                            .samrUnicodeChangePasswordUser2(null, unicode(name), change.newPasswordEncryptedWithOldNt(),
                                    change.oldNtOwfPasswordEncryptedWithNewNt(), (byte) 0, null, null),
                            "Samba refuses an anonymous password change over TCP");
                }
                SamrPasswords.UnicodeChange wrong = SamrPasswords.unicodeChange(first, fourth, RANDOM);
                assertEquals(STATUS_WRONG_PASSWORD, samr.samrUnicodeChangePasswordUser2(null, unicode(name),
                        wrong.newPasswordEncryptedWithOldNt(), wrong.oldNtOwfPasswordEncryptedWithNewNt(), (byte) 0, null, null));
                assertEquals(STATUS_SUCCESS, samr.samrUnicodeChangePasswordUser2(null, unicode(name),
                        change.newPasswordEncryptedWithOldNt(), change.oldNtOwfPasswordEncryptedWithNewNt(), (byte) 0, null, null),
                        "SamrUnicodeChangePasswordUser2");
                logOn(name, fourth);
                // Samba still takes the previous password for NTLM for an hour ("old password allowed period"), not
                // the ones before it.
                logOnIsRefused(name, first);
                logOnIsRefused(name, second);

                displayInformationListsTheUser(samr, o.domain(), name, rid, "Weft Samr " + suffix);
                groupMembership(samr, o.domain(), user, groupName, rid);
                aliasMembership(samr, o.domain(), aliasName, userSid, rid);
            } finally {
                Samr.SamrDeleteUserResult deleted = samr.samrDeleteUser(user);
                assertEquals(STATUS_SUCCESS, deleted.result(), "SamrDeleteUser");
                assertTrue(deleted.userHandleOut().handle().isNull(), "the deleted user's handle comes back null");
            }
            assertEquals(STATUS_NONE_MAPPED, samr.samrLookupNamesInDomain(o.domain(), 1, List.of(unicode(name))).result(),
                    "the user is gone");
            o.close();
        }
    }

    /**
     * SamrQueryDisplayInformation3 (DomainDisplayUser) pages through the accounts (Samba in directory order, not by
     * name) with their full names and comments; the OEM form (SamrQueryDisplayInformation, DomainDisplayOemUser) carries the names as bytes.
     */
    static void displayInformationListsTheUser(Samr.Client samr, SamprHandle domain, String name, int rid, String fullName) {
        List<SamprDomainDisplayUser> users = new ArrayList<>();
        int index = 0;
        for (int status = STATUS_MORE_ENTRIES, calls = 0; status == STATUS_MORE_ENTRIES; calls++) {
            Samr.SamrQueryDisplayInformation3Result r = samr.samrQueryDisplayInformation3(domain,
                    DomainDisplayInformation.DomainDisplayUser, index, 3, 0xffff);
            status = r.result();
            assertTrue(status == STATUS_SUCCESS || status == STATUS_MORE_ENTRIES, "display status " + hex(status));
            List<SamprDomainDisplayUser> page = assertInstanceOf(SamprDisplayInfoBuffer.UserInformation.class, r.buffer())
                    .userInformation().buffer();
            if (page == null || page.isEmpty()) break;
            users.addAll(page);
            index += page.size();
            assertTrue(calls < 1000, "the listing does not end");
        }
        SamprDomainDisplayUser mine = users.stream().filter(u -> text(u.accountName()).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the display information"));
        assertEquals(rid, mine.rid());
        assertEquals(fullName, text(mine.fullName()));
        assertEquals("made by Weft", text(mine.adminComment()));
        // Samba 4.17 leaves AccountControl 0 in every display entry (its own client, rpcclient's querydispinfo, shows 0).
        assertTrue(users.stream().anyMatch(u -> text(u.accountName()).equals(ADMIN)), "Administrator is listed too");

        Samr.SamrQueryDisplayInformationResult oem = samr.samrQueryDisplayInformation(domain,
                DomainDisplayInformation.DomainDisplayOemUser, 0, 1000, 0xffff);
        assertEquals(STATUS_SUCCESS, oem.result());
        List<String> oemNames = new ArrayList<>();
        assertInstanceOf(SamprDisplayInfoBuffer.OemUserInformation.class, oem.buffer()).oemUserInformation().buffer()
                .forEach(u -> oemNames.add(new String(u.oemAccountName().buffer(), StandardCharsets.US_ASCII)));
        assertTrue(oemNames.contains(name), "OEM names: " + oemNames);
        System.out.println("[samr-write] display information: " + users.size() + " users, " + oemNames.size() + " OEM names");
    }

    /** A new global group: comment set and read back, the user added (GetMembersInGroup, GetGroupsForUser), removed. */
    static void groupMembership(Samr.Client samr, SamprHandle domain, SamprHandle user, String groupName, int userRid) {
        Samr.SamrCreateGroupInDomainResult created = samr.samrCreateGroupInDomain(domain, unicode(groupName), MAXIMUM_ALLOWED);
        assertEquals(STATUS_SUCCESS, created.result(), "SamrCreateGroupInDomain");
        SamprHandle group = created.groupHandle();
        try {
            assertEquals(STATUS_SUCCESS, samr.samrSetInformationGroup(group, GroupInformationClass.GroupAdminCommentInformation,
                    new SamprGroupInfoBuffer.AdminComment(new SamprGroupAdmCommentInformation(unicode("a Weft group")))));
            assertEquals(STATUS_SUCCESS, samr.samrAddMemberToGroup(group, userRid, GROUP_MEMBER_ATTRIBUTES), "SamrAddMemberToGroup");
            Samr.SamprGroupGeneralInformation general = assertInstanceOf(SamprGroupInfoBuffer.General.class,
                    samr.samrQueryInformationGroup(group, GroupInformationClass.GroupGeneralInformation).buffer()).general();
            assertEquals(groupName, text(general.name()));
            assertEquals("a Weft group", text(general.adminComment()));
            // Samba 4.17 answers MemberCount 0 for every group (its own client shows the same); the members are real:
            Samr.SamprGetMembersBuffer members = samr.samrGetMembersInGroup(group).members();
            assertArrayEquals(new int[] {userRid}, members.members());
            List<Integer> groups = new ArrayList<>();
            samr.samrGetGroupsForUser(user).groups().groups().forEach(m -> groups.add(m.relativeId()));
            assertTrue(groups.contains(created.relativeId()), "the user's groups: " + groups);
            assertEquals(STATUS_SUCCESS, samr.samrRemoveMemberFromGroup(group, userRid), "SamrRemoveMemberFromGroup");
            assertEquals(0, samr.samrGetMembersInGroup(group).members().memberCount());
        } finally {
            Samr.SamrDeleteGroupResult deleted = samr.samrDeleteGroup(group);
            assertEquals(STATUS_SUCCESS, deleted.result(), "SamrDeleteGroup");
            assertTrue(deleted.groupHandleOut().handle().isNull());
        }
    }

    /** A new alias (domain local group): the user's SID added, seen from both sides, removed. */
    static void aliasMembership(Samr.Client samr, SamprHandle domain, String aliasName, RpcSid userSid, int userRid) {
        Samr.SamrCreateAliasInDomainResult created = samr.samrCreateAliasInDomain(domain, unicode(aliasName), MAXIMUM_ALLOWED);
        assertEquals(STATUS_SUCCESS, created.result(), "SamrCreateAliasInDomain");
        SamprHandle alias = created.aliasHandle();
        try {
            assertEquals(STATUS_SUCCESS, samr.samrAddMemberToAlias(alias, userSid), "SamrAddMemberToAlias");
            Samr.SamrGetAliasMembershipResult membership = samr.samrGetAliasMembership(domain,
                    new SamprPsidArray(1, List.of(new SamprSidInformation(userSid))));
            assertEquals(STATUS_SUCCESS, membership.result());
            assertArrayEquals(new int[] {created.relativeId()}, membership.membership().element());
            Samr.SamrGetMembersInAliasResult members = samr.samrGetMembersInAlias(alias);
            assertEquals(1, members.members().count());
            assertArrayEquals(userSid.subAuthority(), members.members().sids().get(0).sidPointer().subAuthority());
            Samr.SamprAliasGeneralInformation general = assertInstanceOf(SamprAliasInfoBuffer.General.class,
                    samr.samrQueryInformationAlias(alias, Samr.AliasInformationClass.AliasGeneralInformation).buffer()).general();
            assertEquals(aliasName, text(general.name()));   // MemberCount: 0 from Samba, as for groups
            assertEquals(STATUS_SUCCESS, samr.samrRemoveMemberFromAlias(alias, userSid), "SamrRemoveMemberFromAlias");
            assertEquals(0, samr.samrGetMembersInAlias(alias).members().count());
        } finally {
            Samr.SamrDeleteAliasResult deleted = samr.samrDeleteAlias(alias);
            assertEquals(STATUS_SUCCESS, deleted.result(), "SamrDeleteAlias");
            assertTrue(deleted.aliasHandleOut().handle().isNull());
        }
    }

    /**
     * Wireshark's samr dissector (generated from Samba's IDL: an implementation Weft did not write) decrypts, with the
     * password, the write calls Weft's client sends and finds nothing malformed in them: create, set (levels 21 and
     * 8), display information, a group's life with a member, a refused password change, validation, delete.
     */
    @org.junit.jupiter.api.Test
    void tsharkDecodesTheWriteCalls() throws Exception {
        String suffix = HexFormat.of().formatHex(RANDOM.generateSeed(3));
        // Samba's endpoint mapper and its dynamic endpoints (49152 and up), both ways.
        try (Tshark capture = Tshark.capture("tcp and host " + SambaDc.HOST + " and (port " + SambaDc.EPMAPPER_PORT
                + " or portrange 49152-49200)", SambaDc.EPMAPPER_PORT);
             RpcClient tcp = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, sealed("ntlm", ADMIN, ADMIN_PASSWORD))) {
            Opened o = open(tcp);
            Samr.Client samr = o.samr();
            Samr.SamrCreateUser2InDomainResult created = samr.samrCreateUser2InDomain(o.domain(),
                    unicode(PREFIX + suffix), USER_NORMAL_ACCOUNT, MAXIMUM_ALLOWED);
            assertEquals(STATUS_SUCCESS, created.result());
            try {
                assertEquals(STATUS_SUCCESS, samr.samrSetInformationUser2(created.userHandle(),
                        UserInformationClass.UserAllInformation, new SamprUserInfoBuffer.All(names("Weft", "tshark"))));
                assertEquals(STATUS_SUCCESS, samr.samrSetInformationUser2(created.userHandle(),
                        UserInformationClass.UserFullNameInformation, new SamprUserInfoBuffer.FullName(
                                new Samr.SamprUserFNameInformation(unicode("Weft Tshark")))));
                assertEquals(STATUS_SUCCESS, samr.samrQueryDisplayInformation3(o.domain(),
                        DomainDisplayInformation.DomainDisplayUser, 0, 100, 0xffff).result());
                Samr.SamrCreateGroupInDomainResult group = samr.samrCreateGroupInDomain(o.domain(),
                        unicode(PREFIX + "g" + suffix), MAXIMUM_ALLOWED);
                assertEquals(STATUS_SUCCESS, group.result());
                assertEquals(STATUS_SUCCESS, samr.samrAddMemberToGroup(group.groupHandle(), created.relativeId(), GROUP_MEMBER_ATTRIBUTES));
                assertEquals(STATUS_SUCCESS, samr.samrRemoveMemberFromGroup(group.groupHandle(), created.relativeId()));
                assertEquals(STATUS_SUCCESS, samr.samrDeleteGroup(group.groupHandle()).result());
                SamrPasswords.UnicodeChange change = SamrPasswords.unicodeChange("not-the-password", "Weft-Pw1-" + suffix, RANDOM);
                assertEquals(STATUS_WRONG_PASSWORD, samr.samrUnicodeChangePasswordUser2(null, unicode(PREFIX + suffix),
                        change.newPasswordEncryptedWithOldNt(), change.oldNtOwfPasswordEncryptedWithNewNt(), (byte) 0, null, null));
            } finally {
                assertEquals(STATUS_SUCCESS, samr.samrDeleteUser(created.userHandle()).result());
            }
            o.close();
            tcp.close();

            String pw = "ntlmssp.nt_password:" + ADMIN_PASSWORD;
            List<String> requests = capture.stopAndRead("samr && dcerpc.pkt_type == 0", pw);
            // Wireshark's names (Samba's IDL) for opnums 50, 58, 51, 10, 22, 24, 23, 55, 35, and how often each was sent.
            Map<String, Long> expected = Map.of("CreateUser2", 1L, "SetUserInfo2", 2L, "QueryDisplayInfo3", 1L,
                    "CreateDomainGroup", 1L, "AddGroupMember", 1L, "DeleteGroupMember", 1L, "DeleteDomainGroup", 1L,
                    "ChangePasswordUser2", 1L, "DeleteUser", 1L);
            expected.forEach((op, n) -> assertEquals(n, requests.stream().filter(l -> l.contains(" " + op + " request")).count(),
                    op + " requests decoded: " + requests));
            assertEquals(List.of(), capture.stopAndRead("samr && dcerpc.pkt_type == 0"
                    + " && (_ws.malformed || _ws.expert.severity >= warning)", pw), "tshark found problems in the requests");
            assertEquals(List.of(), capture.stopAndRead("dcerpc.decrypted_stub_data"), "without the password the stubs stay sealed");
        }
    }

    /**
     * SamrValidatePassword (opnum 67), a binding-handle call whose input and output are unions switched by the
     * validation type: Samba checks a candidate password against the domain's policy (minimum length 7, complexity).
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"short, 6", "alllowercaseletters, 8", "Weft-Valid-Pw1, 0"})
    void validatePasswordChecksTheDomainPolicy(String candidate, int expectedStatus) {
        try (RpcClient tcp = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, sealed("ntlm", ADMIN, ADMIN_PASSWORD))) {
            Samr.Client samr = Samr.client(tcp.bind(Samr.INTERFACE_ID));
            Samr.SamValidatePersistedFields none = new Samr.SamValidatePersistedFields(0, new Samr.LargeInteger(0),
                    new Samr.LargeInteger(0), new Samr.LargeInteger(0), 0, 0, null);
            Samr.SamrValidatePasswordResult r = samr.samrValidatePassword(
                    Samr.PasswordPolicyValidationType.SamValidatePasswordReset,
                    new Samr.SamValidateInputArg.ValidatePasswordResetInput(new Samr.SamValidatePasswordResetInputArg(
                            none, unicode(candidate), unicode("someone"), new Samr.SamValidatePasswordHash(0, null),
                            (byte) 0, (byte) 0)));
            assertEquals(STATUS_SUCCESS, r.result(), "SamrValidatePassword");
            Samr.SamValidateStandardOutputArg out = assertInstanceOf(
                    Samr.SamValidateOutputArg.ValidatePasswordResetOutput.class, r.outputArg()).validatePasswordResetOutput();
            assertEquals(expectedStatus, out.validationStatus().value(), candidate + ": " + out);
        }
    }

    /**
     * What Samba 4.17 declares but does not implement (GetDisplayEnumerationIndex and its 2, Add- and
     * RemoveMultipleMembersToAlias) it answers with nca_s_op_rng_error, before looking at the arguments; the
     * connection stays usable.
     */
    @ParameterizedTest(name = "opnum {0}")
    @CsvSource({"41", "49", "52", "53"})
    void sambaFaultsTheCallsItDoesNotImplement(int opnum) {
        try (RpcClient tcp = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, sealed("ntlm", ADMIN, ADMIN_PASSWORD))) {
            Opened o = open(tcp);
            Samr.Client samr = o.samr();
            SamprPsidArray none = new SamprPsidArray(0, List.of());
            RpcFaultException e = assertThrows(RpcFaultException.class, () -> {
                switch (opnum) {
                    case 41 -> samr.samrGetDisplayEnumerationIndex(o.domain(), DomainDisplayInformation.DomainDisplayUser, unicode(ADMIN));
                    case 49 -> samr.samrGetDisplayEnumerationIndex2(o.domain(), DomainDisplayInformation.DomainDisplayUser, unicode(ADMIN));
                    case 52 -> samr.samrAddMultipleMembersToAlias(o.domain(), none);
                    default -> samr.samrRemoveMultipleMembersFromAlias(o.domain(), none);
                }
            });
            assertEquals(0x1C010002, e.status(), "nca_s_op_rng_error");
            o.close();
        }
    }
}
