package dev.weft.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON to print results for scripts (the house has no JSON library): values are {@code null},
 * {@link Boolean}, {@link Number}, {@link CharSequence}, {@link Map} with string keys (insertion order kept:
 * use {@link java.util.LinkedHashMap}) and {@link List}. Strings are escaped per RFC 8259; non-finite doubles,
 * which JSON cannot carry, become {@code null}.
 */
public final class Json {
    private Json() {
    }

    /** One compact line of JSON. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder(128);
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case Boolean bool -> b.append(bool);
            case Double d when d.isNaN() || d.isInfinite() -> b.append("null");
            case Float f when f.isNaN() || f.isInfinite() -> b.append("null");
            case Number n -> b.append(n);
            case CharSequence s -> string(b, s);
            case Map<?, ?> m -> {
                b.append('{');
                Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<?, ?> e = it.next();
                    string(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                    if (it.hasNext()) b.append(',');
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    write(b, l.get(i));
                }
                b.append(']');
            }
            default -> throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    private static void string(StringBuilder b, CharSequence s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    // Control characters must be escaped; U+2028/9 too, so the line is safe to embed in JS.
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
