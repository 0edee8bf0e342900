package dev.weft.pdu;

import java.util.List;

/**
 * A bind_ack (PTYPE 12; C706 12.6.4.4): the negotiated fragment sizes, the association group joined or created,
 * the secondary address ({@code sec_addr.port_spec}, e.g. {@code "135"} or {@code "\PIPE\lsass"}; empty for length
 * 0) and one {@link ContextResult} per proposed context, in order.
 */
public record BindAck(int flags, int drep, int callId, int maxXmitFrag, int maxRecvFrag, int assocGroupId,
                      String secondaryAddress, List<ContextResult> results, SecTrailer auth) implements Pdu {

    /** Checks that every field fits its wire size; copies lists. */
    public BindAck {
        Fields.checkFlags(flags);
        Fields.checkU16("max_xmit_frag", maxXmitFrag);
        Fields.checkU16("max_recv_frag", maxRecvFrag);
        SecondaryAddress.check(secondaryAddress);
        results = List.copyOf(results);
        if (results.size() > 0xFF) throw new IllegalArgumentException("more than 255 results");
    }

    @Override
    public int ptype() {
        return PType.BIND_ACK;
    }
}
