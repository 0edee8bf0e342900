package dev.weft.cli;

import dev.weft.client.RpcBindException;
import dev.weft.client.RpcFaultException;
import dev.weft.client.RpcTransportException;
import dev.weft.ndr.NdrException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code weft} command: {@code weft COMMAND [ARGS]}, {@code weft --help}, {@code weft COMMAND --help}.
 * {@link #run} is the whole command without {@code System.exit}, so tests drive it in-process; failures become
 * one line on standard error (and a JSON object on standard output with {@code --json}) and an
 * {@link ExitCode}.
 */
public final class Weft {
    /** The version printed by {@code weft --version}. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    static final List<Command> COMMANDS = List.of(new ServeCommand(), new EpmCommand(), new MapCommand(),
            new MgmtCommand(), new EchoCommand(), new WitnessCommand(), new FetchCommand(), new BenchCommand(), new IdlCommand());

    private Weft() {
    }

    public static void main(String[] args) {
        Io io = Io.system();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: ask the running command to stop (serve closes its server, which drains; bench reports what it
        // measured), and hold the JVM's exit until it has, for at most 10 s.
        Thread hook = new Thread(() -> {
            io.stop().countDown();
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                // exiting anyway
            }
        }, "weft-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            code = run(args, io);
        } finally {
            finished.countDown();
        }
        io.out().flush();
        // After a Ctrl-C the JVM is already exiting: the hook must not be removed and exit() would wait on it.
        if (!io.stopping()) System.exit(code);
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, Io io) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            if (args.length >= 2 && args[0].equals("help")) return run(new String[] {args[1], "--help"}, io);
            io.out().print(usage());
            return args.length == 0 ? ExitCode.USAGE : ExitCode.OK;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            io.out().println("weft " + VERSION + " (Java " + Runtime.version() + ")");
            return ExitCode.OK;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        boolean json = Arrays.asList(rest).contains("--json");
        if (command == null) {
            return fail(io, json, ExitCode.USAGE, "weft: unknown command '" + args[0] + "'; commands: "
                    + COMMANDS.stream().map(Command::name).toList() + " (weft --help)");
        }
        // --help anywhere before "--" wins, except for idl, whose tool has its own --help.
        if (!command.name().equals("idl") && helpAsked(rest)) {
            io.out().print(command.help());
            return ExitCode.OK;
        }
        String prefix = "weft " + command.name() + ": ";
        try {
            return command.run(rest, io);
        } catch (CliException e) {
            return fail(io, json, e.exitCode(), "weft " + e.getMessage());
        } catch (RpcTransportException e) {
            return fail(io, json, ExitCode.UNREACHABLE, prefix + e.getMessage());
        } catch (RpcFaultException e) {
            return fail(io, json, ExitCode.REFUSED, prefix + "the server answered with " + e.getMessage());
        } catch (RpcBindException e) {
            return fail(io, json, ExitCode.REFUSED, prefix + "bind refused: " + e.getMessage());
        } catch (NdrException e) {
            return fail(io, json, ExitCode.WRONG_ANSWER, prefix + "undecodable answer: " + e.getMessage());
        } catch (InterruptedException e) {
            return fail(io, json, ExitCode.INTERRUPTED, prefix + "interrupted");
        } catch (Exception e) {
            if (System.getenv("WEFT_DEBUG") != null) e.printStackTrace(io.err());
            return fail(io, json, ExitCode.INTERNAL, prefix + "unexpected " + e + " (WEFT_DEBUG=1 shows the stack)");
        }
    }

    private static boolean helpAsked(String[] rest) {
        for (String a : rest) {
            if (a.equals("--")) return false;
            if (a.equals("-h") || a.equals("--help")) return true;
        }
        return false;
    }

    private static int fail(Io io, boolean json, int code, String message) {
        io.err().println(message);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", message);
            m.put("exitCode", code);
            io.out().println(Json.write(m));
        }
        return code;
    }

    static String usage() {
        StringBuilder b = new StringBuilder("""
                usage: weft COMMAND [ARGS]   (weft COMMAND --help for each)

                Weft: DCE/RPC (C706 with the MS-RPCE extensions) for Java, client and server.

                commands:
                """);
        for (Command c : COMMANDS) b.append(String.format("  %-7s %s%n", c.name(), c.summary()));
        b.append("""

                exit codes: 0 ok, 1 internal error, 2 usage, 3 unreachable / cannot listen, 4 refused by the server
                (fault, bind rejected), 5 not registered, 6 IDL errors, 7 wrong answer, 130 interrupted.
                --json on any command prints one JSON document on standard output (errors too).

                quick start:  weft serve            (in one terminal)
                              weft epm 'ncacn_ip_tcp:127.0.0.1[1350]'
                              weft echo 'ncacn_ip_tcp:127.0.0.1[1350]'
                """);
        return b.toString();
    }

}
