package dev.weft.pdu;

import dev.weft.ndr.Uuid;
import java.util.List;

/**
 * A bind_nak (PTYPE 13; C706 12.6.4.5; MS-RPCE 2.2.2.9): a {@link RejectReason}, the protocol versions the server
 * supports and an optional 16-byte signature. Receivers tolerate all three forms (RPCE-FACTS §14.4): nothing after
 * the reason, a versions list, or a versions list plus signature. Windows sends one version (5.0) padded to 24
 * bytes; Samba and Windows close the connection after every bind_nak.
 *
 * @param versions  the supported versions; empty when the PDU ended after the reason
 * @param signature the MS-RPCE 2.2.2.9 signature, or {@code null}; {@link #EXTENDED_ERROR_SIGNATURE} means
 *                  [MS-EERR] extended error information follows
 */
public record BindNak(int flags, int drep, int callId, int reason, List<ProtocolVersion> versions, Uuid signature)
        implements Pdu {

    /** MS-RPCE 2.2.1.1.2: the signature announcing extended error information. */
    public static final Uuid EXTENDED_ERROR_SIGNATURE = Uuid.parse("90740320-fad0-11d3-82d7-009027b130ab");

    /** Checks that every field fits its wire size; copies lists. */
    public BindNak {
        Fields.checkFlags(flags);
        Fields.checkU16("provider_reject_reason", reason);
        versions = List.copyOf(versions);
        if (versions.size() > 0xFF) throw new IllegalArgumentException("more than 255 versions");
    }

    /** The bind_nak Windows sends: FIRST|LAST, versions {5.0}, no signature. */
    public static BindNak of(int callId, int reason) {
        return new BindNak(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, reason,
                List.of(ProtocolVersion.V5_0), null);
    }

    @Override
    public int ptype() {
        return PType.BIND_NAK;
    }
}
