package dev.weft.security.spnego;

import dev.weft.security.Protection;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Step;
import java.util.List;

/**
 * The SPNEGO initiator: negTokenInit with every mechanism and an optimistic token for the first, then
 * negTokenResp legs until the inner mechanism completes; it then sends its mechListMIC and, on the acceptor's
 * accept-completed answer, checks the acceptor's. Over DCE/RPC that is bind, bind_ack, alter_context,
 * alter_context_resp (an even number of legs, MS-RPCE 2.2.1.1.7).
 */
final class SpnegoClientContext extends SpnegoContext {

    private final List<SpnegoProvider.Mechanism> mechanisms;
    private final Protection protection;
    private final String targetName;
    private boolean started;
    private boolean micSent;

    SpnegoClientContext(List<SpnegoProvider.Mechanism> mechanisms, Protection protection, String targetName) {
        this.mechanisms = mechanisms;
        this.protection = protection;
        this.targetName = targetName;
    }

    @Override
    public Step step(byte[] input) {
        requireIncomplete();
        if (!started) {
            started = true;
            SpnegoProvider.Mechanism first = mechanisms.get(0);
            inner = first.provider().newClientContext(protection, targetName);
            mechanism = first.oid();
            byte[] optimistic = inner.step(new byte[0]).token();
            NegTokens.Init init = NegTokens.Init.of(mechanisms.stream().map(SpnegoProvider.Mechanism::oid).toList(),
                    optimistic);
            mechTypesDer = init.mechTypesDer();
            return new Step.Continue(init.encode());
        }
        NegTokens.Resp resp = NegTokens.Resp.decode(input);
        if (resp.negState() != null && resp.negState() == NegTokens.REJECT) {
            throw new SecurityContextException(Reason.NO_COMMON_MECHANISM, "the acceptor rejected the negotiation");
        }
        if (micSent) {
            // The acceptor's last word: accept-completed with its mechListMIC (and possibly a last mech token).
            if (resp.negState() == null || resp.negState() != NegTokens.ACCEPT_COMPLETED) {
                throw SecurityContextException.invalidToken("expected accept-completed, got negState " + resp.negState());
            }
            if (resp.responseToken() != null) {
                throw SecurityContextException.invalidToken("a mechanism token after the inner context completed");
            }
            checkMechListMic(resp.mechListMic());
            inner.resetCryptoAfterMechListMic();
            completed();
            return new Step.Complete(new byte[0]);
        }
        byte[] out = new byte[0];
        if (resp.supportedMech() != null && !resp.supportedMech().equals(mechanism)) {
            // The acceptor chose another of our mechanisms: start it afresh (our optimistic token is discarded).
            SpnegoProvider.Mechanism chosen = mechanisms.stream().filter(m -> m.oid().equals(resp.supportedMech()))
                    .findFirst().orElseThrow(() -> new SecurityContextException(Reason.NO_COMMON_MECHANISM,
                            "the acceptor chose " + resp.supportedMech() + ", which was not offered"));
            inner = chosen.provider().newClientContext(protection, targetName);
            mechanism = chosen.oid();
            out = inner.step(new byte[0]).token();
        } else if (resp.responseToken() != null) {
            out = inner.step(resp.responseToken()).token();
        } else {
            throw SecurityContextException.invalidToken("negTokenResp without a mechanism token");
        }
        if (inner.isComplete() && out.length == 0 && resp.negState() != null
                && resp.negState() == NegTokens.ACCEPT_COMPLETED) {
            // The acceptor finished on our optimistic token (Kerberos: AP-REQ, then AP-REP with accept-completed) and
            // expects nothing more. RFC 4178 section 5: a missing mechListMIC is acceptable only when the acceptor
            // chose our preferred mechanism; a present one must verify.
            if (resp.mechListMic() != null) {
                checkMechListMic(resp.mechListMic());
            } else if (!mechanism.equals(mechanisms.get(0).oid())) {
                throw new SecurityContextException(Reason.MESSAGE_ALTERED,
                        "the acceptor chose a non-preferred mechanism without a mechListMIC");
            }
            completed();
            return new Step.Complete(new byte[0]);
        }
        byte[] mic = null;
        if (inner.isComplete()) {
            mic = mechListMic();
            micSent = true;
        }
        return new Step.Continue(new NegTokens.Resp(null, null, out.length == 0 ? null : out, mic).encode());
    }
}
