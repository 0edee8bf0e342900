package dev.weft.transport;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A string binding, C706 Appendix I and MS-RPCE 2.1: {@code [object-uuid@]protseq:network-address[endpoint,option=value,...]}.
 *
 * <p>Examples: {@code ncacn_ip_tcp:127.0.0.1[1350]}, {@code ncacn_ip_tcp:dc.example.com}, {@code ncalrpc:[weft]},
 * {@code ncacn_np:host[\pipe\lsass]}, {@code 12345678-1234-1234-1234-123456789abc@ncacn_ip_tcp:[::1][135,sign,seal]}.
 *
 * <h2>What {@link #parse} accepts</h2>
 * <ul>
 *   <li>An IPv6 address in square brackets as the network address of an IP protocol sequence
 *       ({@code ncacn_ip_tcp:[::1][135]}); an unbracketed one is accepted too ({@code ncacn_ip_tcp:::1[135]}).</li>
 *   <li>The endpoint as the first item in brackets, or anywhere as {@code endpoint=value}. The first item is an
 *       option rather than the endpoint when it contains {@code =} or is one of Samba's flag names
 *       ({@code sign}, {@code seal}, {@code ndr64}, ...), so {@code ncacn_np:host[sign]} has no endpoint.</li>
 *   <li>Options as {@code name=value} or as Samba-style flags without {@code =} (value {@code ""}), kept in order.</li>
 *   <li>Backslash escapes (C706): a backslash before one of {@code @ : [ ] , = \} stands for that character. A
 *       backslash before any other character is itself, as Windows and Samba write pipe names
 *       ({@code [\pipe\lsass]} and {@code [\\pipe\\lsass]} are the same endpoint).</li>
 *   <li>For {@code ncacn_np}, leading backslashes on the server name are optional and dropped ({@code \\host}).</li>
 *   <li>Protocol sequences in any case; unknown ones are rejected naming the known ones.</li>
 * </ul>
 *
 * <h2>Canonical form</h2>
 * {@link #toString()} writes the protocol sequence in lower case, the object UUID in lower case, an IPv6 address of
 * an IP protocol sequence in brackets, the endpoint first (as {@code endpoint=...} only where a bare one would read
 * as a flag), flags without {@code =}, and escapes only where the parser needs it (so pipe names keep their single
 * backslashes). {@code parse(b.toString()).equals(b)} for every binding {@code b}.
 *
 * @param protseq the protocol sequence
 * @param networkAddress the network address; empty means the local host (never null)
 * @param endpoint the endpoint (port, pipe or name), or null if the binding is partial and must be resolved
 *        through the endpoint mapper
 * @param options protocol options in order, flags with the value {@code ""}; unmodifiable
 * @param objectUuid the object UUID, or null
 */
public record StringBinding(Protseq protseq, String networkAddress, String endpoint, Map<String, String> options,
                            UUID objectUuid) {

    /** Samba's flag options (no {@code =}); as the first item in brackets they are options, not the endpoint. */
    private static final Set<String> FLAGS = Set.of(
            "sign", "seal", "connect", "spnego", "ntlm", "krb5", "schannel", "validate", "print", "padcheck",
            "bigendian", "ndr64", "smb1", "smb2", "packet");

    /** The characters C706 lets a backslash escape. */
    private static final String ESCAPABLE = "@:[],=\\";

    public StringBinding {
        Objects.requireNonNull(protseq, "protseq");
        Objects.requireNonNull(networkAddress, "networkAddress (use \"\" for the local host)");
        Objects.requireNonNull(options, "options");
        checkText("network address", networkAddress);
        if (protseq == Protseq.NCACN_NP) {
            networkAddress = stripLeadingBackslashes(networkAddress);
        }
        if (endpoint != null) {
            checkText("endpoint", endpoint);
            if (endpoint.isEmpty()) {
                endpoint = null;
            } else if (protseq.isIp()) {
                String problem = portProblem(protseq, endpoint);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
            }
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "option name");
            String value = Objects.requireNonNull(e.getValue(), () -> "value of option " + key);
            if (!isOptionName(key)) {
                throw new IllegalArgumentException("bad option name '" + key
                        + "': expected letters, digits, '_', '-' or '.'");
            }
            if (key.equalsIgnoreCase("endpoint")) {
                throw new IllegalArgumentException("'endpoint' is not an option: it is the endpoint component");
            }
            checkText("value of option " + key, value);
            copy.put(key, value);
        }
        options = Collections.unmodifiableMap(copy);
    }

    /** A binding with no options and no object UUID; {@code endpoint} may be null. */
    public static StringBinding of(Protseq protseq, String networkAddress, String endpoint) {
        return new StringBinding(protseq, networkAddress, endpoint, Map.of(), null);
    }

    /** This binding with another endpoint (null makes it partial). */
    public StringBinding withEndpoint(String newEndpoint) {
        return new StringBinding(protseq, networkAddress, newEndpoint, options, objectUuid);
    }

    /** This binding with another object UUID (null for none). */
    public StringBinding withObjectUuid(UUID uuid) {
        return new StringBinding(protseq, networkAddress, endpoint, options, uuid);
    }

    /** This binding with one more option (replacing one of the same name); {@code value} "" makes it a flag. */
    public StringBinding withOption(String name, String value) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(options);
        copy.put(name, value);
        return new StringBinding(protseq, networkAddress, endpoint, copy, objectUuid);
    }

    /** The value of an option ("" for a flag), matching the name exactly. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Whether the option (flag or name=value) is present. */
    public boolean hasOption(String name) {
        return options.containsKey(name);
    }

    /** The transport-level part: protocol sequence, network address and endpoint (possibly null). */
    public Endpoint toEndpoint() {
        return new Endpoint(protseq, networkAddress, endpoint);
    }

    // ------------------------------------------------------------------------------------------------ format

    /** The canonical text form, which {@link #parse} turns back into an equal binding. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(32 + networkAddress.length());
        if (objectUuid != null) {
            sb.append(objectUuid.toString().toLowerCase(Locale.ROOT)).append('@');
        }
        sb.append(protseq.token()).append(':');
        if (protseq.isIp() && looksLikeIpv6(networkAddress)) {
            sb.append('[').append(networkAddress).append(']');
        } else {
            escape(sb, networkAddress, "[]");
        }
        if (endpoint == null && options.isEmpty()) {
            return sb.toString();
        }
        sb.append('[');
        boolean first = true;
        if (endpoint != null) {
            if (FLAGS.contains(endpoint.toLowerCase(Locale.ROOT))) {
                sb.append("endpoint=");
            }
            escape(sb, endpoint, "[],=");
            first = false;
        }
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (first && e.getValue().isEmpty() && !FLAGS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                sb.append(','); // an empty first item, or this unknown flag would read as the endpoint
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=');
                escape(sb, e.getValue(), "[],=");
            }
        }
        return sb.append(']').toString();
    }

    /**
     * Appends {@code value}, escaping the characters in {@code specials}; a backslash is doubled only where the
     * parser would otherwise take it as an escape (before an escapable character, or last).
     */
    private static void escape(StringBuilder sb, String value, String specials) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                boolean needsDoubling = i + 1 == value.length() || ESCAPABLE.indexOf(value.charAt(i + 1)) >= 0;
                sb.append(needsDoubling ? "\\\\" : "\\");
            } else if (specials.indexOf(c) >= 0) {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ parse

    /**
     * Parses a string binding.
     *
     * @throws MalformedBindingException naming the position and what was expected there
     */
    public static StringBinding parse(String text) {
        return new Parser(Objects.requireNonNull(text, "text")).parse();
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        private MalformedBindingException error(int at, String problem) {
            return new MalformedBindingException(s, at, problem);
        }

        StringBinding parse() {
            if (s.isEmpty()) {
                throw error(0, "expected a protocol sequence, found an empty string");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isISOControl(c)) {
                    throw error(i, String.format("unexpected control character U+%04X", (int) c));
                }
            }
            UUID object = parseObjectUuid();
            Protseq protseq = parseProtseq();
            String address = parseAddress(protseq);
            String endpoint = null;
            int endpointAt = -1;
            LinkedHashMap<String, String> options = new LinkedHashMap<>();
            if (pos < s.length()) {
                if (s.charAt(pos) != '[') {
                    throw error(pos, "expected '[' or the end after the network address, found '" + s.charAt(pos) + "'");
                }
                pos++;
                int index = 0;
                boolean closed = false;
                while (!closed) {
                    int itemAt = pos;
                    String key = readText("[],=", "option");
                    String value = null;
                    if (pos < s.length() && s.charAt(pos) == '=') {
                        pos++;
                        int valueAt = pos;
                        value = readText("[],=", "option value");
                        if (pos < s.length() && s.charAt(pos) == '=') {
                            throw error(pos, "unexpected '=' in the value of option '" + key
                                    + "' (escape it as '\\=')");
                        }
                        if (key.isEmpty()) {
                            throw error(itemAt, "expected an option name before '='");
                        }
                        if (key.equalsIgnoreCase("endpoint")) {
                            if (endpoint != null) {
                                throw error(itemAt, "duplicate endpoint (already '" + endpoint + "')");
                            }
                            endpoint = value.isEmpty() ? null : value;
                            endpointAt = valueAt;
                            value = null;
                            key = null;
                        }
                    } else if (index == 0 && !FLAGS.contains(key.toLowerCase(Locale.ROOT))) {
                        endpoint = key.isEmpty() ? null : key;
                        endpointAt = itemAt;
                        key = null;
                    } else {
                        value = "";
                    }
                    if (key != null) {
                        if (key.isEmpty()) {
                            throw error(itemAt, "expected an option, found an empty item");
                        }
                        if (!isOptionName(key)) {
                            throw error(itemAt, "expected an option name (letters, digits, '_', '-', '.'), found '"
                                    + key + "'");
                        }
                        if (options.containsKey(key)) {
                            throw error(itemAt, "duplicate option '" + key + "'");
                        }
                        options.put(key, value);
                    }
                    if (pos >= s.length()) {
                        throw error(pos, "expected ']' to close the endpoint part, found the end");
                    }
                    char c = s.charAt(pos);
                    if (c == '[') {
                        throw error(pos, "unexpected '[' inside the endpoint part (escape it as '\\[')");
                    }
                    pos++;
                    closed = c == ']';
                    index++;
                }
                if (pos < s.length()) {
                    throw error(pos, "expected the end after ']', found '" + s.charAt(pos) + "'");
                }
            }
            if (endpoint != null && protseq.isIp()) {
                String problem = portProblem(protseq, endpoint);
                if (problem != null) {
                    throw error(endpointAt, problem);
                }
            }
            return new StringBinding(protseq, address, endpoint, options, object);
        }

        /** An object UUID is present when an '@' comes before the first ':'. */
        private UUID parseObjectUuid() {
            int at = -1;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == ':' || c == '[') {
                    break;
                }
                if (c == '@') {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                return null;
            }
            String text = s.substring(0, at);
            int bad = uuidProblem(text);
            if (bad >= 0) {
                throw error(bad, "expected an object UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex digits) before '@'"
                        + ", found '" + text + "'");
            }
            pos = at + 1;
            return UUID.fromString(text);
        }

        private Protseq parseProtseq() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ':') {
                char c = s.charAt(pos);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                    throw error(pos, "unexpected '" + c + "' in the protocol sequence; expected letters, digits, '_'"
                            + " and then ':'");
                }
                pos++;
            }
            if (pos == start) {
                throw error(start, "expected a protocol sequence (such as ncacn_ip_tcp) before ':'");
            }
            if (pos >= s.length()) {
                throw error(pos, "expected ':' after the protocol sequence '" + s.substring(start) + "'");
            }
            String token = s.substring(start, pos);
            Optional<Protseq> protseq = Protseq.find(token);
            if (protseq.isEmpty()) {
                throw error(start, Protseq.unknownMessage(token));
            }
            pos++; // ':'
            return protseq.get();
        }

        private String parseAddress(Protseq protseq) {
            if (protseq.isIp() && pos < s.length() && s.charAt(pos) == '[') {
                int close = s.indexOf(']', pos + 1);
                if (close > 0 && looksLikeIpv6(s.substring(pos + 1, close))) {
                    String address = s.substring(pos + 1, close);
                    pos = close + 1;
                    return address;
                }
            }
            int start = pos;
            String address = readText("[]", "network address");
            if (pos < s.length() && s.charAt(pos) == ']') {
                throw error(pos, "unexpected ']' in the network address (escape it as '\\]')");
            }
            if (protseq == Protseq.NCACN_NP) {
                address = stripLeadingBackslashes(address);
            }
            return address;
        }

        /** Reads and unescapes text up to the next unescaped character in {@code stops}, or the end. */
        private String readText(String stops, String what) {
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\\' && pos + 1 < s.length() && ESCAPABLE.indexOf(s.charAt(pos + 1)) >= 0) {
                    sb.append(s.charAt(pos + 1));
                    pos += 2;
                } else if (stops.indexOf(c) >= 0) {
                    break;
                } else {
                    sb.append(c);
                    pos++;
                }
            }
            return sb.toString();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Index of the first bad character of a strict 8-4-4-4-12 UUID, or -1 if it is one. */
    private static int uuidProblem(String text) {
        if (text.length() != 36) {
            return 0;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            boolean ok = dash ? c == '-' : Character.digit(c, 16) >= 0 && c < 128;
            if (!ok) {
                return i;
            }
        }
        return -1;
    }

    /** Null if {@code endpoint} is a valid port for an IP protocol sequence, else what is wrong. */
    static String portProblem(Protseq protseq, String endpoint) {
        boolean digits = !endpoint.isEmpty() && endpoint.length() <= 5;
        for (int i = 0; digits && i < endpoint.length(); i++) {
            char c = endpoint.charAt(i);
            digits = c >= '0' && c <= '9';
        }
        if (!digits || Integer.parseInt(endpoint) > 65535) {
            return "expected a TCP port (0-65535) as the endpoint of " + protseq.token() + ", found '" + endpoint + "'";
        }
        return null;
    }

    /** An IPv6 literal: hex digits, ':' (at least two) and '.', then an optional %zone. */
    static boolean looksLikeIpv6(String text) {
        int colons = 0;
        int i = 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':') {
                colons++;
            } else if (c == '%') {
                break;
            } else if (!(c == '.' || c < 128 && Character.digit(c, 16) >= 0)) {
                return false;
            }
        }
        if (colons < 2) {
            return false;
        }
        if (i < text.length()) { // zone id
            if (i + 1 == text.length()) {
                return false;
            }
            for (int j = i + 1; j < text.length(); j++) {
                char c = text.charAt(j);
                if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.'))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isOptionName(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    private static void checkText(String what, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException(what + " contains a control character at index " + i);
            }
        }
    }

    private static String stripLeadingBackslashes(String address) {
        int i = 0;
        while (i < address.length() && address.charAt(i) == '\\') {
            i++;
        }
        return address.substring(i);
    }
}
