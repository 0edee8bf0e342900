package dev.weft.interfaces.samr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.samr.Samr.RpcUnicodeString;
import dev.weft.interfaces.samr.Samr.SamprEnumerationBuffer;
import dev.weft.interfaces.samr.Samr.SamprHandle;
import dev.weft.interfaces.samr.Samr.SamprRevisionInfo;
import dev.weft.interfaces.samr.Samr.SamprRevisionInfoV1;
import dev.weft.interfaces.samr.Samr.SamprRidEnumeration;
import dev.weft.interfaces.samr.Samr.SamprUlongArray;
import dev.weft.interfaces.samr.Samr.SamprUserInfoBuffer;
import dev.weft.interfaces.samr.Samr.UserInformationClass;
import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.TransferSyntax;
import dev.weft.server.RpcServer;
import dev.weft.server.ServerCall;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated samr client against the generated samr server skeleton, in NDR and NDR64 (Samba speaks only NDR):
 * both sides of every stub a directory tool uses, with a small in-memory SAM behind the skeleton.
 */
class SamrAgainstWeftTest {
    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    /** The few operations the test calls; any other one fails the call. */
    static Samr.Server sam() {
        InvocationHandler h = (proxy, method, args) -> {
            ServerCall call = args == null ? null : (ServerCall) args[0];
            return switch (method.getName()) {
                case "samrConnect5" -> {
                    assertEquals("\\\\weft", args[1]);
                    assertEquals(1, args[3]);
                    SamprRevisionInfoV1 in = assertInstanceOf(SamprRevisionInfo.V1.class, args[4]).v1();
                    assertEquals(3, in.revision());
                    yield new Samr.SamrConnect5Result(1, new SamprRevisionInfo.V1(new SamprRevisionInfoV1(3, 0x10)),
                            new SamprHandle(call.openContextHandle("server")), 0);
                }
                case "samrEnumerateUsersInDomain" -> {
                    assertEquals("server", call.contextHandle(((SamprHandle) args[1]).handle(), String.class));
                    int context = (int) args[2];
                    List<SamprRidEnumeration> page = context == 0
                            ? List.of(new SamprRidEnumeration(500, unicode("Administrator")), new SamprRidEnumeration(501, unicode("Guest")))
                            : List.of(new SamprRidEnumeration(1102, unicode("rpcuser")));
                    yield new Samr.SamrEnumerateUsersInDomainResult(context == 0 ? 2 : 3,
                            new SamprEnumerationBuffer(page.size(), page), page.size(), context == 0 ? 0x105 : 0);
                }
                case "samrLookupNamesInDomain" -> {
                    @SuppressWarnings("unchecked")
                    List<RpcUnicodeString> names = (List<RpcUnicodeString>) args[3];
                    assertEquals(args[2], names.size());
                    int[] rids = names.stream().mapToInt(n -> n.buffer().equals("rpcuser") ? 1102 : 0).toArray();
                    yield new Samr.SamrLookupNamesInDomainResult(new SamprUlongArray(rids.length, rids),
                            new SamprUlongArray(rids.length, new int[rids.length]), 0x107);   // STATUS_SOME_NOT_MAPPED
                }
                case "samrQueryInformationUser" -> {
                    UserInformationClass level = (UserInformationClass) args[2];
                    yield new Samr.SamrQueryInformationUserResult(switch (level.value()) {
                        case 7 -> new SamprUserInfoBuffer.AccountName(new Samr.SamprUserANameInformation(unicode("rpcuser")));
                        case 16 -> new SamprUserInfoBuffer.Control(new Samr.UserControlInformation(0x210));
                        default -> null;
                    }, 0);
                }
                case "samrCloseHandle" -> {
                    call.closeContextHandle(((SamprHandle) args[1]).handle());
                    yield new Samr.SamrCloseHandleResult(new SamprHandle(ContextHandle.NULL), 0);
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
    void clientAndSkeletonAgree(TransferSyntax syntax) throws Exception {
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(Samr.service(sam())).build().start();
             RpcClient c = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            BindingHandle h = c.bind(Samr.INTERFACE_ID);
            assertEquals(syntax, h.syntax());
            Samr.Client samr = Samr.client(h);

            Samr.SamrConnect5Result connected = samr.samrConnect5("\\\\weft", 0x02000000, 1,
                    new SamprRevisionInfo.V1(new SamprRevisionInfoV1(3, 0)));
            assertEquals(0, connected.result());
            assertEquals(0x10, assertInstanceOf(SamprRevisionInfo.V1.class, connected.outRevisionInfo()).v1().supportedFeatures());
            SamprHandle handle = connected.serverHandle();

            Samr.SamrEnumerateUsersInDomainResult first = samr.samrEnumerateUsersInDomain(handle, 0, 0, 100);
            assertEquals(0x105, first.result());
            assertEquals(2, first.countReturned());
            Samr.SamrEnumerateUsersInDomainResult second = samr.samrEnumerateUsersInDomain(handle, first.enumerationContextOut(), 0, 100);
            assertEquals(0, second.result());
            assertEquals(List.of(new SamprRidEnumeration(1102, unicode("rpcuser"))), second.buffer().buffer());

            Samr.SamrLookupNamesInDomainResult names = samr.samrLookupNamesInDomain(handle, 2, List.of(unicode("nobody"), unicode("rpcuser")));
            assertEquals(0x107, names.result());
            assertArrayEquals(new int[] {0, 1102}, names.relativeIds().element());

            Samr.SamprUserInfoBuffer name = samr.samrQueryInformationUser(handle, UserInformationClass.UserAccountNameInformation).buffer();
            assertEquals("rpcuser", assertInstanceOf(SamprUserInfoBuffer.AccountName.class, name).accountName().userName().buffer());
            Samr.SamprUserInfoBuffer control = samr.samrQueryInformationUser(handle, UserInformationClass.UserControlInformation).buffer();
            assertEquals(0x210, assertInstanceOf(SamprUserInfoBuffer.Control.class, control).control().userAccountControl());

            assertThrows(RpcFaultException.class, () -> samr.samrOpenDomain(handle, 0,
                    new Samr.RpcSid((byte) 1, (byte) 1, new Samr.SidIdentifierAuthority(new byte[] {0, 0, 0, 0, 0, 5}),
                            new int[] {32})));   // not served here
            assertTrue(samr.samrCloseHandle(handle).samHandleOut().handle().isNull());
            assertThrows(RpcFaultException.class, () -> samr.samrCloseHandle(handle), "a closed handle is gone");
        }
    }
}
