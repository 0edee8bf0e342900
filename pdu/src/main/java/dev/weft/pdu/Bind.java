package dev.weft.pdu;

import java.util.List;

/**
 * A bind (PTYPE 11; C706 12.6.4.3): the client's proposed fragment sizes, the association group to join (0 to
 * create one, RPCE-FACTS §7) and its presentation contexts. The first authentication leg rides in {@code auth}.
 */
public record Bind(int flags, int drep, int callId, int maxXmitFrag, int maxRecvFrag, int assocGroupId,
                   List<ContextElement> contexts, SecTrailer auth) implements Pdu {

    /** Checks that every field fits its wire size; copies lists. */
    public Bind {
        Fields.checkFlags(flags);
        Fields.checkU16("max_xmit_frag", maxXmitFrag);
        Fields.checkU16("max_recv_frag", maxRecvFrag);
        contexts = List.copyOf(contexts);
        if (contexts.size() > 0xFF) throw new IllegalArgumentException("more than 255 context elements");
    }

    /** A little-endian FIRST|LAST bind without auth. */
    public static Bind of(int callId, int maxFrag, int assocGroupId, List<ContextElement> contexts) {
        return new Bind(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, maxFrag, maxFrag, assocGroupId, contexts,
                null);
    }

    @Override
    public int ptype() {
        return PType.BIND;
    }
}
