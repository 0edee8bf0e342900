package dev.weft.pdu;

import java.util.List;

/**
 * An alter_context_resp (PTYPE 15; C706 12.6.4.2), laid out as a {@link BindAck}. Windows sends an empty secondary
 * address here.
 */
public record AlterContextResp(int flags, int drep, int callId, int maxXmitFrag, int maxRecvFrag, int assocGroupId,
                               String secondaryAddress, List<ContextResult> results, SecTrailer auth) implements Pdu {

    /** Checks that every field fits its wire size; copies lists. */
    public AlterContextResp {
        Fields.checkFlags(flags);
        Fields.checkU16("max_xmit_frag", maxXmitFrag);
        Fields.checkU16("max_recv_frag", maxRecvFrag);
        SecondaryAddress.check(secondaryAddress);
        results = List.copyOf(results);
        if (results.size() > 0xFF) throw new IllegalArgumentException("more than 255 results");
    }

    @Override
    public int ptype() {
        return PType.ALTER_CONTEXT_RESP;
    }
}
