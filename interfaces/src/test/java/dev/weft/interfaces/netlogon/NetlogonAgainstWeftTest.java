package dev.weft.interfaces.netlogon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.netlogon.Netlogon.DomainControllerInfow;
import dev.weft.interfaces.netlogon.Netlogon.DsDomainTrustsw;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonAuthenticator;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonControlDataInformation;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonControlQueryInformation;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonCredential;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonInfo1;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonInfo4;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonSecureChannelType;
import dev.weft.interfaces.netlogon.Netlogon.NetlogonTrustedDomainArray;
import dev.weft.interfaces.netlogon.Netlogon.NlTrustPassword;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.server.RpcServer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated netlogon client against the generated netlogon server skeleton, in NDR and NDR64 (Samba speaks
 * only NDR): the secure-channel setup calls, the DC locator, trusts, NetrLogonControl2Ex and the password set,
 * each with its arguments checked on the server side and its answer on the client side.
 */
class NetlogonAgainstWeftTest {
    static final HexFormat HEX = HexFormat.of();
    static final Uuid DOMAIN_GUID = Uuid.parse("8357b3ad-e0f3-4ed4-b0a0-d2ab4742f20f");
    static final byte[] SERVER_CHALLENGE = HEX.parseHex("f99aa3f3e4cd84ad");

    static Netlogon.Server dc() {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "netrServerReqChallenge" -> {
                assertNull(args[1], "PrimaryName is [unique]");
                assertEquals("WEFTTEST", args[2]);
                assertArrayEquals(HEX.parseHex("0102030405060708"), ((NetlogonCredential) args[3]).data());
                yield new Netlogon.NetrServerReqChallengeResult(new NetlogonCredential(SERVER_CHALLENGE), 0);
            }
            case "netrServerAuthenticate3" -> {
                assertEquals("\\\\rpcdc", args[1]);
                assertEquals("WEFTTEST$", args[2]);
                assertEquals(NetlogonSecureChannelType.WorkstationSecureChannel, args[3]);
                assertEquals(0x612fffff, args[6]);
                yield new Netlogon.NetrServerAuthenticate3Result(new NetlogonCredential(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}),
                        0x612fffff & 0x21000000, 1105, 0);
            }
            case "dsrGetDcNameEx2" -> {
                assertEquals("rpctest.local", args[4]);
                assertNull(args[5], "DomainGuid is [unique] and absent");
                assertEquals(0x40000000, args[7]);
                yield new Netlogon.DsrGetDcNameEx2Result(new DomainControllerInfow("\\\\rpcdc.rpctest.local", "\\\\127.0.0.1", 1,
                        DOMAIN_GUID, "rpctest.local", "rpctest.local", 0xe00013fd, "Default-First-Site-Name", null), 0);
            }
            case "netrLogonControl2Ex" -> {
                int functionCode = (int) args[2], level = (int) args[3];
                assertEquals(functionCode, ((NetlogonControlDataInformation) args[4]).discriminant());
                yield new Netlogon.NetrLogonControl2ExResult(switch (level) {
                    case 1 -> new NetlogonControlQueryInformation.NetlogonInfo1Arm(new NetlogonInfo1(0x80, 0));
                    case 4 -> new NetlogonControlQueryInformation.NetlogonInfo4Arm(new NetlogonInfo4("\\\\rpcdc",
                            assertInstanceOf(NetlogonControlDataInformation.TrustedDomainName.class, args[4]).trustedDomainName()));
                    default -> null;
                }, 0);
            }
            case "dsrEnumerateDomainTrusts" -> new Netlogon.DsrEnumerateDomainTrustsResult(new NetlogonTrustedDomainArray(1,
                    List.of(new DsDomainTrustsw("RPCTEST", "rpctest.local", (int) args[2], 0, 2, 0, null, DOMAIN_GUID))), 0);
            case "netrServerPasswordSet2" -> {
                NlTrustPassword p = (NlTrustPassword) args[6];
                assertEquals(256, p.buffer().length());
                assertEquals(24, p.length());
                yield new Netlogon.NetrServerPasswordSet2Result((NetlogonAuthenticator) args[5], 0);
            }
            default -> {
                if (method.isDefault()) yield InvocationHandler.invokeDefault(proxy, method, args);
                throw new UnsupportedOperationException(method.getName());
            }
        };
        return (Netlogon.Server) Proxy.newProxyInstance(Netlogon.Server.class.getClassLoader(),
                new Class<?>[] {Netlogon.Server.class}, h);
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void clientAndSkeletonAgree(TransferSyntax syntax) throws Exception {
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(Netlogon.service(dc())).build().start();
             RpcClient c = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            BindingHandle h = c.bind(Netlogon.INTERFACE_ID);
            assertEquals(syntax, h.syntax());
            Netlogon.Client n = Netlogon.client(h);

            Netlogon.NetrServerReqChallengeResult challenge = n.netrServerReqChallenge(null, "WEFTTEST",
                    new NetlogonCredential(HEX.parseHex("0102030405060708")));
            assertEquals(0, challenge.result());
            assertArrayEquals(SERVER_CHALLENGE, challenge.serverChallenge().data());

            Netlogon.NetrServerAuthenticate3Result auth = n.netrServerAuthenticate3("\\\\rpcdc", "WEFTTEST$",
                    NetlogonSecureChannelType.WorkstationSecureChannel, "WEFTTEST", new NetlogonCredential(new byte[8]), 0x612fffff);
            assertEquals(0x21000000, auth.negotiateFlagsOut());
            assertEquals(1105, auth.accountRid());
            assertArrayEquals(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, auth.serverCredential().data());

            DomainControllerInfow dc = n.dsrGetDcNameEx2(null, null, 0, "rpctest.local", null, null, 0x40000000).domainControllerInfo();
            assertEquals("\\\\rpcdc.rpctest.local", dc.domainControllerName());
            assertEquals(DOMAIN_GUID, dc.domainGuid());
            assertNull(dc.clientSiteName());

            NetlogonControlQueryInformation q1 = n.netrLogonControl2Ex(null, 1, 1,
                    new NetlogonControlDataInformation.Default(1)).buffer();
            assertEquals(0x80, assertInstanceOf(NetlogonControlQueryInformation.NetlogonInfo1Arm.class, q1).netlogonInfo1().netlog1Flags());
            NetlogonControlQueryInformation q4 = n.netrLogonControl2Ex(null, 6, 4,
                    new NetlogonControlDataInformation.TrustedDomainName(6, "OTHER")).buffer();   // NETLOGON_CONTROL_TC_QUERY
            assertEquals(new NetlogonInfo4("\\\\rpcdc", "OTHER"),
                    assertInstanceOf(NetlogonControlQueryInformation.NetlogonInfo4Arm.class, q4).netlogonInfo4());

            DsDomainTrustsw trust = n.dsrEnumerateDomainTrusts(null, 0x3f).domains().domains().get(0);
            assertEquals(0x3f, trust.flags());
            assertEquals(DOMAIN_GUID, trust.domainGuid());

            NetlogonAuthenticator authenticator = new NetlogonAuthenticator(new NetlogonCredential(HEX.parseHex("a1a2a3a4a5a6a7a8")), 1234);
            Netlogon.NetrServerPasswordSet2Result set = n.netrServerPasswordSet2("\\\\rpcdc", "WEFTTEST$",
                    NetlogonSecureChannelType.WorkstationSecureChannel, "WEFTTEST", authenticator,
                    new NlTrustPassword("\u0001".repeat(256), 24));
            assertEquals(0, set.result());
            assertArrayEquals(authenticator.credential().data(), set.returnAuthenticator().credential().data());
            assertEquals(1234, set.returnAuthenticator().timestamp());

            assertThrows(RpcFaultException.class, () -> n.dsrGetSiteName(null), "not served here");
            assertEquals(0, n.netrServerReqChallenge(null, "WEFTTEST", new NetlogonCredential(HEX.parseHex("0102030405060708"))).result(),
                    "the connection survives the fault");
        }
    }
}
