package dev.weft.pdu;

import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.util.OptionalInt;

/**
 * Bind time feature negotiation (MS-RPCE 2.2.2.14, 3.3.1.5.3). The client adds one context element with the same
 * abstract syntax as a real one and exactly one transfer syntax whose UUID starts with 6CB71C2C-9812-4540, version
 * 1.0; the UUID's last eight bytes (clock_seq and node, in wire order) are the {@code Bitmask[8]}. The server
 * answers that element with {@link ContextResult#NEGOTIATE_ACK} and the accepted bits in the reason field.
 *
 * <p>Features are an int whose low byte is {@code Bitmask[0]} and next byte {@code Bitmask[1]}, the same layout as
 * the u16 reason of the negotiate_ack; bytes 2 to 7 are reserved and sent as zero.
 */
public final class BindTimeFeatures {
    /** Bitmask[0] 0x01: security context multiplexing (MS-RPCE 3.3.1.5.4). */
    public static final int SECURITY_CONTEXT_MULTIPLEXING = 0x01;
    /** Bitmask[0] 0x02: keep the connection after an orphaned PDU (MS-RPCE 3.3.1.5.10). */
    public static final int KEEP_CONNECTION_ON_ORPHAN = 0x02;

    /** time_low 6CB71C2C, time_mid 9812, time_hi_and_version 4540: the UUID's first 64 bits. */
    private static final long PREFIX = 0x6CB71C2C_9812_4540L;

    private BindTimeFeatures() {
    }

    /** The transfer syntax announcing {@code features}: 6cb71c2c-9812-4540-BBBB-000000000000 v1.0. */
    public static SyntaxId transferSyntax(int features) {
        if ((features & ~0xFFFF) != 0) throw new IllegalArgumentException("features beyond Bitmask[0..1]");
        long lsb = (long) (features & 0xFF) << 56 | (long) (features >>> 8 & 0xFF) << 48;
        return new SyntaxId(new Uuid(PREFIX, lsb), 1, 0);
    }

    /** Whether {@code syntax} is a feature-negotiation transfer syntax (the prefix and version 1.0). */
    public static boolean isFeatureNegotiation(SyntaxId syntax) {
        return syntax.uuid().msb() == PREFIX && syntax.major() == 1 && syntax.minor() == 0;
    }

    /** The features a feature-negotiation transfer syntax announces (Bitmask[0] and Bitmask[1]). */
    public static int features(SyntaxId syntax) {
        long lsb = syntax.uuid().lsb();
        return (int) (lsb >>> 56) & 0xFF | ((int) (lsb >>> 48) & 0xFF) << 8;
    }

    /** The extra context element a client adds to its bind. */
    public static ContextElement contextElement(int contextId, SyntaxId abstractSyntax, int features) {
        return ContextElement.of(contextId, abstractSyntax, transferSyntax(features));
    }

    /**
     * The features a context element requests, or empty when it is an ordinary element. As Samba does, the
     * element counts when its first transfer syntax carries the prefix; further syntaxes are ignored.
     */
    public static OptionalInt requested(ContextElement element) {
        if (element.transferSyntaxes().isEmpty()) return OptionalInt.empty();
        SyntaxId first = element.transferSyntaxes().get(0);
        return isFeatureNegotiation(first) ? OptionalInt.of(features(first)) : OptionalInt.empty();
    }

    /** The server's answer: negotiate_ack with the requested bits it supports, and a null transfer syntax. */
    public static ContextResult negotiateAck(int requested, int supported) {
        return new ContextResult(ContextResult.NEGOTIATE_ACK, requested & supported & 0xFFFF, SyntaxId.NONE);
    }

    /**
     * The features a server accepted, read from its result for the negotiation element: the reason of a
     * negotiate_ack, and none for anything else (a server without the feature rejects the element, reason 2).
     */
    public static int accepted(ContextResult result) {
        return result.result() == ContextResult.NEGOTIATE_ACK ? result.reason() : 0;
    }
}
