package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmProvider;
import dev.weft.security.spnego.SpnegoProvider;
import dev.weft.server.RpcServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** --user, --password, --auth and --level on the client commands, against a server that checks them. */
class AuthOptionsTest {
    static RpcServer server;
    static String binding;

    @BeforeAll
    static void start() throws IOException {
        NtlmCredentialSource users = NtlmCredentialSource.ofPasswords(Map.of("alice", "Secret-1"));
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(RpcEcho.service(new RpcEchoExample()))
                .authentication(NtlmProvider.server(users)).authentication(SpnegoProvider.ntlm(NtlmProvider.server(users)))
                .build().start();
        binding = server.endpoints().get(0).toBinding().toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({"ntlm, integrity", "spnego, privacy", "ntlm, connect"})
    void echoAuthenticates(String mechanism, String level) {
        Cli c = Cli.run("echo", binding, "--user", "WEFT\\alice", "--password", "Secret-1", "--auth", mechanism,
                "--level", level, "--json");
        assertEquals(ExitCode.OK, c.code, c::toString);
        assertEquals(true, c.json().get("ok"), c::toString);
        assertTrue(c.out().contains("AddOne"), c::toString);
    }

    @Test
    void aWrongPasswordIsRefused() {
        Cli c = Cli.run("echo", binding, "--user", "alice", "--password", "wrong");
        assertEquals(ExitCode.REFUSED, c.code, c::toString);
    }

    @Test
    void authOptionsNeedAUserAndAPassword() {
        assertEquals(ExitCode.USAGE, Cli.run("echo", binding, "--level", "privacy").code);
        assertEquals(ExitCode.USAGE, Cli.run("echo", binding, "--user", "alice", "--level", "secret", "--password", "x").code);
        assertEquals(ExitCode.USAGE, Cli.run("echo", binding, "--user", "alice", "--auth", "kerberos", "--password", "x").code);
    }

    @SuppressWarnings("unchecked")
    @Test
    void serveWithUsersAcceptsThemAndRefusesWrongPasswords() throws Exception {
        try (ServeCommandTest.Running r = new ServeCommandTest.Running("--listen", "ncacn_ip_tcp:127.0.0.1[0]",
                "--user", "bob:Pw-2", "--json")) {
            String b = ((java.util.List<String>) JsonParser.object(r.firstLine()).get("endpoints")).get(0);
            Cli ok = Cli.run("echo", b, "--user", "bob", "--password", "Pw-2", "--level", "privacy", "--json");
            assertEquals(ExitCode.OK, ok.code, ok::toString);
            Cli refused = Cli.run("echo", b, "--user", "bob", "--password", "Pw-3", "--auth", "ntlm");
            assertEquals(ExitCode.REFUSED, refused.code, refused::toString);
            assertEquals(ExitCode.USAGE, Cli.run("serve", "--user", "nopassword").code);
        }
    }
}
