package dev.weft.cli;

import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.transport.MalformedBindingException;
import dev.weft.transport.StringBinding;
import java.time.Duration;
import java.util.Set;

/**
 * The server a client command talks to: its string binding, checked up front so a typo is a usage error
 * (exit 2) and not a connection failure, and the client options the common flags set.
 */
final class Target {
    /** Options every client command accepts. */
    static final Set<String> VALUED = Set.of("timeout");
    static final Set<String> FLAGS = Set.of("ndr");
    static final String OPTIONS_HELP = """
              --timeout S     give up connecting after S seconds (default 10)
              --ndr           offer NDR only (by default NDR64 is offered too and used when the server accepts it)
              --json          print one JSON document for scripts instead of text
            """;

    private Target() {
    }

    /**
     * Parses {@code text}; a binding without an endpoint gets {@code defaultEndpoint} when that is not null
     * (the endpoint mapper's 135 for {@code epm}, {@code map} and {@code mgmt}, which every endpoint answers).
     */
    static StringBinding binding(String command, String text, String defaultEndpoint) {
        StringBinding b;
        try {
            b = StringBinding.parse(text);
        } catch (MalformedBindingException e) {
            throw CliException.usage(command + ": '" + text + "' is not a string binding: " + e.getMessage()
                    + " (expected e.g. ncacn_ip_tcp:127.0.0.1[1350] or ncalrpc:[weft])");
        }
        if (b.endpoint() == null && defaultEndpoint != null) b = b.withEndpoint(defaultEndpoint);
        return b;
    }

    static ClientOptions options(Args args) {
        double timeout = args.seconds("timeout", 10, 0.001, 3600);
        return ClientOptions.DEFAULT.withConnectTimeout(Duration.ofMillis((long) (timeout * 1000)))
                .withPreferNdr64(!args.has("ndr"));
    }

    /** Connects (with progress after a second); failures surface as {@code RpcTransportException}. */
    static RpcClient connect(Io io, StringBinding binding, Args args) {
        return connect(io, binding, options(args));
    }

    static RpcClient connect(Io io, StringBinding binding, ClientOptions options) {
        try (Progress p = io.progress("connecting to " + binding)) {
            return RpcClient.connect(binding.toString(), options);
        }
    }
}
