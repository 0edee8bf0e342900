package dev.weft.cli;

import dev.weft.client.ClientAuth;
import dev.weft.client.ClientOptions;
import dev.weft.pdu.AuthLevel;
import dev.weft.security.SecurityProvider;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import dev.weft.client.RpcClient;
import dev.weft.transport.MalformedBindingException;
import dev.weft.transport.StringBinding;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The server a client command talks to: its string binding, checked up front so a typo is a usage error
 * (exit 2) and not a connection failure, and the client options the common flags set.
 */
final class Target {
    /** Options every client command accepts. */
    static final Set<String> VALUED = Set.of("timeout", "user", "password", "auth", "level");
    static final Set<String> FLAGS = Set.of("ndr");
    static final String OPTIONS_HELP = """
              --timeout S     give up connecting after S seconds (default 10)
              --ndr           offer NDR only (by default NDR64 is offered too and used when the server accepts it)
              --user [DOMAIN\\]USER  authenticate as USER (the password from --password or $WEFT_PASSWORD)
              --auth ntlm|spnego    the mechanism (default spnego, with NTLMSSP inside)
              --level connect|packet|integrity|privacy  what every call gets (default privacy: signed and sealed)
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
        ClientOptions options = ClientOptions.DEFAULT.withConnectTimeout(Duration.ofMillis((long) (timeout * 1000)))
                .withPreferNdr64(!args.has("ndr"));
        ClientAuth auth = auth(args);
        return auth == null ? options : options.withAuth(auth);
    }

    /** The client's authentication from --user, --password, --auth and --level; null without --user. */
    static ClientAuth auth(Args args) {
        if (!args.has("user")) {
            for (String o : List.of("password", "auth", "level")) {
                if (args.has(o)) throw CliException.usage("--" + o + " without --user");
            }
            return null;
        }
        String user = args.value("user", "");
        String domain = "";
        int slash = user.indexOf('\\');
        if (slash >= 0) {
            domain = user.substring(0, slash);
            user = user.substring(slash + 1);
        }
        if (user.isEmpty()) throw CliException.usage("--user needs a user name, e.g. --user RPCTEST\\rpcuser");
        String password = args.value("password", System.getenv("WEFT_PASSWORD"));
        if (password == null) throw CliException.usage("--user " + user + " needs --password or $WEFT_PASSWORD");
        NtlmProvider ntlm = NtlmProvider.client(NtlmCredentials.password(domain, user, password));
        SecurityProvider mechanism = switch (args.value("auth", "spnego")) {
            case "ntlm" -> ntlm;
            case "spnego" -> SpnegoProvider.ntlm(ntlm);
            default -> throw CliException.usage("--auth is ntlm or spnego, not " + args.value("auth", ""));
        };
        int level = switch (args.value("level", "privacy")) {
            case "connect" -> AuthLevel.RPC_C_AUTHN_LEVEL_CONNECT;
            case "packet" -> AuthLevel.RPC_C_AUTHN_LEVEL_PKT;
            case "integrity" -> AuthLevel.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY;
            case "privacy" -> AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
            default -> throw CliException.usage("--level is connect, packet, integrity or privacy, not "
                    + args.value("level", ""));
        };
        return new ClientAuth(mechanism, level, null);
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
