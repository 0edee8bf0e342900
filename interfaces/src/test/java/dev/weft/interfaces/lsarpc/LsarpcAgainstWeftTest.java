package dev.weft.interfaces.lsarpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.lsarpc.Lsarpc.LsapLookupLevel;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprHandle;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprObjectAttributes;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprPolicyAccountDomInfo;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprPolicyInformation;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprReferencedDomainList;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedSidEx2;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTranslatedSidsEx2;
import dev.weft.interfaces.lsarpc.Lsarpc.LsaprTrustInformation;
import dev.weft.interfaces.lsarpc.Lsarpc.PolicyInformationClass;
import dev.weft.interfaces.lsarpc.Lsarpc.RpcSid;
import dev.weft.interfaces.lsarpc.Lsarpc.RpcUnicodeString;
import dev.weft.interfaces.lsarpc.Lsarpc.SidIdentifierAuthority;
import dev.weft.interfaces.lsarpc.Lsarpc.SidNameUse;
import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.TransferSyntax;
import dev.weft.server.RpcServer;
import dev.weft.server.ServerCall;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated lsarpc client against the generated lsarpc server skeleton, in NDR and NDR64 (Samba speaks only NDR):
 * open a policy, query the account domain, translate names with LookupNames3, close, with a tiny LSA behind it.
 */
class LsarpcAgainstWeftTest {
    static RpcUnicodeString unicode(String s) {
        return new RpcUnicodeString((short) (2 * s.length()), (short) (2 * s.length()), s);
    }

    static final RpcSid DOMAIN = new RpcSid((byte) 1, (byte) 4, new SidIdentifierAuthority(new byte[] {0, 0, 0, 0, 0, 5}),
            new int[] {21, 1, 2, 3});

    static RpcSid child(int rid) {
        return new RpcSid((byte) 1, (byte) 5, DOMAIN.identifierAuthority(), new int[] {21, 1, 2, 3, rid});
    }

    /** The few operations the test calls; any other one fails the call. */
    static Lsarpc.Server lsa() {
        InvocationHandler h = (proxy, method, args) -> {
            ServerCall call = args == null ? null : (ServerCall) args[0];
            return switch (method.getName()) {
                case "lsarOpenPolicy2" -> {
                    assertEquals("\\\\weft", args[1]);
                    assertEquals(24, ((LsaprObjectAttributes) args[2]).length());
                    yield new Lsarpc.LsarOpenPolicy2Result(new LsaprHandle(call.openContextHandle("policy")), 0);
                }
                case "lsarQueryInformationPolicy" -> {
                    assertEquals("policy", call.contextHandle(((LsaprHandle) args[1]).handle(), String.class));
                    assertEquals(PolicyInformationClass.PolicyAccountDomainInformation, args[2]);
                    yield new Lsarpc.LsarQueryInformationPolicyResult(new LsaprPolicyInformation.PolicyAccountDomainInfo(
                            new LsaprPolicyAccountDomInfo(unicode("WEFT"), DOMAIN)), 0);
                }
                case "lsarLookupNames3" -> {
                    @SuppressWarnings("unchecked")
                    List<RpcUnicodeString> names = (List<RpcUnicodeString>) args[3];
                    assertEquals(args[2], names.size());
                    assertEquals(0, ((LsaprTranslatedSidsEx2) args[4]).entries());
                    List<LsaprTranslatedSidEx2> out = new ArrayList<>();
                    int mapped = 0;
                    for (RpcUnicodeString n : names) {
                        if (n.buffer().equals("alice")) {
                            out.add(new LsaprTranslatedSidEx2(SidNameUse.SidTypeUser, child(1105), 0, 0));
                            mapped++;
                        } else {
                            out.add(new LsaprTranslatedSidEx2(SidNameUse.SidTypeUnknown, null, -1, 0));
                        }
                    }
                    yield new Lsarpc.LsarLookupNames3Result(new LsaprReferencedDomainList(1,
                            List.of(new LsaprTrustInformation(unicode("WEFT"), DOMAIN)), 32),
                            new LsaprTranslatedSidsEx2(out.size(), out), mapped,
                            mapped == names.size() ? 0 : 0x107);   // STATUS_SOME_NOT_MAPPED
                }
                case "lsarClose" -> {
                    call.closeContextHandle(((LsaprHandle) args[1]).handle());
                    yield new Lsarpc.LsarCloseResult(new LsaprHandle(ContextHandle.NULL), 0);
                }
                default -> {
                    if (method.isDefault()) yield InvocationHandler.invokeDefault(proxy, method, args);
                    throw new UnsupportedOperationException(method.getName());
                }
            };
        };
        return (Lsarpc.Server) Proxy.newProxyInstance(Lsarpc.Server.class.getClassLoader(), new Class<?>[] {Lsarpc.Server.class}, h);
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void clientAndSkeletonAgree(TransferSyntax syntax) throws Exception {
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(Lsarpc.service(lsa())).build().start();
             RpcClient c = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            BindingHandle h = c.bind(Lsarpc.INTERFACE_ID);
            assertEquals(syntax, h.syntax());
            Lsarpc.Client lsa = Lsarpc.client(h);

            Lsarpc.LsarOpenPolicy2Result opened = lsa.lsarOpenPolicy2("\\\\weft", new LsaprObjectAttributes(24, null, null, 0, null, null), 0x02000000);
            assertEquals(0, opened.result());
            LsaprHandle policy = opened.policyHandle();

            Lsarpc.LsarQueryInformationPolicyResult account = lsa.lsarQueryInformationPolicy(policy,
                    PolicyInformationClass.PolicyAccountDomainInformation);
            LsaprPolicyAccountDomInfo a = assertInstanceOf(LsaprPolicyInformation.PolicyAccountDomainInfo.class,
                    account.policyInformation()).policyAccountDomainInfo();
            assertEquals("WEFT", a.domainName().buffer());
            assertEquals(4, a.domainSid().subAuthority().length);

            Lsarpc.LsarLookupNames3Result names = lsa.lsarLookupNames3(policy, 2, List.of(unicode("nobody"), unicode("alice")),
                    new LsaprTranslatedSidsEx2(0, null), LsapLookupLevel.LsapLookupWksta, 0, 0, 2);
            assertEquals(0x107, names.result());
            assertEquals(1, names.mappedCountOut());
            assertEquals(SidNameUse.SidTypeUnknown, names.translatedSidsOut().sids().get(0).use());
            assertEquals(null, names.translatedSidsOut().sids().get(0).sid());
            assertEquals(1105, names.translatedSidsOut().sids().get(1).sid().subAuthority()[4]);
            assertEquals("WEFT", names.referencedDomains().domains().get(0).name().buffer());

            assertThrows(RpcFaultException.class, () -> lsa.lsarEnumeratePrivileges(policy, 0, 100));   // not served here
            assertTrue(lsa.lsarClose(policy).objectHandleOut().handle().isNull());
            assertThrows(RpcFaultException.class, () -> lsa.lsarClose(policy), "a closed handle is gone");
        }
    }
}
