package dev.weft.idl.model;

/**
 * The {@code [string]} attribute on an array or pointer: the data is a NUL-terminated string whose counts
 * include the terminator (C706 14.3.4, RPCE-FACTS §10.4).
 *
 * @param characterWidth 1 for {@code char}/{@code byte} strings, 2 for {@code wchar_t} strings
 */
public record StringAttr(int characterWidth) {
}
