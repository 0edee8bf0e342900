package dev.weft.cli;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher: help, unknown commands and options, exit codes, --json errors. */
class WeftTest {
    @Test
    void noArgumentsPrintsUsageAndExitsTwo() {
        Cli c = Cli.run();
        assertEquals(ExitCode.USAGE, c.code);
        for (Command cmd : Weft.COMMANDS) assertTrue(c.out().contains("  " + cmd.name() + " "), c::toString);
    }

    @Test
    void helpExitsZero() {
        assertEquals(ExitCode.OK, Cli.run("--help").code);
        for (Command cmd : Weft.COMMANDS) {
            Cli c = Cli.run(cmd.name(), "--help");
            assertEquals(ExitCode.OK, c.code, c::toString);
            assertTrue(c.out().contains("usage: weft" + (cmd.name().equals("idl") ? "-idl" : " " + cmd.name()))
                    || c.out().contains("usage: weft " + cmd.name()), c::toString);
            Cli viaHelp = Cli.run("help", cmd.name());
            assertEquals(c.out(), viaHelp.out());
        }
    }

    @Test
    void commandHelpIsCompleteAndFormatted() {
        for (Command cmd : Weft.COMMANDS) {
            String help = cmd.help();
            assertTrue(help.contains("example: weft " + cmd.name()), cmd.name());
            assertTrue(!help.contains("%s") && !help.contains("%d"), cmd.name());
        }
    }

    @Test
    void unknownCommandAndOptionExitTwo() {
        Cli c = Cli.run("frobnicate", "--json");
        assertEquals(ExitCode.USAGE, c.code);
        assertTrue(c.err().contains("unknown command 'frobnicate'"), c::toString);
        assertEquals("weft: unknown command 'frobnicate'; commands: "
                + Weft.COMMANDS.stream().map(Command::name).toList() + " (weft --help)", c.json().get("error"));
        assertEquals(2L, c.json().get("exitCode"));
        Cli opt = Cli.run("epm", "ncacn_ip_tcp:127.0.0.1[1]", "--verbose");
        assertEquals(ExitCode.USAGE, opt.code);
        assertTrue(opt.err().contains("unknown option --verbose"), opt::toString);
    }

    @Test
    void versionNamesTheJava() {
        Cli c = Cli.run("--version");
        assertEquals(ExitCode.OK, c.code);
        assertTrue(c.out().startsWith("weft " + Weft.VERSION + " (Java "), c::toString);
    }

    @Test
    void exitCodesAreDistinct() {
        List<Integer> codes = List.of(ExitCode.OK, ExitCode.INTERNAL, ExitCode.USAGE, ExitCode.UNREACHABLE,
                ExitCode.REFUSED, ExitCode.NOT_FOUND, ExitCode.IDL_ERRORS, ExitCode.WRONG_ANSWER, ExitCode.INTERRUPTED);
        assertEquals(codes.size(), codes.stream().distinct().count());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 130), codes); // documented in docs/cli.md: never renumber
    }

    @Test
    void argsParsing() {
        Args a = Args.parse("x", new String[] {"pos", "--timeout=3", "--ndr", "--", "--not-an-option"},
                Target.VALUED, Target.FLAGS);
        assertEquals(List.of("pos", "--not-an-option"), a.positional());
        assertEquals(3.0, a.seconds("timeout", 10, 0, 100));
        assertTrue(a.has("ndr"));
        CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                () -> Args.parse("x", new String[] {"--timeout"}, Target.VALUED, Target.FLAGS));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals(-5, Args.parse("x", new String[] {"--n", "-5"}, java.util.Set.of("n"), java.util.Set.of())
                .intValue("n", 0, -10, 10));
    }
}
