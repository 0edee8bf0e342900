package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.interfaces.examples.WitnessExample;
import dev.weft.interfaces.examples.WitnessExample.ChangeType;
import dev.weft.interfaces.witness.Witness;
import dev.weft.server.RpcServer;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** weft witness against the witness example: notifications printed as they come, unregistered at the end. */
class WitnessCommandTest {
    WitnessExample witness;
    RpcServer server;
    String binding;

    @BeforeEach
    void start() throws Exception {
        witness = new WitnessExample(List.of(WitnessExample.ipv4Interface("weft", new byte[] {127, 0, 0, 1})));
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(Witness.service(witness)).build().start();
        binding = server.endpoints().get(0).toBinding().toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static void await(IntSupplier value, int expected) throws InterruptedException {
        for (int i = 0; i < 1000 && value.getAsInt() != expected; i++) Thread.sleep(10);
        assertEquals(expected, value.getAsInt());
    }

    @Test
    void printsEachNotificationAndUnregisters() throws Exception {
        Cli cli = new Cli();
        Thread t = Thread.ofVirtual().start(() -> cli.code = Weft.run(
                new String[] {"witness", binding, "--net-name", "FileServer", "--count", "2", "--json"}, cli.io));
        await(witness::pendingCalls, 1);
        assertEquals(1, witness.publish("fileserver", ChangeType.UNAVAILABLE));
        await(() -> (int) cli.out().lines().count(), 1);   // the first notification is printed...
        await(witness::pendingCalls, 1);                    // ...and the second AsyncNotify pends
        assertEquals(1, witness.publish("FILESERVER", ChangeType.AVAILABLE));
        assertTrue(t.join(Duration.ofSeconds(10)));
        assertEquals(ExitCode.OK, cli.code, cli::toString);
        assertEquals(List.of("{\"name\":\"fileserver\",\"change\":\"UNAVAILABLE\"}", "{\"name\":\"FILESERVER\",\"change\":\"AVAILABLE\"}"),
                cli.out().lines().toList());
        await(witness::registrations, 0);
    }

    @Test
    void ctrlCCancelsThePendingCallAndUnregisters() throws Exception {
        Cli cli = new Cli();
        Thread t = Thread.ofVirtual().start(() -> cli.code = Weft.run(
                new String[] {"witness", binding, "--net-name", "share1", "--v1"}, cli.io));
        await(witness::pendingCalls, 1);
        cli.io.stop().countDown();            // what Ctrl-C does
        assertTrue(t.join(Duration.ofSeconds(10)));
        assertEquals(ExitCode.OK, cli.code, cli::toString);
        await(witness::pendingCalls, 0);
        await(witness::registrations, 0);
        assertTrue(cli.err().contains("unregistered after 0 notification(s)"), cli::toString);
    }

    @Test
    void aNetNameIsRequired() {
        assertEquals(ExitCode.USAGE, Cli.run("witness", binding).code);
    }
}
