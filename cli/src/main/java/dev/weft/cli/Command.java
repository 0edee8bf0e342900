package dev.weft.cli;

/**
 * One {@code weft} subcommand. {@link Weft} dispatches to it, prints its {@link #help()} for {@code --help}, and
 * turns what it throws into a message and an {@link ExitCode}.
 */
public interface Command {
    /** The word after {@code weft}. */
    String name();

    /** One line for {@code weft --help}. */
    String summary();

    /** The full help: usage line, options, an example. */
    String help();

    /**
     * Runs the command.
     *
     * @return the exit code (failures may also be thrown: {@link CliException}, {@code RpcException}s, ...)
     */
    int run(String[] argv, Io io) throws Exception;
}
