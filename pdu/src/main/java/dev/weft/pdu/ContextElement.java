package dev.weft.pdu;

import dev.weft.ndr.SyntaxId;
import java.util.List;

/**
 * One proposed presentation context of a bind or alter_context, C706's {@code p_cont_elem_t}: a context id chosen
 * by the client, the interface (abstract syntax) and the transfer syntaxes it offers, in preference order.
 */
public record ContextElement(int contextId, SyntaxId abstractSyntax, List<SyntaxId> transferSyntaxes) {

    /** Checks that every field fits its wire size; copies lists. */
    public ContextElement {
        if ((contextId & ~0xFFFF) != 0) throw new IllegalArgumentException("p_cont_id out of range: " + contextId);
        if (abstractSyntax == null) throw new NullPointerException("abstractSyntax");
        transferSyntaxes = List.copyOf(transferSyntaxes);
        if (transferSyntaxes.size() > 0xFF) throw new IllegalArgumentException("more than 255 transfer syntaxes");
    }

    /** A context offering exactly one transfer syntax. */
    public static ContextElement of(int contextId, SyntaxId abstractSyntax, SyntaxId transferSyntax) {
        return new ContextElement(contextId, abstractSyntax, List.of(transferSyntax));
    }

    /** Wire size: 4 bytes, the abstract syntax, 20 bytes per transfer syntax. */
    int wireSize() {
        return 4 + SyntaxId.SIZE * (1 + transferSyntaxes.size());
    }
}
