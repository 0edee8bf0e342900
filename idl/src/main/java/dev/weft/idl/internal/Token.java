package dev.weft.idl.internal;

import dev.weft.idl.model.Location;

/**
 * One lexical token.
 *
 * @param kind     what sort of token
 * @param text     the source text (for strings and characters: the decoded value)
 * @param location where it starts
 */
record Token(Kind kind, String text, Location location) {

    enum Kind { IDENTIFIER, NUMBER, STRING, CHARACTER, PUNCT, EOF }

    boolean is(String punctOrWord) {
        return (kind == Kind.PUNCT || kind == Kind.IDENTIFIER) && text.equals(punctOrWord);
    }

    /** The token as an error message quotes it: {@code 'typedef'}, {@code end of file}. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of file";
            case STRING -> "string \"" + text + "\"";
            case CHARACTER -> "character literal";
            default -> "'" + text + "'";
        };
    }
}
