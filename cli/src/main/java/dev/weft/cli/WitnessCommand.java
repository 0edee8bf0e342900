package dev.weft.cli;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.examples.WitnessExample;
import dev.weft.interfaces.examples.WitnessExample.ResourceChange;
import dev.weft.interfaces.witness.Witness;
import dev.weft.interfaces.witness.Witness.PcontextHandle;
import dev.weft.interfaces.witness.Witness.PcontextHandleShared;
import dev.weft.transport.StringBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code weft witness BINDING --net-name NAME}: registers with a witness server (MS-SWN) and prints each resource
 * change it is notified of. Every notification is one pending {@code WitnessrAsyncNotify} call; Ctrl-C cancels
 * the pending one and unregisters.
 */
final class WitnessCommand implements Command {
    @Override
    public String name() {
        return "witness";
    }

    @Override
    public String summary() {
        return "register with a witness server (MS-SWN) and print the resource changes it reports";
    }

    @Override
    public String help() {
        return """
                usage: weft witness BINDING --net-name NAME [--ip ADDRESS] [--client NAME] [--v1] [--count N]
                                            [--timeout S] [--ndr] [--json]

                Lists the server's witness interfaces, registers for NAME (WitnessrRegisterEx, or
                WitnessrRegister with --v1), then waits in WitnessrAsyncNotify and prints every resource change,
                until --count notifications arrived or Ctrl-C; then unregisters. With --json every notification
                is one JSON line.

                  --net-name NAME   the resource (server or share name) to watch
                  --ip ADDRESS      the address the client reached it at (default 127.0.0.1)
                  --client NAME     this computer's name (default weft)
                  --v1              protocol version 1 (WitnessrRegister) instead of 2
                  --count N         stop after N notifications (default: until Ctrl-C)
                %s
                example: weft witness ncacn_ip_tcp:127.0.0.1[1350] --net-name fileserver --count 1
                """.formatted(Target.OPTIONS_HELP);
    }

    @Override
    public int run(String[] argv, Io io) throws Exception {
        Args args = Args.parse(name(), argv, EchoCommand.union(Target.VALUED, "net-name", "ip", "client", "count"),
                EchoCommand.union(Target.FLAGS, "v1"));
        StringBinding binding = Target.binding(name(), args.positional(1, 1, "BINDING").get(0), null);
        String netName = args.value("net-name", null);
        if (netName == null || netName.isEmpty()) throw CliException.usage("witness: --net-name NAME is required");
        String ip = args.value("ip", "127.0.0.1");
        String client = args.value("client", "weft");
        int count = args.intValue("count", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        boolean json = args.has("json");

        try (RpcClient rpc = Target.connect(io, binding, args)) {
            Witness.Client witness = Witness.client(rpc.bind(Witness.INTERFACE_ID));
            var interfaces = witness.witnessrGetInterfaceList();
            if (!json && interfaces.result() == 0) {
                for (var i : interfaces.interfaceList().interfaceInfo()) {
                    io.err().printf("witness interface %s (state %d)%n", i.interfaceGroupName().replace("\0", ""), i.state());
                }
            }
            PcontextHandle handle;
            int status;
            if (args.has("v1")) {
                var r = witness.witnessrRegister(WitnessExample.WITNESS_V1, netName, ip, client);
                handle = r.ppContext();
                status = r.result();
            } else {
                var r = witness.witnessrRegisterEx(WitnessExample.WITNESS_V2, netName, null, ip, client, 0, 0);
                handle = r.ppContext();
                status = r.result();
            }
            if (status != 0) {
                throw new CliException(ExitCode.REFUSED, "witness: the server refused the registration for " + netName
                        + " (Win32 error " + status + ")");
            }
            if (!json) io.err().println("registered for " + netName + "; waiting for notifications (Ctrl-C ends)");
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Map<String, Object>> seen = new ArrayList<>();
            // The pending call runs on its own thread so that Ctrl-C (the stop latch) can cancel it: interrupting a
            // client call abandons it (co_cancel or orphaned) without touching the socket.
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    for (int n = 0; n < count; n++) {
                        var r = witness.witnessrAsyncNotify(new PcontextHandleShared(handle.handle()));
                        if (r.result() != 0) throw new CliException(ExitCode.REFUSED, "witness: AsyncNotify failed with Win32 error " + r.result());
                        for (ResourceChange c : ResourceChange.decodeAll(r.pResp())) {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("name", c.name());
                            m.put("change", c.type().name());
                            seen.add(m);
                            io.out().println(json ? Json.write(m) : c.name() + " " + c.type());
                        }
                    }
                } catch (Exception e) {
                    if (!Thread.currentThread().isInterrupted()) failure.set(e);
                } finally {
                    io.stop().countDown();   // done (or failed): wake the main thread
                }
            });
            io.stop().await();
            if (waiter.isAlive()) {
                waiter.interrupt();
                waiter.join();
            }
            if (failure.get() != null && !(failure.get() instanceof InterruptedException)) throw failure.get();
            witness.witnessrUnRegister(handle);
            if (!json) io.err().println("unregistered after " + seen.size() + " notification(s)");
        }
        return ExitCode.OK;
    }
}
