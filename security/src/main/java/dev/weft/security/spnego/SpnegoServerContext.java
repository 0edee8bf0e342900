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
 *
 * <p>A mechanism that completes on the initiator's optimistic token (Kerberos without DCE style, as JGSS and most
 * non-RPC initiators speak it) completes SPNEGO in that one leg: accept-completed with the mechanism's answer.
 *
 * <p>RFC 4178 section 5: when the chosen mechanism is the initiator's first choice nothing can have been
 * downgraded, and the MIC exchange is optional. Samba's initiator leaves it out for Kerberos with an
 * RC4-HMAC key (RFC 4757 contexts are not "new SPNEGO" for them), so then the acceptor completes without one; in
 * every other case a missing mechListMIC is refused.
 */
final class SpnegoServerContext extends SpnegoContext {

    private final List<SpnegoProvider.Mechanism> mechanisms;
    /** Whether the chosen mechanism is the first of the initiator's list. */
    private boolean initiatorsFirstChoice;

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
                    initiatorsFirstChoice = offered.equals(init.mechTypes().get(0));
                    boolean optimistic = initiatorsFirstChoice && init.mechToken() != null;
                    if (!optimistic) {
                        // The initiator's token was for another mechanism: tell it which one to start.
                        return new Step.Continue(new NegTokens.Resp(NegTokens.ACCEPT_INCOMPLETE, mechanism, null, null)
                                .encode());
                    }
                    byte[] out = inner.step(init.mechToken()).token();
                    if (inner.isComplete()) {
                        // Kerberos without DCE style: AP-REQ in, AP-REP out, done. The mechanism is the initiator's
                        // first choice, so no mechListMIC is needed (RFC 4178 section 5), and none is sent: an
                        // initiator that then had to answer one would need a leg nobody waits for.
                        completed();
                        return new Step.Complete(new NegTokens.Resp(NegTokens.ACCEPT_COMPLETED, mechanism,
                                out.length == 0 ? null : out, null).encode());
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
        // The mechListMIC is checked and answered when the initiator sent one, or when it is required: the
        // initiator's first choice was not taken (a downgrade could hide there) and the mechanism has integrity.
        // Without integrity (NTLM at CONNECT level) nothing could sign one, and Windows and Samba complete without
        // it (Samba's raw_protocol test_spnego_connect_*); a client stripping it would also have to strip NTLM's
        // SIGN flag, which NTLM's own MIC covers.
        byte[] mic = null;
        boolean required = !initiatorsFirstChoice && inner.negotiatedProtection() != Protection.AUTHENTICATION;
        if (peerMic != null || required) {
            checkMechListMic(peerMic);
            mic = mechListMic();
            inner.resetCryptoAfterMechListMic();
        }
        completed();
        return new Step.Complete(new NegTokens.Resp(NegTokens.ACCEPT_COMPLETED, null, out, mic).encode());
    }
}
