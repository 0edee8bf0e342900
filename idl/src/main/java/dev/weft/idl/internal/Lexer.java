package dev.weft.idl.internal;

import dev.weft.idl.internal.Token.Kind;
import dev.weft.idl.model.Location;

/**
 * Splits IDL source into tokens. Comments are skipped; preprocessor lines ({@code #include},
 * {@code #define}, {@code #pragma}, ...) are skipped with a warning, since the specifications' IDL is meant
 * to be read without a C preprocessor.
 *
 * <p>Numbers are read the way the C preprocessor reads a "pp-number" (a digit followed by letters, digits,
 * underscores and dots) and interpreted later. That keeps {@code version(1.0)} one token and lets the parser
 * rebuild an unquoted {@code uuid(12345778-1234-abcd-ef00-0123456789ab)} from the token texts.
 */
final class Lexer {
    private static final String[] PUNCTUATION = {
        "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "->",
        "{", "}", "[", "]", "(", ")", ";", ",", ":", "*", "=", "+", "-", "/", "%", "<", ">", "!", "~", "&",
        "|", "^", "?", ".",
    };

    private final String file;
    private final String src;
    private final Diagnostics diagnostics;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String file, String source, Diagnostics diagnostics) {
        this.file = file;
        this.src = source;
        this.diagnostics = diagnostics;
    }

    Token next() {
        skipSpaceAndComments();
        Location at = here();
        if (pos >= src.length()) {
            return new Token(Kind.EOF, "", at);
        }
        char c = src.charAt(pos);
        if (c == 'L' && pos + 1 < src.length() && (src.charAt(pos + 1) == '"' || src.charAt(pos + 1) == '\'')) {
            pos++; // wide literal: the width does not matter to the model
            c = src.charAt(pos);
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            return new Token(Kind.IDENTIFIER, src.substring(start, pos), at);
        }
        if (Character.isDigit(c)) {
            int start = pos;
            while (pos < src.length()
                    && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_' || src.charAt(pos) == '.')) {
                pos++;
            }
            return new Token(Kind.NUMBER, src.substring(start, pos), at);
        }
        if (c == '"') {
            return new Token(Kind.STRING, quoted('"', at), at);
        }
        if (c == '\'') {
            String value = quoted('\'', at);
            if (value.length() != 1) {
                throw new SyntaxError(at, "a character literal holds exactly one character");
            }
            return new Token(Kind.CHARACTER, value, at);
        }
        for (String p : PUNCTUATION) {
            if (src.startsWith(p, pos)) {
                pos += p.length();
                return new Token(Kind.PUNCT, p, at);
            }
        }
        throw new SyntaxError(at, "unexpected character '" + c + "'");
    }

    private Location here() {
        return new Location(file, line, pos - lineStart + 1);
    }

    private void newline() {
        line++;
        lineStart = pos;
    }

    private void skipSpaceAndComments() {
        boolean atLineStart = pos == 0 || onlySpaceBeforeOnLine();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                newline();
                atLineStart = true;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (src.startsWith("/*", pos)) {
                Location start = here();
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new SyntaxError(start, "unterminated comment");
                }
                while (pos < end + 2) {
                    if (src.charAt(pos++) == '\n') {
                        newline();
                    }
                }
            } else if (c == '#' && atLineStart) {
                skipDirective();
            } else {
                return;
            }
        }
    }

    private boolean onlySpaceBeforeOnLine() {
        for (int i = lineStart; i < pos; i++) {
            if (!Character.isWhitespace(src.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Skips a preprocessor line, with its backslash continuations, and warns: nothing here runs cpp. */
    private void skipDirective() {
        Location at = here();
        int start = pos;
        while (pos < src.length() && src.charAt(pos) != '\n') {
            if (src.charAt(pos) == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                pos += 2;
                newline();
            } else {
                pos++;
            }
        }
        String directive = src.substring(start, pos).strip();
        int space = directive.indexOf(' ');
        String word = (space < 0 ? directive : directive.substring(0, space)).replace(" ", "");
        diagnostics.warn(at, "preprocessor directive " + word + " ignored");
    }

    private String quoted(char quote, Location at) {
        StringBuilder b = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw new SyntaxError(at, "unterminated " + (quote == '"' ? "string" : "character") + " literal");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                return b.toString();
            }
            if (c == '\\' && pos < src.length()) {
                char e = src.charAt(pos++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case '0' -> b.append('\0');
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
    }
}
