package dev.weft.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's parsed arguments. Options are {@code --name value}, {@code --name=value} or a bare {@code --flag};
 * {@code --} ends the options. Every command declares which options take a value and which are flags, so a typo
 * is an error (exit 2) rather than a silently ignored word.
 */
public final class Args {
    private final String command;
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses {@code argv}.
     *
     * @param valued options that take a value (without the leading dashes)
     * @param flags  options that take none; {@code help} and {@code json} are always accepted
     * @throws CliException (usage) for an unknown option or a missing value
     */
    public static Args parse(String command, String[] argv, Set<String> valued, Set<String> flags) {
        Args a = new Args(command);
        boolean options = true;
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            if (options && s.equals("--")) {
                options = false;
            } else if (options && (s.equals("-h") || s.equals("--help"))) {
                a.values.computeIfAbsent("help", k -> new ArrayList<>()).add("");
            } else if (options && s.startsWith("--") && s.length() > 2) {
                int eq = s.indexOf('=');
                String name = eq < 0 ? s.substring(2) : s.substring(2, eq);
                if (valued.contains(name)) {
                    String v;
                    if (eq >= 0) v = s.substring(eq + 1);
                    else if (i + 1 < argv.length) v = argv[++i];
                    else throw CliException.usage(command + ": option --" + name + " needs a value");
                    a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
                } else if (flags.contains(name) || name.equals("json")) {
                    if (eq >= 0) throw CliException.usage(command + ": option --" + name + " takes no value");
                    a.values.computeIfAbsent(name, k -> new ArrayList<>()).add("");
                } else {
                    throw CliException.usage(command + ": unknown option --" + name + " (see weft " + command + " --help)");
                }
            } else if (options && s.startsWith("-") && s.length() > 1 && !isNumber(s)) {
                throw CliException.usage(command + ": unknown option " + s + " (see weft " + command + " --help)");
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    private static boolean isNumber(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The last value given for {@code name}, or {@code fallback}. */
    public String value(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    /** Every value given for a repeatable option, in order. */
    public List<String> values(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    /** Exactly {@code min..max} positional arguments, or a usage error naming what is expected. */
    public List<String> positional(int min, int max, String what) {
        if (positional.size() < min) throw CliException.usage(command + ": missing " + what);
        if (positional.size() > max) {
            throw CliException.usage(command + ": unexpected argument " + positional.get(max));
        }
        return positional();
    }

    /** An integer option within {@code [min, max]}. */
    public int intValue(String name, int fallback, int min, int max) {
        String v = value(name, null);
        if (v == null) return fallback;
        return parseInt(command, "--" + name, v, min, max);
    }

    /** A positive number of seconds, fractions allowed ({@code 0.5}). */
    public double seconds(String name, double fallback, double min, double max) {
        String v = value(name, null);
        if (v == null) return fallback;
        double d;
        try {
            d = Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
        } catch (NumberFormatException e) {
            throw CliException.usage(command + ": --" + name + " wants seconds, not '" + v + "'");
        }
        if (!(d >= min && d <= max)) {
            throw CliException.usage(command + ": --" + name + " must lie in " + min + ".." + max + " seconds: " + v);
        }
        return d;
    }

    static int parseInt(String command, String what, String v, int min, int max) {
        long n;
        try {
            n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw CliException.usage(command + ": " + what + " wants a number, not '" + v + "'");
        }
        if (n < min || n > max) throw CliException.usage(command + ": " + what + " must lie in " + min + ".." + max + ": " + v);
        return (int) n;
    }
}
