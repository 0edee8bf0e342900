package dev.weft.interfaces.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.ndr.TransferSyntax;
import dev.weft.server.RpcServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generated mgmt client against the server's built-in mgmt, in both transfer syntaxes. */
class MgmtAgainstWeftTest {
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void everyOperationDecodes(TransferSyntax syntax) throws Exception {
        try (RpcServer server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]")
                .service(RpcEcho.service(new RpcEchoExample())).build().start();
             RpcClient c = RpcClient.connect(server.endpoints().get(0).toBinding().toString(),
                     ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64))) {
            BindingHandle h = c.bind(Mgmt.INTERFACE_ID);
            assertEquals(syntax, h.syntax());
            Mgmt.Client mgmt = Mgmt.client(h);
            Mgmt.InqIfIdsResult ids = mgmt.inqIfIds();
            assertEquals(0, ids.status());
            assertTrue(ids.ifIdVector().ifId().stream().anyMatch(id -> id.uuid().equals(RpcEcho.INTERFACE_ID.uuid())));
            Mgmt.InqStatsResult stats = mgmt.inqStats(4);
            assertEquals(0, stats.status());
            assertEquals(4, stats.countOut());
            assertEquals(4, stats.statistics().length);
            assertTrue(stats.statistics()[0] >= 2, "calls in: inq_if_ids and this one");
            assertEquals(1, mgmt.isServerListening().result());
            assertEquals(0, mgmt.inqPrincName(0, 256).status());
        }
    }
}
