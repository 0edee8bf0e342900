package dev.weft.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HexFormat;

/**
 * One property violation: which target, what kind ({@code untyped}, {@code allocation}, {@code slow},
 * {@code roundtrip}, ...), a message, the input and a stack trace.
 */
public record Finding(String target, String kind, String message, byte[] input, String trace) {

    /** What deduplicates findings: the kind, and the exception class with its top frames. */
    public String signature() {
        String[] lines = trace.split("\n");
        String m = Engine.normalize(message);
        StringBuilder b = new StringBuilder(target).append('|').append(kind).append('|')
                .append(m, 0, Math.min(m.length(), 72));
        int frames = 0;
        for (String line : lines) {
            String l = line.strip();
            if (frames == 0 && !l.startsWith("at ")) {
                int colon = l.indexOf(':');
                b.append('|').append(colon < 0 ? l : l.substring(0, colon));
            }
            if (l.startsWith("at ") && frames++ < 3) b.append('|').append(l);
        }
        return b.toString();
    }

    /** The input in hex, as kept in {@code findings/} files. */
    public String hex() {
        return HexFormat.of().formatHex(input);
    }

    static String traceOf(Throwable t) {
        StringWriter s = new StringWriter();
        t.printStackTrace(new PrintWriter(s));
        return s.toString();
    }

    @Override
    public String toString() {
        return target + " " + kind + ": " + message + "\n  input (" + input.length + " bytes): " + hex() + "\n" + trace;
    }
}
