package dev.weft.cli;

import dev.weft.cli.examples.ExampleServices;
import dev.weft.cli.examples.ExampleServices.Example;
import dev.weft.server.RpcServer;
import dev.weft.server.RpcService;
import dev.weft.server.ServerLimits;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Protseq;
import dev.weft.transport.StringBinding;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code weft serve}: a Weft server with the endpoint mapper, mgmt and the example services, until Ctrl-C.
 * Loopback and an unprivileged port by default ({@value #DEFAULT_LISTEN}); {@code --epm-port 135} adds the
 * well-known endpoint-mapper port that rpcclient and Windows insist on (root needed).
 */
final class ServeCommand implements Command {
    static final String DEFAULT_LISTEN = "ncacn_ip_tcp:127.0.0.1[1350]";

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run a server: endpoint mapper, mgmt and the example services";
    }

    @Override
    public String help() {
        StringBuilder services = new StringBuilder();
        for (Example e : ExampleServices.all()) {
            services.append(String.format("  %-12s %s%n", e.name(), e.description()));
        }
        return """
                usage: weft serve [--listen BINDING]... [--epm-port PORT] [--no-epm] [--service NAME]...
                                  [--max-connections N] [--max-calls N] [--idle-timeout S]
                                  [--user NAME:PASSWORD]... [--json]

                Serves the endpoint mapper (on every endpoint), mgmt and the example services until Ctrl-C,
                then closes: stops accepting, cancels running calls and waits for them.

                  --listen BINDING     listen on a string binding (repeatable; default %s);
                                       port 0 picks a free port, ncalrpc:[NAME] a local socket
                  --epm-port PORT      also listen on this TCP port of the first TCP address: 135 is where
                                       rpcclient and Windows look for the endpoint mapper (needs root)
                  --no-epm             no endpoint mapper
                  --service NAME       serve only the named example services (repeatable; default all)
                  --max-connections N  connections open at once (default %d)
                  --max-calls N        concurrent calls per connection (default %d)
                  --idle-timeout S     close connections silent for S seconds (default %d; 0: never)
                  --user NAME:PASSWORD accept clients that authenticate as NAME with NTLMSSP or SPNEGO
                                       (repeatable); unauthenticated clients are still served
                  --json               print the endpoints as one JSON line

                example services:
                %s
                example: weft serve --listen ncacn_ip_tcp:127.0.0.1[1350] --listen ncalrpc:[weft]
                """.formatted(DEFAULT_LISTEN, ServerLimits.DEFAULT.maxConnections(),
                ServerLimits.DEFAULT.maxCallsPerConnection(), ServerLimits.DEFAULT.idleTimeout().toSeconds(),
                services.toString().stripTrailing());
    }

    @Override
    public int run(String[] argv, Io io) throws InterruptedException {
        Args args = Args.parse(name(), argv,
                Set.of("listen", "epm-port", "service", "max-connections", "max-calls", "idle-timeout", "user"),
                Set.of("no-epm"));
        args.positional(0, 0, "nothing");
        boolean epm = !args.has("no-epm");

        List<String> listen = args.values("listen");
        if (listen.isEmpty()) listen = List.of(DEFAULT_LISTEN);
        List<Endpoint> endpoints = new ArrayList<>();
        for (String l : listen) endpoints.add(endpoint(l));
        if (args.has("epm-port")) {
            if (!epm) throw CliException.usage("serve: --epm-port with --no-epm: there is no endpoint mapper to put there");
            int port = args.intValue("epm-port", 135, 1, 65535);
            String host = endpoints.stream().filter(e -> e.protseq() == Protseq.NCACN_IP_TCP).findFirst()
                    .map(Endpoint::networkAddress).orElse("127.0.0.1");
            endpoints.add(Endpoint.tcp(host, port));
        }

        List<Example> chosen = chooseServices(args.values("service"));
        ServerLimits limits = ServerLimits.DEFAULT
                .withMaxConnections(args.intValue("max-connections", ServerLimits.DEFAULT.maxConnections(), 1, 1_000_000))
                .withMaxCallsPerConnection(args.intValue("max-calls", ServerLimits.DEFAULT.maxCallsPerConnection(), 1, 65_535));
        double idle = args.seconds("idle-timeout", ServerLimits.DEFAULT.idleTimeout().toSeconds(), 0, 365 * 86400.0);
        limits = limits.withTimeouts(limits.partialPduTimeout(), Duration.ofMillis((long) (idle * 1000)));

        RpcServer.Builder builder = RpcServer.builder().limits(limits);
        for (Endpoint e : endpoints) builder.listen(e);
        Map<String, RpcService> services = new LinkedHashMap<>(); // by example name (annotations vary in case)
        for (Example e : chosen) {
            RpcService s = e.factory().get();
            services.put(e.name(), s);
            builder.service(s);
        }
        if (epm) builder.endpointMapper();
        Map<String, String> users = new LinkedHashMap<>();
        for (String u : args.values("user")) {
            int colon = u.indexOf(':');
            if (colon <= 0) throw CliException.usage("serve: --user takes NAME:PASSWORD, not '" + u + "'");
            users.put(u.substring(0, colon), u.substring(colon + 1));
        }
        if (!users.isEmpty()) {
            NtlmCredentialSource source = NtlmCredentialSource.ofPasswords(users);
            builder.authentication(NtlmProvider.server(source)).authentication(SpnegoProvider.ntlm(NtlmProvider.server(source)));
        }

        RpcServer server;
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new CliException(ExitCode.UNREACHABLE, "serve: cannot listen on " + endpoints + ": " + e.getMessage()
                    + (endpoints.stream().anyMatch(x -> x.protseq().isIp() && x.name() != null && !x.name().equals("0")
                    && Integer.parseInt(x.name()) < 1024) ? " (ports below 1024 need root)" : ""));
        }
        try (server) {
            report(io, args.has("json"), server, services, epm);
            try {
                io.stop().await();
            } catch (InterruptedException e) {
                // a test or an embedding thread stops us the same way Ctrl-C does
            }
            if (!args.has("json")) io.err().println("weft serve: stopping (draining running calls)");
        }
        if (!args.has("json")) io.err().println("weft serve: stopped");
        return ExitCode.OK;
    }

    private static Endpoint endpoint(String text) {
        StringBinding b = Target.binding("serve", text, null);
        if (b.endpoint() == null) {
            throw CliException.usage("serve: " + text + " names no endpoint: say which port or name, e.g. "
                    + b.withEndpoint(b.protseq() == Protseq.NCALRPC ? "weft" : "0"));
        }
        try {
            return b.toEndpoint();
        } catch (IllegalArgumentException e) {
            throw CliException.usage("serve: cannot listen on " + text + ": " + e.getMessage());
        }
    }

    private static List<Example> chooseServices(List<String> names) {
        if (names.isEmpty()) return ExampleServices.all();
        List<Example> chosen = new ArrayList<>();
        for (String n : names) {
            for (String one : n.split(",")) {
                Example e = ExampleServices.all().stream().filter(x -> x.name().equals(one.trim())).findFirst()
                        .orElseThrow(() -> CliException.usage("serve: no example service '" + one + "'; there are: "
                                + ExampleServices.all().stream().map(Example::name).toList()));
                if (!chosen.contains(e)) chosen.add(e);
            }
        }
        return chosen;
    }

    private static void report(Io io, boolean json, RpcServer server, Map<String, RpcService> services, boolean epm) {
        List<String> bindings = server.endpoints().stream().map(e -> e.toBinding().toString()).toList();
        List<Map<String, Object>> svc = new ArrayList<>();
        if (epm) svc.add(service("epmapper", "e1af8308-5d1f-11c9-91a4-08002b14a0fa", 3, 0));
        svc.add(service("mgmt", "afa8bd80-7d8a-11c9-bef4-08002b102989", 1, 0));
        services.forEach((name, s) -> svc.add(service(name, s.interfaceId().uuid().toString(),
                s.interfaceId().major(), s.interfaceId().minor())));
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("endpoints", bindings);
            m.put("services", svc);
            io.out().println(Json.write(m));
        } else {
            io.out().println("weft serve: listening on");
            for (String b : bindings) io.out().println("  " + b);
            io.out().println("services:");
            for (Map<String, Object> s : svc) {
                io.out().printf("  %-10s %s v%s.%s%n", s.get("name"), s.get("uuid"), s.get("major"), s.get("minor"));
            }
            String first = bindings.get(0);
            io.out().println("try: weft " + (epm ? "epm " : "mgmt ") + first + "   (Ctrl-C stops the server)");
        }
        io.out().flush();
    }

    private static Map<String, Object> service(String name, String uuid, int major, int minor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("uuid", uuid);
        m.put("major", major);
        m.put("minor", minor);
        return m;
    }
}
