package dev.weft.idl.model;

/**
 * A position in an IDL source file, 1-based, as shown to users: {@code samr.idl:120:17}.
 *
 * @param file   the file's display name (its file name, or the name given for an in-memory source)
 * @param line   line number, from 1
 * @param column column number, from 1 (a tab counts as one column)
 */
public record Location(String file, int line, int column) {
    /** A location for things that have no source position (built-in types). */
    public static final Location BUILTIN = new Location("<builtin>", 0, 0);

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
