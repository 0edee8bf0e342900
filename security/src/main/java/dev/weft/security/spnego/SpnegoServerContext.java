package dev.weft.security.spnego;

import dev.weft.security.Protection;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.Step;
import java.util.List;

/**
 * The SPNEGO acceptor: picks the first mechanism of the initiator's list that it supports (MS-SPNG 3.2.5.2), uses
 * the optimistic token when that mechanism was the initiator's first choice, relays tokens until the inner
 * mechanism completes, then checks the initiator's mechListMIC and answers accept-completed with its own.
 */
final class SpnegoServerContext extends SpnegoContext {

    private final List<SpnegoProvider.Mechanism> mechanisms;

    SpnegoServerContext(List<SpnegoProvider.Mechanism> mechanisms) {
        this.mechanisms = mechanisms;
    }

    @Override
    public Step step(byte[] input) {
        requireIncomplete();
        if (input == null || input.length == 0) throw SecurityContextException.invalidToken("empty SPNEGO token");
        if (inner == null) return init(NegTokens.Init.decode(input));
        NegTokens.Resp resp = NegTokens.Resp.decode(input);
        if (resp.responseToken() == null) throw SecurityContextException.invalidToken("negTokenResp without a token");
        Step innerStep = inner.step(resp.responseToken());
        return answer(innerStep.token(), resp.mechListMic());
    }

    private Step init(NegTokens.Init init) {
        mechTypesDer = init.mechTypesDer();
        for (String offered : init.mechTypes()) {
            for (SpnegoProvider.Mechanism m : mechanisms) {
                if (m.oid().equals(offered)) {
                    inner = m.provider().newServerContext();
                    mechanism = m.oid();
                    boolean optimistic = offered.equals(init.mechTypes().get(0)) && init.mechToken() != null;
                    if (!optimistic) {
                        // The initiator's token was for another mechanism: tell it which one to start.
                        return new Step.Continue(new NegTokens.Resp(NegTokens.ACCEPT_INCOMPLETE, mechanism, null, null)
                                .encode());
                    }
                    byte[] out = inner.step(init.mechToken()).token();
                    if (inner.isComplete()) {
                        throw new SecurityContextException(Reason.UNSUPPORTED,
                                "a mechanism that completes on its first token is not supported yet");
                    }
                    return new Step.Continue(new NegTokens.Resp(NegTokens.ACCEPT_INCOMPLETE, mechanism, out, null)
                            .encode());
                }
            }
        }
        throw new SecurityContextException(Reason.NO_COMMON_MECHANISM, "none of " + init.mechTypes() + " is supported");
    }

    private Step answer(byte[] token, byte[] peerMic) {
        byte[] out = token.length == 0 ? null : token;
        if (!inner.isComplete()) {
            return new Step.Continue(new NegTokens.Resp(NegTokens.ACCEPT_INCOMPLETE, null, out, null).encode());
        }
        if (peerMic == null && inner.negotiatedProtection() == Protection.AUTHENTICATION) {
            // No integrity negotiated (an RPC client at CONNECT level): nothing could sign a mechListMIC, and Windows
            // and Samba complete without one (Samba's raw_protocol test_spnego_connect_*). A client that strips the
            // MIC would also have to strip NTLM's SIGN flag, which NTLM's own MIC covers.
            completed();
            return new Step.Complete(new NegTokens.Resp(NegTokens.ACCEPT_COMPLETED, null, out, null).encode());
        }
        checkMechListMic(peerMic);
        byte[] mic = mechListMic();
        inner.resetCryptoAfterMechListMic();
        completed();
        return new Step.Complete(new NegTokens.Resp(NegTokens.ACCEPT_COMPLETED, null, out, mic).encode());
    }
}
