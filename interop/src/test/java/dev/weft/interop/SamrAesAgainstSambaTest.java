package dev.weft.interop;

import static dev.weft.interop.SamrWriteAgainstSambaTest.ADMIN;
import static dev.weft.interop.SamrWriteAgainstSambaTest.ADMIN_PASSWORD;
import static dev.weft.interop.SamrWriteAgainstSambaTest.LOCAL_SESSION_KEY;
import static dev.weft.interop.SamrWriteAgainstSambaTest.MAXIMUM_ALLOWED;
import static dev.weft.interop.SamrWriteAgainstSambaTest.PREFIX;
import static dev.weft.interop.SamrWriteAgainstSambaTest.RANDOM;
import static dev.weft.interop.SamrWriteAgainstSambaTest.STATUS_ACCESS_DENIED;
import static dev.weft.interop.SamrWriteAgainstSambaTest.STATUS_SUCCESS;
import static dev.weft.interop.SamrWriteAgainstSambaTest.STATUS_WRONG_PASSWORD;
import static dev.weft.interop.SamrWriteAgainstSambaTest.USER_ALL_ADMINCOMMENT;
import static dev.weft.interop.SamrWriteAgainstSambaTest.USER_NORMAL_ACCOUNT;
import static dev.weft.interop.SamrWriteAgainstSambaTest.logOn;
import static dev.weft.interop.SamrWriteAgainstSambaTest.logOnIsRefused;
import static dev.weft.interop.SamrWriteAgainstSambaTest.open;
import static dev.weft.interop.SamrWriteAgainstSambaTest.sealed;
import static dev.weft.interop.SamrWriteAgainstSambaTest.text;
import static dev.weft.interop.SamrWriteAgainstSambaTest.unicode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.samr.Samr;
import dev.weft.interfaces.samr.Samr.SamprHandle;
import dev.weft.interfaces.samr.Samr.SamprUserAllInformation;
import dev.weft.interfaces.samr.Samr.SamprUserInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprUserInternal7Information;
import dev.weft.interfaces.samr.Samr.SamprUserInternal8Information;
import dev.weft.interfaces.samr.Samr.UserControlInformation;
import dev.weft.interfaces.samr.Samr.UserInformationClass;
import dev.weft.interfaces.samr.SamrPasswords;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MS-SAMR's AES password forms (SAMPR_ENCRYPTED_PASSWORD_AES, 2.2.6.32 and 3.2.2.4), built by {@link SamrPasswords},
 * against the Samba 4.17 AD DC, which implements them: SamrSetInformationUser2 with UserInternal7Information (31) and
 * UserInternal8Information (32), encrypted under the session key, and SamrUnicodeChangePasswordUser4 (opnum 73),
 * encrypted under a key derived from the old password by PBKDF2; every password set is proved by logging on with it.
 * Levels 31 and 32 go over ncalrpc, where Samba's session key is "SystemLibraryDTC" (see
 * {@link SamrWriteAgainstSambaTest}); the rest over TCP. And the opnum MS-SAMR added in 2023, 74, which Samba 4.17 does
 * not know.
 */
class SamrAesAgainstSambaTest {
    /** WhichFields bit of SAMPR_USER_ALL_INFORMATION (2.2.1.8): take the password in UserInternal8Information. */
    static final int USER_ALL_NTPASSWORDPRESENT = 0x01000000;
    static final int STATUS_NO_USER_SESSION_KEY = SamrWriteAgainstSambaTest.STATUS_NO_USER_SESSION_KEY;

    @BeforeAll
    static void samba() {
        SambaDc.ensureRunning();
    }

    @Test
    void aesPasswordsAreSetAndChanged() {
        String suffix = HexFormat.of().formatHex(RANDOM.generateSeed(3));
        String name = PREFIX + "x" + suffix;
        String first = "Weft-Aes7-" + suffix + "!", second = "Weft-Aes8-" + suffix + "!",
                third = "Weft-Aes7x-" + suffix + "!", fourth = "Weft-Aes4-" + suffix + "!";
        try (RpcClient tcp = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, sealed("ntlm", ADMIN, ADMIN_PASSWORD));
             RpcClient local = RpcClient.connect("ncalrpc:[DEFAULT]",
                     sealed("ntlm", ADMIN, ADMIN_PASSWORD).withTransports(SambaDc.ncalrpcTransports()))) {
            SamrWriteAgainstSambaTest.Opened o = open(tcp);
            Samr.Client samr = o.samr();
            SamrWriteAgainstSambaTest.deleteLeftovers(o);
            Samr.SamrCreateUser2InDomainResult created = samr.samrCreateUser2InDomain(o.domain(), unicode(name),
                    USER_NORMAL_ACCOUNT, MAXIMUM_ALLOWED);
            assertEquals(STATUS_SUCCESS, created.result(), "SamrCreateUser2InDomain " + name);
            SamprHandle user = created.userHandle();
            try {
                // Over TCP Samba has no session key for samr, as for the RC4 levels.
                assertEquals(STATUS_NO_USER_SESSION_KEY, samr.samrSetInformationUser2(user,
                        UserInformationClass.UserInternal7Information, new SamprUserInfoBuffer.Internal7(
                                new SamprUserInternal7Information(SamrPasswords.encryptPasswordAes(first,
                                        tcp.sessionKey().orElseThrow(), RANDOM), (byte) 0))),
                        "UserInternal7Information over TCP");

                SamrWriteAgainstSambaTest.Opened l = open(local);
                SamprHandle localUser = l.samr().samrOpenUser(l.domain(), MAXIMUM_ALLOWED, created.relativeId())
                        .userHandle();
                // UserInternal7Information (31), then enable the account and log on with the password.
                assertEquals(STATUS_SUCCESS, l.samr().samrSetInformationUser2(localUser,
                        UserInformationClass.UserInternal7Information, new SamprUserInfoBuffer.Internal7(
                                new SamprUserInternal7Information(SamrPasswords.encryptPasswordAes(first,
                                        LOCAL_SESSION_KEY, RANDOM), (byte) 0))), "SetInformationUser2(31) over ncalrpc");
                assertEquals(STATUS_SUCCESS, samr.samrSetInformationUser2(user, UserInformationClass.UserControlInformation,
                        new SamprUserInfoBuffer.Control(new UserControlInformation(USER_NORMAL_ACCOUNT))));
                logOn(name, first);

                // A password under another key: Samba's AuthData check refuses it.
                byte[] otherKey = LOCAL_SESSION_KEY.clone();
                otherKey[0] ^= 1;
                assertEquals(STATUS_WRONG_PASSWORD, l.samr().samrSetInformationUser2(localUser,
                        UserInformationClass.UserInternal7Information, new SamprUserInfoBuffer.Internal7(
                                new SamprUserInternal7Information(SamrPasswords.encryptPasswordAes(second,
                                        otherKey, RANDOM), (byte) 0))), "a password encrypted under another key");
                logOn(name, first);

                // UserInternal8Information (32): the password and an attribute at once, as WhichFields says.
                SamprUserAllInformation i1 = SamrWriteAgainstSambaTest.names("", "set with level 32");
                i1 = withWhichFields(i1, USER_ALL_NTPASSWORDPRESENT | USER_ALL_ADMINCOMMENT);
                assertEquals(STATUS_SUCCESS, l.samr().samrSetInformationUser2(localUser,
                        UserInformationClass.UserInternal8Information, new SamprUserInfoBuffer.Internal8(
                                new SamprUserInternal8Information(i1, SamrPasswords.encryptPasswordAes(second,
                                        LOCAL_SESSION_KEY, RANDOM)))), "SetInformationUser2(32) over ncalrpc");
                SamprUserAllInformation all = assertInstanceOf(SamprUserInfoBuffer.All.class,
                        samr.samrQueryInformationUser2(user, UserInformationClass.UserAllInformation).buffer()).all();
                assertEquals("set with level 32", text(all.adminComment()));
                logOn(name, second);

                // Level 31 again with the password marked expired: it may then be changed at once (the domain's
                // minimum password age does not hold an expired password back), but not used to log on.
                assertEquals(STATUS_SUCCESS, l.samr().samrSetInformationUser2(localUser,
                        UserInformationClass.UserInternal7Information, new SamprUserInfoBuffer.Internal7(
                                new SamprUserInternal7Information(SamrPasswords.encryptPasswordAes(third,
                                        LOCAL_SESSION_KEY, RANDOM), (byte) 1))), "SetInformationUser2(31), expired");
                assertEquals(STATUS_SUCCESS, l.samr().samrCloseHandle(localUser).result());
                l.close();
                logOnIsRefused(name, third);

                // SamrUnicodeChangePasswordUser4 (73) over TCP: the key comes from the old password, not a session.
                // Samba checks the old password first: anonymously a wrong one is STATUS_WRONG_PASSWORD and the right
                // one STATUS_ACCESS_DENIED; authenticated, the change is made.
                try (RpcClient anonymous = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST)) {
                    Samr.Client anon = Samr.client(anonymous.bind(Samr.INTERFACE_ID));
                    assertEquals(STATUS_WRONG_PASSWORD, anon.samrUnicodeChangePasswordUser4(null, unicode(name),
                            SamrPasswords.changePasswordAes(second, fourth, RANDOM)), "anonymous, the old password wrong");
                    assertEquals(STATUS_ACCESS_DENIED, anon.samrUnicodeChangePasswordUser4(null, unicode(name),
                            SamrPasswords.changePasswordAes(third, fourth, RANDOM)), "anonymous, the old password right");
                }
                assertEquals(STATUS_WRONG_PASSWORD, samr.samrUnicodeChangePasswordUser4(null, unicode(name),
                        SamrPasswords.changePasswordAes(first, fourth, RANDOM)), "the old password is not " + first);
                assertEquals(STATUS_SUCCESS, samr.samrUnicodeChangePasswordUser4(null, unicode(name),
                        SamrPasswords.changePasswordAes(third, fourth, RANDOM)), "SamrUnicodeChangePasswordUser4");
                logOn(name, fourth);
                // Samba keeps the previous password good for NTLM for an hour, not the ones before it.
                logOnIsRefused(name, first);
                logOnIsRefused(name, second);
                System.out.println("[samr-aes] " + name + ": levels 31 and 32 over ncalrpc, opnum 73 over TCP");
            } finally {
                assertEquals(STATUS_SUCCESS, samr.samrDeleteUser(user).result(), "SamrDeleteUser");
            }
            o.close();
        }
    }

    /**
     * SamrValidateComputerAccountReuseAttempt (opnum 74, MS-SAMR 3.1.5.13.8 since 2023) is past the end of Samba
     * 4.17's samr: nca_s_op_rng_error, and the connection stays usable.
     */
    @Test
    void sambaDoesNotKnowOpnum74() {
        try (RpcClient tcp = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, sealed("ntlm", ADMIN, ADMIN_PASSWORD))) {
            SamrWriteAgainstSambaTest.Opened o = open(tcp);
            RpcFaultException e = assertThrows(RpcFaultException.class, () -> o.samr()
                    .samrValidateComputerAccountReuseAttempt(o.server(), o.domainSid()));
            assertEquals(0x1C010002, e.status(), "nca_s_op_rng_error");
            o.close();
        }
    }

    /** {@code all} with another WhichFields. */
    static SamprUserAllInformation withWhichFields(SamprUserAllInformation a, int whichFields) {
        return new SamprUserAllInformation(a.lastLogon(), a.lastLogoff(), a.passwordLastSet(), a.accountExpires(),
                a.passwordCanChange(), a.passwordMustChange(), a.userName(), a.fullName(), a.homeDirectory(),
                a.homeDirectoryDrive(), a.scriptPath(), a.profilePath(), a.adminComment(), a.workStations(),
                a.userComment(), a.parameters(), a.lmOwfPassword(), a.ntOwfPassword(), a.privateData(),
                a.securityDescriptor(), a.userId(), a.primaryGroupId(), a.userAccountControl(), whichFields,
                a.logonHours(), a.badPasswordCount(), a.logonCount(), a.countryCode(), a.codePage(),
                a.lmPasswordPresent(), a.ntPasswordPresent(), a.passwordExpired(), a.privateDataSensitive());
    }
}
