package dev.weft.interfaces.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.examples.WitnessExample;
import dev.weft.interfaces.examples.WitnessExample.ChangeType;
import dev.weft.interfaces.examples.WitnessExample.ResourceChange;
import dev.weft.interfaces.witness.Witness.PcontextHandle;
import dev.weft.interfaces.witness.Witness.PcontextHandleShared;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pending calls, the witness way (MS-SWN): AsyncNotify blocks in the server until the application publishes a
 * resource change. A thousand of them pend at once and one published change completes them all; other calls are
 * served meanwhile; a cancelled one ends; a vanished client's registrations are run down.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WitnessPendingCallsTest {
    static final int CONNECTIONS = 4;
    static final int CALLS_PER_CONNECTION = 250;

    WitnessExample witness;
    RpcServer server;
    String binding;

    @BeforeEach
    void start() throws IOException {
        witness = new WitnessExample(List.of(WitnessExample.ipv4Interface("weft", new byte[] {127, 0, 0, 1})));
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(Witness.service(witness)).build().start();
        binding = server.endpoints().get(0).toBinding().toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void await(String what, IntSupplier value, int expected) throws InterruptedException {
        for (int i = 0; i < 3000 && value.getAsInt() != expected; i++) Thread.sleep(10);
        assertEquals(expected, value.getAsInt(), what);
    }

    private static PcontextHandle register(Witness.Client client, String netName) {
        Witness.WitnessrRegisterResult r = client.witnessrRegister(WitnessExample.WITNESS_V1, netName, "127.0.0.1", "client");
        assertEquals(WitnessExample.ERROR_SUCCESS, r.result());
        assertNotEquals(PcontextHandle.NULL, r.ppContext());
        return r.ppContext();
    }

    @Test
    void aThousandPendingCallsAreCompletedByOnePublishedChange() throws Exception {
        List<RpcClient> clients = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Witness.WitnessrAsyncNotifyResult>> calls = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                RpcClient rpc = RpcClient.connect(binding);
                clients.add(rpc);
                Witness.Client client = Witness.client(rpc.bind(Witness.INTERFACE_ID));
                for (int i = 0; i < CALLS_PER_CONNECTION; i++) {
                    PcontextHandle handle = register(client, "FileServer");
                    calls.add(callers.submit(() -> client.witnessrAsyncNotify(new PcontextHandleShared(handle.handle()))));
                }
            }
            int total = CONNECTIONS * CALLS_PER_CONNECTION;
            await("every AsyncNotify pends in the server", witness::pendingCalls, total);

            // While a thousand calls pend, the same connections serve other calls.
            Witness.Client other = Witness.client(clients.get(0).bind(Witness.INTERFACE_ID));
            assertEquals(1, other.witnessrGetInterfaceList().interfaceList().numberOfInterfaces());
            assertEquals(0, witness.publish("some-other-name", ChangeType.UNAVAILABLE), "no registration for it");

            long published = System.nanoTime();
            assertEquals(total, witness.publish("fileserver", ChangeType.UNAVAILABLE));
            for (Future<Witness.WitnessrAsyncNotifyResult> call : calls) {
                Witness.WitnessrAsyncNotifyResult r = call.get();
                assertEquals(WitnessExample.ERROR_SUCCESS, r.result());
                assertEquals(List.of(new ResourceChange("fileserver", ChangeType.UNAVAILABLE)), ResourceChange.decodeAll(r.pResp()));
            }
            System.out.printf("WitnessPendingCallsTest: %d pending AsyncNotify answered %.1f ms after one published change%n",
                    total, (System.nanoTime() - published) / 1e6);
            assertEquals(0, witness.pendingCalls());
        } finally {
            clients.forEach(RpcClient::close);
        }
    }

    @Test
    void aChangePublishedBetweenCallsIsDeliveredByTheNextOne() {
        try (RpcClient rpc = RpcClient.connect(binding)) {
            Witness.Client client = Witness.client(rpc.bind(Witness.INTERFACE_ID));
            PcontextHandle handle = register(client, "share1");
            assertEquals(1, witness.publish("SHARE1", ChangeType.UNAVAILABLE));
            assertEquals(1, witness.publish("share1", ChangeType.AVAILABLE));
            var r = client.witnessrAsyncNotify(new PcontextHandleShared(handle.handle()));
            assertEquals(List.of(new ResourceChange("SHARE1", ChangeType.UNAVAILABLE), new ResourceChange("share1", ChangeType.AVAILABLE)),
                    ResourceChange.decodeAll(r.pResp()));
            assertEquals(2, r.pResp().numberOfMessages());
            assertEquals(WitnessExample.ERROR_SUCCESS, client.witnessrUnRegister(handle));
            assertEquals(0, witness.registrations());
        }
    }

    @Test
    void anInterruptedCallerCancelsItsPendingCall() throws Exception {
        try (RpcClient rpc = RpcClient.connect(binding)) {
            Witness.Client client = Witness.client(rpc.bind(Witness.INTERFACE_ID));
            PcontextHandle handle = register(client, "share1");
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    client.witnessrAsyncNotify(new PcontextHandleShared(handle.handle()));
                } catch (RuntimeException expected) {
                    // the client reports the abandoned call
                }
            });
            await("the call pends", witness::pendingCalls, 1);
            caller.interrupt();
            caller.join();
            await("the server ended the cancelled call", witness::pendingCalls, 0);
            // The connection and the registration are still good.
            assertEquals(1, witness.publish("share1", ChangeType.AVAILABLE));
            var r = client.witnessrAsyncNotify(new PcontextHandleShared(handle.handle()));
            assertEquals(ChangeType.AVAILABLE, ResourceChange.decodeAll(r.pResp()).get(0).type());
        }
    }

    @Test
    void aVanishedClientsRegistrationsAreRunDown() throws Exception {
        RpcClient rpc = RpcClient.connect(binding);
        Witness.Client client = Witness.client(rpc.bind(Witness.INTERFACE_ID));
        PcontextHandle handle = register(client, "share1");
        register(client, "share2");
        Thread pendingCall = Thread.ofVirtual().start(() -> {
            try {
                client.witnessrAsyncNotify(new PcontextHandleShared(handle.handle()));
            } catch (RuntimeException expected) {
                // the connection goes away under it
            }
        });
        await("the call pends", witness::pendingCalls, 1);
        rpc.close();
        pendingCall.join();
        await("the lost connection cancelled the pending call", witness::pendingCalls, 0);
        await("the association group's end ran down both registrations", witness::registrations, 0);
    }

    @Test
    void registrationChecksTheVersionAndTheName() {
        try (RpcClient rpc = RpcClient.connect(binding)) {
            Witness.Client client = Witness.client(rpc.bind(Witness.INTERFACE_ID));
            assertEquals(WitnessExample.ERROR_REVISION_MISMATCH, client.witnessrRegister(WitnessExample.WITNESS_V2, "x", null, null).result());
            assertEquals(WitnessExample.ERROR_INVALID_PARAMETER, client.witnessrRegister(WitnessExample.WITNESS_V1, null, null, null).result());
            var ex = client.witnessrRegisterEx(WitnessExample.WITNESS_V2, "share9", "share", null, "client", 0, 60);
            assertEquals(WitnessExample.ERROR_SUCCESS, ex.result());
            assertTrue(witness.registrations() == 1);
            assertEquals(WitnessExample.ERROR_SUCCESS, client.witnessrUnRegisterEx(ex.ppContext()).result());
            assertEquals(0, witness.registrations());
        }
    }
}
