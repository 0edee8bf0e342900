package dev.weft.idl.gen;

/** Java source with indentation; blocks open with a line ending in '{' and close with '}'. */
final class Code {
    private final StringBuilder text = new StringBuilder();
    private int indent;

    Code line(String line) {
        if (line.isEmpty()) {
            text.append('\n');
            return this;
        }
        text.append("    ".repeat(indent)).append(line).append('\n');
        return this;
    }

    Code blank() {
        if (!text.isEmpty() && !text.toString().endsWith("{\n") && !text.toString().endsWith("\n\n")) {
            text.append('\n');
        }
        return this;
    }

    /** {@code head {} and one level deeper. */
    Code open(String head) {
        line(head + " {");
        indent++;
        return this;
    }

    Code close() {
        return close("}");
    }

    /** Closes a block with {@code tail}, e.g. {@code "};"}. */
    Code close(String tail) {
        indent--;
        return line(tail);
    }

    /** Closes a block and opens the next: {@code "} else {"}. */
    Code reopen(String middle) {
        indent--;
        line("} " + middle + " {");
        indent++;
        return this;
    }

    /** Appends another piece of code at the current indentation. */
    Code append(Code other) {
        for (String l : other.text.toString().split("\n", -1)) {
            if (!l.isEmpty()) {
                line(l);
            }
        }
        return this;
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    int indent() {
        return indent;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
