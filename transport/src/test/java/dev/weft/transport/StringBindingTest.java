package dev.weft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StringBindingTest {

    private static final UUID OBJ = UUID.fromString("12345678-9abc-def0-1234-56789abcdef0");

    private static Map<String, String> opts(String... kv) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** input, protseq, address, endpoint, options, object, canonical form. */
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("ncacn_ip_tcp:127.0.0.1[1350]", Protseq.NCACN_IP_TCP, "127.0.0.1", "1350", opts(), null,
                        "ncacn_ip_tcp:127.0.0.1[1350]"),
                Arguments.of("ncacn_ip_tcp:dc.example.com", Protseq.NCACN_IP_TCP, "dc.example.com", null, opts(), null,
                        "ncacn_ip_tcp:dc.example.com"),
                Arguments.of("ncalrpc:[weft]", Protseq.NCALRPC, "", "weft", opts(), null, "ncalrpc:[weft]"),
                Arguments.of("ncacn_np:host[\\pipe\\lsass]", Protseq.NCACN_NP, "host", "\\pipe\\lsass", opts(), null,
                        "ncacn_np:host[\\pipe\\lsass]"),
                // C706 escaping of the backslashes gives the same endpoint
                Arguments.of("ncacn_np:host[\\\\pipe\\\\lsass]", Protseq.NCACN_NP, "host", "\\pipe\\lsass", opts(), null,
                        "ncacn_np:host[\\pipe\\lsass]"),
                // leading backslashes on the server name are optional
                Arguments.of("ncacn_np:\\\\\\\\host[\\pipe\\lsass]", Protseq.NCACN_NP, "host", "\\pipe\\lsass", opts(),
                        null, "ncacn_np:host[\\pipe\\lsass]"),
                Arguments.of("ncacn_np:\\\\host[lsarpc]", Protseq.NCACN_NP, "host", "lsarpc", opts(), null,
                        "ncacn_np:host[lsarpc]"),
                Arguments.of("12345678-9ABC-DEF0-1234-56789ABCDEF0@ncacn_ip_tcp:[::1][135]", Protseq.NCACN_IP_TCP, "::1",
                        "135", opts(), OBJ, "12345678-9abc-def0-1234-56789abcdef0@ncacn_ip_tcp:[::1][135]"),
                Arguments.of("ncacn_ip_tcp:[::1]", Protseq.NCACN_IP_TCP, "::1", null, opts(), null, "ncacn_ip_tcp:[::1]"),
                Arguments.of("ncacn_ip_tcp:[fe80::1%eth0][1350,sign]", Protseq.NCACN_IP_TCP, "fe80::1%eth0", "1350",
                        opts("sign", ""), null, "ncacn_ip_tcp:[fe80::1%eth0][1350,sign]"),
                Arguments.of("ncacn_ip_tcp:[::ffff:10.0.0.1][135]", Protseq.NCACN_IP_TCP, "::ffff:10.0.0.1", "135",
                        opts(), null, "ncacn_ip_tcp:[::ffff:10.0.0.1][135]"),
                // unbracketed and C706-escaped IPv6 are accepted, formatted bracketed
                Arguments.of("ncacn_ip_tcp:::1[135]", Protseq.NCACN_IP_TCP, "::1", "135", opts(), null,
                        "ncacn_ip_tcp:[::1][135]"),
                Arguments.of("ncacn_ip_tcp:fe80\\:\\:2[135]", Protseq.NCACN_IP_TCP, "fe80::2", "135", opts(), null,
                        "ncacn_ip_tcp:[fe80::2][135]"),
                Arguments.of("ncacn_ip_tcp:host[135,sign,seal]", Protseq.NCACN_IP_TCP, "host", "135",
                        opts("sign", "", "seal", ""), null, "ncacn_ip_tcp:host[135,sign,seal]"),
                Arguments.of("ncacn_ip_tcp:127.0.0.1[1350,ndr64]", Protseq.NCACN_IP_TCP, "127.0.0.1", "1350",
                        opts("ndr64", ""), null, "ncacn_ip_tcp:127.0.0.1[1350,ndr64]"),
                Arguments.of("ncacn_ip_tcp:host[endpoint=135,security=x]", Protseq.NCACN_IP_TCP, "host", "135",
                        opts("security", "x"), null, "ncacn_ip_tcp:host[135,security=x]"),
                Arguments.of("ncacn_ip_tcp:host[sign,endpoint=135]", Protseq.NCACN_IP_TCP, "host", "135",
                        opts("sign", ""), null, "ncacn_ip_tcp:host[135,sign]"),
                // a known flag first is an option (Samba), not the endpoint
                Arguments.of("ncacn_np:host[sign]", Protseq.NCACN_NP, "host", null, opts("sign", ""), null,
                        "ncacn_np:host[sign]"),
                Arguments.of("ncalrpc:[endpoint=sign]", Protseq.NCALRPC, "", "sign", opts(), null,
                        "ncalrpc:[endpoint=sign]"),
                Arguments.of("ncacn_ip_tcp:host[,custom]", Protseq.NCACN_IP_TCP, "host", null, opts("custom", ""), null,
                        "ncacn_ip_tcp:host[,custom]"),
                Arguments.of("ncacn_ip_tcp:host[]", Protseq.NCACN_IP_TCP, "host", null, opts(), null,
                        "ncacn_ip_tcp:host"),
                Arguments.of("ncacn_ip_tcp:[135]", Protseq.NCACN_IP_TCP, "", "135", opts(), null, "ncacn_ip_tcp:[135]"),
                Arguments.of("NCACN_IP_TCP:Host[0]", Protseq.NCACN_IP_TCP, "Host", "0", opts(), null,
                        "ncacn_ip_tcp:Host[0]"),
                Arguments.of("ncacn_http:somesvr@anywhere.com[593]", Protseq.NCACN_HTTP, "somesvr@anywhere.com", "593",
                        opts(), null, "ncacn_http:somesvr@anywhere.com[593]"),
                Arguments.of("ncalrpc:[a\\,b\\=c\\]d]", Protseq.NCALRPC, "", "a,b=c]d", opts(), null,
                        "ncalrpc:[a\\,b\\=c\\]d]"),
                Arguments.of("ncalrpc:[x,key=va\\,l\\=ue]", Protseq.NCALRPC, "", "x", opts("key", "va,l=ue"), null,
                        "ncalrpc:[x,key=va\\,l\\=ue]"),
                Arguments.of("ncalrpc:[x,k=\\[v\\]]", Protseq.NCALRPC, "", "x", opts("k", "[v]"), null,
                        "ncalrpc:[x,k=\\[v\\]]"),
                Arguments.of("ncalrpc:[trailing\\\\]", Protseq.NCALRPC, "", "trailing\\", opts(), null,
                        "ncalrpc:[trailing\\\\]"),
                Arguments.of("ncalrpc:ho\\[st[e]", Protseq.NCALRPC, "ho[st", "e", opts(), null, "ncalrpc:ho\\[st[e]"),
                Arguments.of("ncacn_ip_tcp:host[135,localaddress=10.0.0.1,smb2]", Protseq.NCACN_IP_TCP, "host", "135",
                        opts("localaddress", "10.0.0.1", "smb2", ""), null,
                        "ncacn_ip_tcp:host[135,localaddress=10.0.0.1,smb2]"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesValidBindings(String input, Protseq protseq, String address, String endpoint,
                             Map<String, String> options, UUID object, String canonical) {
        StringBinding b = StringBinding.parse(input);
        assertEquals(protseq, b.protseq(), "protseq");
        assertEquals(address, b.networkAddress(), "network address");
        assertEquals(endpoint, b.endpoint(), "endpoint");
        assertEquals(List.copyOf(options.entrySet()), List.copyOf(b.options().entrySet()), "options, in order");
        assertEquals(object, b.objectUuid(), "object UUID");
        assertEquals(canonical, b.toString(), "canonical form");
        assertEquals(b, StringBinding.parse(b.toString()), "round trip");
        assertEquals(canonical, StringBinding.parse(canonical).toString(), "canonical form is a fixed point");
    }

    /** input, position, a fragment of the message. */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", 0, "expected a protocol sequence"),
                Arguments.of("ncacn_ip_tcp", 12, "expected ':' after the protocol sequence"),
                Arguments.of(":host[135]", 0, "expected a protocol sequence"),
                Arguments.of("ncacn_foo:host", 0, "unknown protocol sequence 'ncacn_foo'; expected one of ncacn_ip_tcp, ncalrpc, ncacn_np, ncacn_http"),
                Arguments.of("ncadg_ip_udp:host[135]", 0, "'ncadg_ip_udp' is not supported"),
                Arguments.of("ncacn ip_tcp:host", 5, "unexpected ' ' in the protocol sequence"),
                Arguments.of("not-a-uuid@ncacn_ip_tcp:host[135]", 0, "expected an object UUID"),
                Arguments.of("12345678-9abc-def0-1234-56789abcdeg0@ncacn_ip_tcp:h[1]", 34, "expected an object UUID"),
                Arguments.of("12345678-9abc-def0-1234-56789abcdef0@:h[1]", 37, "expected a protocol sequence"),
                Arguments.of("ncacn_ip_tcp:host[135", 21, "expected ']' to close the endpoint part, found the end"),
                Arguments.of("ncacn_ip_tcp:host[135]x", 22, "expected the end after ']'"),
                Arguments.of("ncacn_ip_tcp:host[135][136]", 22, "expected the end after ']'"),
                Arguments.of("ncacn_ip_tcp:[::1]x", 18, "expected '[' or the end after the network address"),
                Arguments.of("ncacn_ip_tcp:ho]st[135]", 15, "unexpected ']' in the network address"),
                Arguments.of("ncalrpc:[a[b]", 10, "unexpected '[' inside the endpoint part"),
                Arguments.of("ncacn_ip_tcp:host[http]", 18, "expected a TCP port (0-65535) as the endpoint of ncacn_ip_tcp, found 'http'"),
                Arguments.of("ncacn_ip_tcp:host[65536]", 18, "expected a TCP port (0-65535)"),
                Arguments.of("ncacn_ip_tcp:host[-1]", 18, "expected a TCP port (0-65535)"),
                Arguments.of("ncacn_ip_tcp:host[endpoint=x]", 27, "expected a TCP port (0-65535)"),
                Arguments.of("ncacn_ip_tcp:host[135,endpoint=136]", 22, "duplicate endpoint"),
                Arguments.of("ncacn_ip_tcp:host[135,sign,sign]", 27, "duplicate option 'sign'"),
                Arguments.of("ncacn_ip_tcp:host[135,]", 22, "expected an option, found an empty item"),
                Arguments.of("ncacn_ip_tcp:host[135,,sign]", 22, "expected an option, found an empty item"),
                Arguments.of("ncacn_ip_tcp:host[135,=x]", 22, "expected an option name before '='"),
                Arguments.of("ncacn_ip_tcp:host[135,a=b=c]", 25, "unexpected '=' in the value of option 'a'"),
                Arguments.of("ncacn_ip_tcp:host[135,bad name]", 22, "expected an option name"),
                Arguments.of("ncacn_ip_tcp:host\n[135]", 17, "control character U+000A"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformed")
    void rejectsMalformedBindings(String input, int position, String message) {
        MalformedBindingException e = assertThrows(MalformedBindingException.class, () -> StringBinding.parse(input));
        assertEquals(position, e.position(), () -> "position, message: " + e.getMessage());
        assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
        assertTrue(e.getMessage().contains("position " + position), e.getMessage());
        assertEquals(input, e.input());
    }

    @Test
    void malformedIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> StringBinding.parse("bogus"));
    }

    @Test
    void constructorValidatesAndNormalises() {
        StringBinding b = new StringBinding(Protseq.NCACN_NP, "\\\\srv", "", Map.of(), null);
        assertEquals("srv", b.networkAddress());
        assertNull(b.endpoint(), "empty endpoint means none");
        assertThrows(IllegalArgumentException.class, () -> StringBinding.of(Protseq.NCACN_IP_TCP, "h", "abc"));
        assertThrows(IllegalArgumentException.class,
                () -> new StringBinding(Protseq.NCALRPC, "", "x", Map.of("endpoint", "y"), null));
        assertThrows(IllegalArgumentException.class,
                () -> new StringBinding(Protseq.NCALRPC, "", "x", Map.of("a b", ""), null));
        assertThrows(IllegalArgumentException.class, () -> StringBinding.of(Protseq.NCALRPC, "a\0b", "x"));
        assertThrows(NullPointerException.class, () -> StringBinding.of(Protseq.NCALRPC, null, "x"));
        StringBinding withOptions = StringBinding.of(Protseq.NCACN_IP_TCP, "h", "1").withOption("sign", "");
        assertThrows(UnsupportedOperationException.class, () -> withOptions.options().put("x", "y"));
    }

    @Test
    void accessorsAndWithers() {
        StringBinding b = StringBinding.parse("ncacn_ip_tcp:h[135,sign,auth=ntlm]");
        assertTrue(b.hasOption("sign"));
        assertEquals("", b.option("sign").orElseThrow());
        assertEquals("ntlm", b.option("auth").orElseThrow());
        assertFalse(b.hasOption("seal"));
        assertEquals("ncacn_ip_tcp:h[sign,auth=ntlm]", b.withEndpoint(null).toString());
        assertEquals(OBJ + "@ncacn_ip_tcp:h[135,sign,auth=ntlm]", b.withObjectUuid(OBJ).toString());
        assertEquals(new Endpoint(Protseq.NCACN_IP_TCP, "h", "135"), b.toEndpoint());
        assertEquals("ncacn_ip_tcp:h[135]", b.toEndpoint().toString());
        assertEquals(135, b.toEndpoint().port());
    }

    @Test
    void protseqLookup() {
        assertEquals(Protseq.NCALRPC, Protseq.of("NCALRPC"));
        assertEquals("ncacn_np", Protseq.NCACN_NP.token());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protseq.of("ncacn_xyz"));
        assertTrue(e.getMessage().contains("ncacn_ip_tcp, ncalrpc, ncacn_np, ncacn_http"), e.getMessage());
    }

    /** Random bindings full of special characters format to text that parses back to an equal binding. */
    @Test
    void formatThenParseRoundTrips() {
        Random random = new Random(706);
        String alphabet = "ab\\\\@:[],=x.-_ %/";
        String keyAlphabet = "abcXYZ019_-.";
        for (int i = 0; i < 20_000; i++) {
            Protseq protseq = Protseq.values()[random.nextInt(Protseq.values().length)];
            String address = random.nextInt(4) == 0 ? "::" + Integer.toHexString(random.nextInt(0xFFFF))
                    : randomText(random, alphabet, 6);
            String endpoint = protseq.isIp()
                    ? (random.nextBoolean() ? null : Integer.toString(random.nextInt(65536)))
                    : (random.nextBoolean() ? null : randomText(random, alphabet, 8));
            LinkedHashMap<String, String> options = new LinkedHashMap<>();
            for (int n = random.nextInt(4); n > 0; n--) {
                String key = random.nextInt(5) == 0 ? "sign" : randomText(random, keyAlphabet, 5);
                if (key.isEmpty() || key.equalsIgnoreCase("endpoint")) {
                    continue;
                }
                options.put(key, random.nextBoolean() ? "" : randomText(random, alphabet, 6));
            }
            UUID object = random.nextInt(3) == 0 ? new UUID(random.nextLong(), random.nextLong()) : null;
            StringBinding b = new StringBinding(protseq, address, endpoint, options, object);
            String text = b.toString();
            StringBinding back;
            try {
                back = StringBinding.parse(text);
            } catch (MalformedBindingException e) {
                throw new AssertionError("did not parse back: " + text + " from " + describe(b), e);
            }
            assertEquals(b, back, () -> "text " + text + " from " + describe(b));
            assertEquals(List.copyOf(b.options().keySet()), List.copyOf(back.options().keySet()), text);
            assertEquals(text, back.toString());
        }
    }

    private static String describe(StringBinding b) {
        return List.of(b.protseq(), "'" + b.networkAddress() + "'", "'" + b.endpoint() + "'", b.options(),
                String.valueOf(b.objectUuid())).toString();
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Test
    void everyMalformedClassHasAPositionWithinTheInput() {
        List<String> inputs = new ArrayList<>();
        malformed().forEach(a -> inputs.add((String) a.get()[0]));
        for (String input : inputs) {
            MalformedBindingException e = assertThrows(MalformedBindingException.class, () -> StringBinding.parse(input));
            assertTrue(e.position() >= 0 && e.position() <= input.length(), input);
        }
    }
}
