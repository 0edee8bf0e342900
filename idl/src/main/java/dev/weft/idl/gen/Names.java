package dev.weft.idl.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.lang.model.SourceVersion;

/** Java spellings of IDL names: {@code echo_info1} → {@code EchoInfo1}, {@code in_data} → {@code inData}. */
final class Names {
    /**
     * Words that are not reserved keywords ({@link SourceVersion#isKeyword} knows those) but cannot name every kind of
     * declaration: the contextual keywords of Java 21.
     */
    private static final Set<String> CONTEXTUAL = Set.of("var", "yield", "record", "sealed", "permits", "when");

    private Names() {
    }

    /** The words of a name: split at underscores; an all-capital word is one word. */
    private static List<String> words(String name) {
        List<String> words = new ArrayList<>();
        for (String part : name.split("_+")) {
            if (!part.isEmpty()) {
                words.add(part);
            }
        }
        return words;
    }

    private static String capitalize(String word) {
        boolean allCaps = word.chars().noneMatch(Character::isLowerCase);
        String w = allCaps ? word.toLowerCase(Locale.ROOT) : word;
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    /** A type name: {@code echo_info1} → {@code EchoInfo1}; a trailing {@code _t} is dropped. */
    static String type(String idl) {
        String name = idl.endsWith("_t") && idl.length() > 2 ? idl.substring(0, idl.length() - 2) : idl;
        StringBuilder b = new StringBuilder();
        for (String w : words(name)) {
            // echo_Enum1_32 keeps a separator between digits, which would otherwise run together
            if (!b.isEmpty() && Character.isDigit(b.charAt(b.length() - 1)) && Character.isDigit(w.charAt(0))) {
                b.append('_');
            }
            b.append(capitalize(w));
        }
        if (b.isEmpty()) {
            b.append("Anonymous");
        }
        if (Character.isDigit(b.charAt(0))) {
            b.insert(0, 'T');
        }
        return b.toString();
    }

    /** A member, parameter or method name: {@code in_data} → {@code inData}, {@code IPV4} → {@code ipv4}. */
    static String member(String idl) {
        String t = type(idl.endsWith("_t") ? idl + "_" : idl);
        int upper = 0;
        while (upper < t.length() && Character.isUpperCase(t.charAt(upper))) {
            upper++;
        }
        // Lower the leading capitals, keeping the last one when a lower-case word follows (URLPath → urlPath).
        int cut = upper > 1 && upper < t.length() && Character.isLowerCase(t.charAt(upper)) ? upper - 1 : upper;
        String m = t.substring(0, Math.max(cut, 1)).toLowerCase(Locale.ROOT) + t.substring(Math.max(cut, 1));
        return (SourceVersion.isKeyword(m, SourceVersion.RELEASE_21) || CONTEXTUAL.contains(m)) ? m + "_" : m;
    }

    /** A constant name: {@code ept_max_annotation_size} → {@code EPT_MAX_ANNOTATION_SIZE}. */
    static String constant(String idl) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < idl.length(); i++) {
            char c = idl.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(idl.charAt(i - 1))) {
                b.append('_');
            }
            b.append(c == '_' && !b.isEmpty() && b.charAt(b.length() - 1) == '_' ? "" : String.valueOf(c));
        }
        String s = b.toString().toUpperCase(Locale.ROOT);
        while (s.startsWith("_")) {
            s = s.substring(1);
        }
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "C_" + s : s;
    }

    /** The longest prefix ending in '_' that every name shares ({@code echo_}), or "" when there is none. */
    static String commonPrefix(List<String> names) {
        if (names.size() < 2) {
            return "";
        }
        String first = names.get(0);
        int end = first.length();
        for (String n : names) {
            int i = 0;
            while (i < Math.min(end, n.length()) && n.charAt(i) == first.charAt(i)) {
                i++;
            }
            end = i;
        }
        int cut = first.lastIndexOf('_', end - 1);
        while (cut >= 0 && cut + 1 < first.length() && first.charAt(cut + 1) == '_') {
            cut++;
        }
        return cut <= 0 ? "" : first.substring(0, cut + 1);
    }

    /** Text safe inside a javadoc comment. */
    static String doc(String text) {
        return text.replace("*/", "*&#47;").replace("@", "&#64;");
    }
}
