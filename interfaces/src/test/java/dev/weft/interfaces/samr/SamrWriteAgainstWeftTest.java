package dev.weft.interfaces.samr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.samr.Samr.DomainDisplayInformation;
import dev.weft.interfaces.samr.Samr.EncryptedLmOwfPassword;
import dev.weft.interfaces.samr.Samr.LargeInteger;
import dev.weft.interfaces.samr.Samr.PasswordPolicyValidationType;
import dev.weft.interfaces.samr.Samr.RpcUnicodeString;
import dev.weft.interfaces.samr.Samr.SamValidateInputArg;
import dev.weft.interfaces.samr.Samr.SamValidateOutputArg;
import dev.weft.interfaces.samr.Samr.SamValidatePasswordChangeInputArg;
import dev.weft.interfaces.samr.Samr.SamValidatePasswordHash;
import dev.weft.interfaces.samr.Samr.SamValidatePersistedFields;
import dev.weft.interfaces.samr.Samr.SamValidateStandardOutputArg;
import dev.weft.interfaces.samr.Samr.SamValidateValidationStatus;
import dev.weft.interfaces.samr.Samr.SamprDisplayInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprDomainDisplayUser;
import dev.weft.interfaces.samr.Samr.SamprDomainDisplayUserBuffer;
import dev.weft.interfaces.samr.Samr.SamprEncryptedUserPassword;
import dev.weft.interfaces.samr.Samr.SamprHandle;
import dev.weft.interfaces.samr.Samr.SamprUserFNameInformation;
import dev.weft.interfaces.samr.Samr.SamprUserInfoBuffer;
import dev.weft.interfaces.samr.Samr.SamprUserInternal5InformationNew;
import dev.weft.interfaces.samr.Samr.UserDomainPasswordInformation;
import dev.weft.interfaces.samr.Samr.UserInformationClass;
import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.TransferSyntax;
import dev.weft.server.RpcServer;
import dev.weft.server.ServerCall;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The write operations of the generated samr client against the generated skeleton, in NDR and NDR64 (Samba speaks
 * only NDR): a small SAM behind the skeleton creates users, decrypts a SetInformationUser2 password with
 * {@link SamrPasswords} as a server would, checks a SamrUnicodeChangePasswordUser2 proof, lists display information,
 * validates a password and deletes the user. Operations with a binding handle and no context handle (opnums 55,
 * 56, 67), [in] unions, [in, out] context handles and [out] pointers to unions all cross the wire both ways.
 */
class SamrWriteAgainstWeftTest {
    static final int STATUS_WRONG_PASSWORD = 0xC000006A, STATUS_NO_SUCH_USER = 0xC0000064;
    /** Stands for the key both ends would take from the transport (a Weft server does not hand it to services yet). */
    static final byte[] KEY = "0123456789abcdef".getBytes();

    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static final class User {
        final String name;
        final int rid;
        volatile String fullName = "";
        volatile byte[] ntHash;

        User(String name, int rid) {
            this.name = name;
            this.rid = rid;
        }
    }

    static Samr.Server sam(Map<String, User> users) {
        InvocationHandler h = (proxy, method, args) -> {
            ServerCall call = args != null && args[0] instanceof ServerCall sc ? sc : null;   // rundown has none
            return switch (method.getName()) {
                case "samrConnect2" -> new Samr.SamrConnect2Result(new SamprHandle(call.openContextHandle("domain")), 0);
                case "samrCreateUser2InDomain" -> {
                    assertEquals("domain", call.contextHandle(((SamprHandle) args[1]).handle(), String.class));
                    String name = ((RpcUnicodeString) args[2]).buffer();
                    User u = new User(name, 1000 + users.size());
                    users.put(name, u);
                    yield new Samr.SamrCreateUser2InDomainResult(new SamprHandle(call.openContextHandle(u)),
                            0xf07ff, u.rid, 0);
                }
                case "samrSetInformationUser2" -> {
                    User u = call.contextHandle(((SamprHandle) args[1]).handle(), User.class);
                    SamprUserInfoBuffer b = (SamprUserInfoBuffer) args[3];
                    assertEquals(b.discriminant(), ((UserInformationClass) args[2]).value(), "the union's level is the parameter");
                    switch (b) {
                        case SamprUserInfoBuffer.Internal5New p -> u.ntHash = SamrPasswords.ntHash(
                                SamrPasswords.decryptUserPasswordNew(p.internal5New().userPassword(), KEY));
                        case SamprUserInfoBuffer.FullName f -> u.fullName = f.fullName().fullName().buffer();
                        default -> throw new UnsupportedOperationException("level " + b.discriminant());
                    }
                    yield 0;
                }
                case "samrQueryInformationUser2" -> {
                    User u = call.contextHandle(((SamprHandle) args[1]).handle(), User.class);
                    yield new Samr.SamrQueryInformationUser2Result(new SamprUserInfoBuffer.FullName(
                            new SamprUserFNameInformation(unicode(u.fullName))), 0);
                }
                case "samrUnicodeChangePasswordUser2" -> {
                    assertNull(args[1], "no server name");
                    User u = users.get(((RpcUnicodeString) args[2]).buffer());
                    if (u == null) yield STATUS_NO_SUCH_USER;
                    assertEquals(0, (byte) args[5], "LmPresent");
                    assertNull(args[6]);
                    assertNull(args[7]);
                    try {
                        String next = SamrPasswords.decryptUserPassword((SamprEncryptedUserPassword) args[3], u.ntHash);
                        byte[] nextHash = SamrPasswords.ntHash(next);
                        byte[] claimed = SamrPasswords.decryptHash((EncryptedLmOwfPassword) args[4], nextHash);
                        if (!Arrays.equals(claimed, u.ntHash)) yield STATUS_WRONG_PASSWORD;
                        u.ntHash = nextHash;
                        yield 0;
                    } catch (IllegalArgumentException wrongKey) {
                        yield STATUS_WRONG_PASSWORD;
                    }
                }
                case "samrQueryDisplayInformation3" -> {
                    assertEquals(DomainDisplayInformation.DomainDisplayUser, args[2]);
                    List<SamprDomainDisplayUser> list = users.values().stream().map(u -> new SamprDomainDisplayUser(
                            1, u.rid, 0x10, unicode(u.name), unicode(""), unicode(u.fullName))).toList();
                    yield new Samr.SamrQueryDisplayInformation3Result(100, 90, new SamprDisplayInfoBuffer.UserInformation(
                            new SamprDomainDisplayUserBuffer(list.size(), list)), 0);
                }
                case "samrGetDomainPasswordInformation" -> {
                    assertEquals("unused", ((RpcUnicodeString) args[1]).buffer());
                    yield new Samr.SamrGetDomainPasswordInformationResult(new UserDomainPasswordInformation((short) 7, 1), 0);
                }
                case "samrValidatePassword" -> {
                    SamValidatePasswordChangeInputArg in = assertInstanceOf(
                            SamValidateInputArg.ValidatePasswordChangeInput.class, args[2]).validatePasswordChangeInput();
                    SamValidateValidationStatus status = in.clearPassword().buffer().length() < 7
                            ? SamValidateValidationStatus.SamValidatePasswordTooShort : SamValidateValidationStatus.SamValidateSuccess;
                    yield new Samr.SamrValidatePasswordResult(new SamValidateOutputArg.ValidatePasswordChangeOutput(
                            new SamValidateStandardOutputArg(in.inputPersistedFields(), status)), 0);
                }
                case "samrDeleteUser" -> {
                    User u = (User) call.closeContextHandle(((SamprHandle) args[1]).handle());
                    users.remove(u.name);
                    yield new Samr.SamrDeleteUserResult(new SamprHandle(ContextHandle.NULL), 0);
                }
                default -> {
                    if (method.isDefault()) yield InvocationHandler.invokeDefault(proxy, method, args);
                    throw new UnsupportedOperationException(method.getName());
                }
            };
        };
        return (Samr.Server) Proxy.newProxyInstance(Samr.Server.class.getClassLoader(), new Class<?>[] {Samr.Server.class}, h);
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void createSetChangeListValidateDelete(TransferSyntax syntax) throws Exception {
        Map<String, User> users = new ConcurrentHashMap<>();
        SecureRandom random = new SecureRandom();
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(Samr.service(sam(users))).build().start();
             RpcClient c = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            BindingHandle h = c.bind(Samr.INTERFACE_ID);
            assertEquals(syntax, h.syntax());
            Samr.Client samr = Samr.client(h);
            SamprHandle domain = samr.samrConnect2(null, 0x02000000).serverHandle();

            Samr.SamrCreateUser2InDomainResult created = samr.samrCreateUser2InDomain(domain, unicode("alice"), 0x10, 0x02000000);
            assertEquals(0, created.result());
            assertEquals(1000, created.relativeId());
            assertEquals(0xf07ff, created.grantedAccess());
            SamprHandle user = created.userHandle();

            assertEquals(0, samr.samrSetInformationUser2(user, UserInformationClass.UserFullNameInformation,
                    new SamprUserInfoBuffer.FullName(new SamprUserFNameInformation(unicode("Alice Weft")))));
            assertEquals(0, samr.samrSetInformationUser2(user, UserInformationClass.UserInternal5InformationNew,
                    new SamprUserInfoBuffer.Internal5New(new SamprUserInternal5InformationNew(
                            SamrPasswords.encryptUserPasswordNew("First-Pw1", KEY, random), (byte) 0))));
            assertArrayEquals(SamrPasswords.ntHash("First-Pw1"), users.get("alice").ntHash, "the skeleton decrypted it");
            assertEquals("Alice Weft", assertInstanceOf(SamprUserInfoBuffer.FullName.class,
                    samr.samrQueryInformationUser2(user, UserInformationClass.UserFullNameInformation).buffer())
                    .fullName().fullName().buffer());

            SamrPasswords.UnicodeChange wrong = SamrPasswords.unicodeChange("Not-The-Pw1", "Second-Pw1", random);
            assertEquals(STATUS_WRONG_PASSWORD, samr.samrUnicodeChangePasswordUser2(null, unicode("alice"),
                    wrong.newPasswordEncryptedWithOldNt(), wrong.oldNtOwfPasswordEncryptedWithNewNt(), (byte) 0, null, null));
            SamrPasswords.UnicodeChange change = SamrPasswords.unicodeChange("First-Pw1", "Second-Pw1", random);
            assertEquals(0, samr.samrUnicodeChangePasswordUser2(null, unicode("alice"),
                    change.newPasswordEncryptedWithOldNt(), change.oldNtOwfPasswordEncryptedWithNewNt(), (byte) 0, null, null));
            assertArrayEquals(SamrPasswords.ntHash("Second-Pw1"), users.get("alice").ntHash);

            Samr.SamrQueryDisplayInformation3Result display = samr.samrQueryDisplayInformation3(domain,
                    DomainDisplayInformation.DomainDisplayUser, 0, 100, 0xffff);
            assertEquals(100, display.totalAvailable());
            assertEquals(90, display.totalReturned());
            SamprDomainDisplayUser alice = assertInstanceOf(SamprDisplayInfoBuffer.UserInformation.class, display.buffer())
                    .userInformation().buffer().get(0);
            assertEquals("Alice Weft", alice.fullName().buffer());
            assertEquals(1000, alice.rid());

            Samr.SamrGetDomainPasswordInformationResult policy = samr.samrGetDomainPasswordInformation(unicode("unused"));
            assertEquals(7, policy.passwordInformation().minPasswordLength());

            SamValidatePersistedFields none = new SamValidatePersistedFields(0, new LargeInteger(0), new LargeInteger(0),
                    new LargeInteger(0), 0, 0, null);
            Samr.SamrValidatePasswordResult validated = samr.samrValidatePassword(PasswordPolicyValidationType.SamValidatePasswordChange,
                    new SamValidateInputArg.ValidatePasswordChangeInput(new SamValidatePasswordChangeInputArg(none,
                            unicode("short"), unicode("alice"), new SamValidatePasswordHash(0, null), (byte) 1)));
            assertEquals(SamValidateValidationStatus.SamValidatePasswordTooShort, assertInstanceOf(
                    SamValidateOutputArg.ValidatePasswordChangeOutput.class, validated.outputArg())
                    .validatePasswordChangeOutput().validationStatus());

            Samr.SamrDeleteUserResult deleted = samr.samrDeleteUser(user);
            assertTrue(deleted.userHandleOut().handle().isNull());
            assertTrue(users.isEmpty());
            assertThrows(RpcFaultException.class, () -> samr.samrQueryInformationUser2(user,
                    UserInformationClass.UserFullNameInformation), "a deleted user's handle is gone");
        }
    }
}
