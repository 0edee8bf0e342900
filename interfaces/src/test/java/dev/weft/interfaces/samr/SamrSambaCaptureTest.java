package dev.weft.interfaces.samr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.CapturedBinding;
import dev.weft.interfaces.SambaCapture;
import dev.weft.interfaces.samr.Samr.DomainInformationClass;
import dev.weft.interfaces.samr.Samr.RpcSid;
import dev.weft.interfaces.samr.Samr.RpcUnicodeString;
import dev.weft.interfaces.samr.Samr.SamprDomainInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprHandle;
import dev.weft.interfaces.samr.Samr.SamprRevisionInfo;
import dev.weft.interfaces.samr.Samr.SamprRevisionInfoV1;
import dev.weft.interfaces.samr.Samr.SamprRidEnumeration;
import dev.weft.interfaces.samr.Samr.SamprUserInfoBuffer;
import dev.weft.interfaces.samr.Samr.UserInformationClass;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a directory tool asks samr, as a Weft user writes it, against what Samba 4.17's client sent and its AD DC
 * answered ({@code samr/samba-4.17-samr-tcp.txt}, recorded by {@code tools/interop/capture-samba.sh} as
 * Administrator with NTLMSSP integrity): connect, enumerate domains, look a domain up, open it, query it, enumerate
 * its users, look names and RIDs up, open a user, query it at the levels a tool reads, password information,
 * groups, close. Each call's request is Samba's, byte for byte (pointer values aside), and each handle passed on is
 * the one Samba's server returned, so the walk is the one Samba's client made.
 */
class SamrSambaCaptureTest {
    static final SambaCapture CAPTURE = SambaCapture.load("samr/samba-4.17-samr-tcp.txt");
    static final int MAXIMUM_ALLOWED = 0x02000000;
    static final int STATUS_SUCCESS = 0, STATUS_SOME_NOT_MAPPED = 0x00000107, STATUS_NO_SUCH_DOMAIN = 0xC00000DF;
    static final int STATUS_INVALID_INFO_CLASS = 0xC00000BB, STATUS_NO_SUCH_USER = 0xC0000064, STATUS_NONE_MAPPED = 0xC0000073;
    static final int NCA_S_FAULT_CONTEXT_MISMATCH = 0x1C00001A;
    static final int USER_NORMAL_ACCOUNT = 0x10, USER_DONT_EXPIRE_PASSWORD = 0x200;
    static final int SID_TYPE_USER = 1, SID_TYPE_GROUP = 2, SID_TYPE_UNKNOWN = 8;

    /** Calls {@code f} on a generated client that plays {@code label}; Weft must have sent Samba's request. */
    static <T> T call(String label, Function<Samr.Client, T> f) {
        CapturedBinding b = CapturedBinding.of(CAPTURE, label);
        try {
            return f.apply(Samr.client(b));
        } finally {
            b.assertSentSambasRequest();   // a recorded fault too was answered to Samba's request
        }
    }

    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static String sid(RpcSid sid) {
        long authority = 0;
        for (byte b : sid.identifierAuthority().valueValue()) authority = authority << 8 | (b & 0xff);
        StringBuilder sb = new StringBuilder("S-" + sid.revision() + "-" + authority);
        for (int sub : sid.subAuthority()) sb.append('-').append(Integer.toUnsignedString(sub));
        return sb.toString();
    }

    @Test
    void directoryWalk() {
        var c5 = call("connect5", s -> s.samrConnect5(null, MAXIMUM_ALLOWED, 1,
                new SamprRevisionInfo.V1(new SamprRevisionInfoV1(3, 0))));
        assertEquals(STATUS_SUCCESS, c5.result());
        assertEquals(1, c5.outVersion());
        assertFalse(c5.serverHandle().isNull());
        SamprHandle server = c5.serverHandle();

        var domains = call("enum-domains", s -> s.samrEnumerateDomainsInSamServer(server, 0, -1));
        assertEquals(STATUS_SUCCESS, domains.result());
        assertEquals(List.of("RPCTEST", "BUILTIN"), domains.buffer().buffer().stream().map(e -> e.name().buffer()).toList());
        assertEquals(2, domains.countReturned());

        RpcSid domainSid = call("lookup-domain", s -> s.samrLookupDomainInSamServer(server, unicode("RPCTEST"))).domainId();
        assertTrue(sid(domainSid).matches("S-1-5-21-\\d+-\\d+-\\d+"), sid(domainSid));
        RpcSid builtin = call("lookup-domain-builtin", s -> s.samrLookupDomainInSamServer(server, unicode("Builtin"))).domainId();
        assertEquals("S-1-5-32", sid(builtin));
        var unknown = call("lookup-domain-unknown", s -> s.samrLookupDomainInSamServer(server, unicode("NOSUCHDOMAIN")));
        assertEquals(STATUS_NO_SUCH_DOMAIN, unknown.result());
        assertNull(unknown.domainId());

        SamprHandle domain = call("open-domain", s -> s.samrOpenDomain(server, MAXIMUM_ALLOWED, domainSid)).domainHandle();
        var general = assertInstanceOf(SamprDomainInfoBuffer.General.class, call("query-domain-info-2",
                s -> s.samrQueryInformationDomain(domain, DomainInformationClass.of(2))).buffer()).general();
        assertEquals("RPCTEST", general.domainName().buffer());
        assertEquals(3, general.domainServerRole(), "DomainServerRolePrimary");
        var password = assertInstanceOf(SamprDomainInfoBuffer.Password.class, call("query-domain-info-1",
                s -> s.samrQueryInformationDomain(domain, DomainInformationClass.of(1))).buffer()).password();
        assertEquals(7, password.minPasswordLength());

        var users = call("enum-domain-users", s -> s.samrEnumerateUsersInDomain(domain, 0, 0, -1));
        assertEquals(STATUS_SUCCESS, users.result());
        List<String> names = users.buffer().buffer().stream().map(e -> e.name().buffer()).toList();
        assertTrue(names.containsAll(List.of("Administrator", "Guest", "krbtgt", "rpcuser", "WEFTCAP$")), names.toString());
        assertEquals(500, users.buffer().buffer().stream().filter(e -> e.name().buffer().equals("Administrator"))
                .mapToInt(SamprRidEnumeration::relativeId).findFirst().orElseThrow());

        var lookup = call("lookup-names", s -> s.samrLookupNamesInDomain(domain, 4,
                List.of(unicode("rpcuser"), unicode("Administrator"), unicode("Domain Admins"), unicode("nosuchuser"))));
        assertEquals(STATUS_SOME_NOT_MAPPED, lookup.result());
        int rpcuser = lookup.relativeIds().element()[0];
        assertEquals(List.of(500, 512, 0), List.of(lookup.relativeIds().element()[1], lookup.relativeIds().element()[2],
                lookup.relativeIds().element()[3]));
        assertEquals(List.of(SID_TYPE_USER, SID_TYPE_USER, SID_TYPE_GROUP, SID_TYPE_UNKNOWN),
                java.util.Arrays.stream(lookup.use().element()).boxed().toList());
        assertEquals(STATUS_NONE_MAPPED, call("lookup-names-none-mapped",
                s -> s.samrLookupNamesInDomain(domain, 1, List.of(unicode("nosuchuser")))).result());
        var rids = call("lookup-rids", s -> s.samrLookupIdsInDomain(domain, 5, new int[] {500, 501, 512, 513, 4242}));
        assertEquals(List.of("Administrator", "Guest", "Domain Admins", "Domain Users", ""),
                rids.names().element().stream().map(n -> n.buffer() == null ? "" : n.buffer()).toList());

        SamprHandle user = call("open-user", s -> s.samrOpenUser(domain, MAXIMUM_ALLOWED, rpcuser)).userHandle();
        assertEquals(STATUS_NO_SUCH_USER, call("open-user-unknown", s -> s.samrOpenUser(domain, MAXIMUM_ALLOWED, 4242)).result());
        var g = assertInstanceOf(SamprUserInfoBuffer.General.class, call("query-user-info-1",
                s -> s.samrQueryInformationUser(user, UserInformationClass.UserGeneralInformation)).buffer()).general();
        assertEquals("rpcuser", g.userName().buffer());
        assertEquals(513, g.primaryGroupId(), "Domain Users");
        var all = assertInstanceOf(SamprUserInfoBuffer.All.class, call("query-user-info-21",
                s -> s.samrQueryInformationUser(user, UserInformationClass.UserAllInformation)).buffer()).all();
        assertEquals("rpcuser", all.userName().buffer());
        assertEquals(rpcuser, all.userId());
        assertEquals(USER_NORMAL_ACCOUNT | USER_DONT_EXPIRE_PASSWORD, all.userAccountControl());
        for (int level : new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 20}) {
            var r = call("query-user-info-" + level, s -> s.samrQueryInformationUser(user, UserInformationClass.of(level)));
            assertEquals(STATUS_SUCCESS, r.result(), "level " + level);
            assertEquals(level, r.buffer().discriminant());
        }
        // The password levels are write-only (MS-SAMR 3.1.5.5.5): refused, with a null buffer.
        for (int level : new int[] {18, 23, 24, 25, 26}) {
            var r = call("query-user-info-" + level, s -> s.samrQueryInformationUser(user, UserInformationClass.of(level)));
            assertEquals(STATUS_INVALID_INFO_CLASS, r.result(), "level " + level);
            assertNull(r.buffer());
        }
        var pw = call("get-user-pw-info", s -> s.samrGetUserDomainPasswordInformation(user));
        assertEquals(7, pw.passwordInformation().minPasswordLength());
        var dompw = call("get-dom-pw-info", s -> s.samrGetDomainPasswordInformation(unicode("RPCTEST")));
        assertEquals(1, dompw.passwordInformation().passwordProperties(), "DOMAIN_PASSWORD_COMPLEX");

        SamprHandle admin = call("open-user-administrator", s -> s.samrOpenUser(domain, MAXIMUM_ALLOWED, 500)).userHandle();
        var groups = call("get-groups-for-user", s -> s.samrGetGroupsForUser(admin));
        assertTrue(groups.groups().groups().stream().map(Samr.GroupMembership::relativeId).toList().containsAll(List.of(512, 513)));

        var closed = call("close-user", s -> s.samrCloseHandle(user));
        assertEquals(STATUS_SUCCESS, closed.result());
        assertTrue(closed.samHandleOut().isNull());
        RpcFaultException again = assertThrows(RpcFaultException.class, () -> call("close-closed", s -> s.samrCloseHandle(user)));
        assertEquals(NCA_S_FAULT_CONTEXT_MISMATCH, again.status(), "a closed handle is a fault, not a status");
        assertEquals(STATUS_SUCCESS, call("close-domain", s -> s.samrCloseHandle(domain)).result());
        assertEquals(STATUS_SUCCESS, call("close-connect5", s -> s.samrCloseHandle(server)).result());
    }

    /** The older connects a tool may use: the same access, a server name as a string (Connect2, Connect4). */
    @Test
    void olderConnects() {
        assertEquals(STATUS_SUCCESS, call("connect", s -> s.samrConnect(null, MAXIMUM_ALLOWED)).result());
        assertEquals(STATUS_SUCCESS, call("connect2", s -> s.samrConnect2("\\\\RPCDC", MAXIMUM_ALLOWED)).result());
        assertEquals(STATUS_SUCCESS, call("connect4", s -> s.samrConnect4(null, 2, MAXIMUM_ALLOWED)).result());
    }
}
