package dev.weft.pdu;

import java.util.List;

/**
 * An alter_context (PTYPE 14; C706 12.6.4.1): adds presentation contexts to a bound connection or carries further
 * authentication legs. The frag sizes and group id have no effect after the bind (RPCE-FACTS §2.5).
 */
public record AlterContext(int flags, int drep, int callId, int maxXmitFrag, int maxRecvFrag, int assocGroupId,
                           List<ContextElement> contexts, SecTrailer auth) implements Pdu {

    /** Checks that every field fits its wire size; copies lists. */
    public AlterContext {
        Fields.checkFlags(flags);
        Fields.checkU16("max_xmit_frag", maxXmitFrag);
        Fields.checkU16("max_recv_frag", maxRecvFrag);
        contexts = List.copyOf(contexts);
        if (contexts.size() > 0xFF) throw new IllegalArgumentException("more than 255 context elements");
    }

    @Override
    public int ptype() {
        return PType.ALTER_CONTEXT;
    }
}
