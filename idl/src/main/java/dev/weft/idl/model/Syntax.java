package dev.weft.idl.model;

/** The two transfer syntaxes a type's layout is computed for (RPCE-FACTS §10 and §11). */
public enum Syntax {
    /** NDR 2.0 (C706 chapter 14). */
    NDR20,
    /** NDR64 (MS-RPCE 2.2.5). */
    NDR64
}
