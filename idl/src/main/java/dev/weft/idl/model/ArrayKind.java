package dev.weft.idl.model;

/** The four NDR array shapes (C706 14.3.3, RPCE-FACTS §10.3). */
public enum ArrayKind {
    FIXED, CONFORMANT, VARYING, CONFORMANT_VARYING
}
