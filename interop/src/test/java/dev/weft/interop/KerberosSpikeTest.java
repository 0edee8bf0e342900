package dev.weft.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.security.SecurityProvider;
import dev.weft.security.kerberos.KerberosCredentials;
import dev.weft.security.kerberos.KerberosProvider;
import dev.weft.security.spnego.SpnegoProvider;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Spike of issue 8: Weft's Kerberos client (JGSS for the tickets and the AP exchange, Weft's own RFC 4121 tokens for
 * the PDUs) calls samr on the Samba AD DC, with a service ticket from the DC's own KDC.
 */
class KerberosSpikeTest {
    static final String PRINCIPAL = "rpcuser@RPCTEST.LOCAL", PASSWORD = "RpcTest-Passw0rd1";
    static final String TARGET = "host/rpcdc.rpctest.local";

    @BeforeAll
    static void start() {
        SambaDc.ensureRunning();
        System.setProperty("java.security.krb5.conf",
                System.getenv().getOrDefault("WEFT_SAMBA_DIR", "/var/lib/weft-samba") + "/krb5.conf");
    }

    static SecurityProvider mechanism(String name, String password) {
        KerberosProvider krb5 = KerberosProvider.client(KerberosCredentials.password(PRINCIPAL, password.toCharArray()));
        return name.equals("spnego") ? new SpnegoProvider(List.of(new SpnegoProvider.Mechanism(KerberosProvider.OID, krb5)))
                : krb5;
    }

    /** samr Connect2 (opnum 57) and Close (opnum 1), as AuthenticatedInteropTest does with NTLMSSP. */
    static void connectAndClose(RpcClient client) {
        BindingHandle samr = client.bind(WeftClientAgainstSambaTest.SAMR);
        NdrWriter w = samr.newRequest();
        if (w.writeUniquePointer("\\\\rpcdc")) w.writeWideString("\\\\rpcdc");
        w.writeInt32(0x02000000);                        // MAXIMUM_ALLOWED
        NdrReader r = samr.call(57, w);
        ContextHandle handle = r.readContextHandle();
        assertEquals(0, r.readInt32(), "STATUS_SUCCESS");
        assertTrue(!handle.isNull());
        NdrReader closed = samr.call(1, samr.newRequest().writeContextHandle(handle));
        assertTrue(closed.readContextHandle().isNull());
        assertEquals(0, closed.readInt32());
    }

    @ParameterizedTest(name = "{0} at level {1}")
    @CsvSource({"spnego, 5", "krb5, 5"})
    void weftClientCallsSamrOnSambaWithKerberos(String mechanism, int level) {
        call(mechanism, level);
    }

    private static void call(String mechanism, int level) {
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(mechanism(mechanism, PASSWORD), level, TARGET));
        try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, options)) {
            connectAndClose(client);
            connectAndClose(client);                     // sequence numbers keep step over several calls
        }
    }

    /** Sealing does not interoperate yet (Samba answers RPC_S_SEC_PKG_ERROR): the provider says so before any I/O. */
    @Test
    void privacyIsRefusedUpFrontUntilSealingInteroperates() {
        var provider = KerberosProvider.client(KerberosCredentials.password("rpcuser@RPCTEST.LOCAL", PASSWORD.toCharArray()));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> provider.newClientContext(dev.weft.security.Protection.CONFIDENTIALITY, TARGET));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("PKT_PRIVACY"), e.getMessage());
    }

    @Test
    void aWrongPasswordFailsTheLogin() {
        ClientOptions options = ClientOptions.DEFAULT.withAuth(new ClientAuth(mechanism("spnego", "wrong"), 6, TARGET));
        assertThrows(RuntimeException.class, () -> {
            try (RpcClient client = RpcClient.connect("ncacn_ip_tcp:" + SambaDc.HOST, options)) {
                connectAndClose(client);
            }
        });
    }
}
