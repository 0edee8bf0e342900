package dev.weft.server;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.SyntaxId;

/**
 * One RPC interface as the server runtime sees it: the seam between the runtime, which moves stub bytes for
 * (interface, opnum), and generated skeletons, which turn stub bytes into arguments and results (Samba's
 * {@code raw_call} idea, ARCHITECTURE.md).
 *
 * <p>{@link #invoke} runs on the call's own virtual thread: it may block for as long as the operation needs (a
 * pending call is simply an implementation that waits), and it is interrupted when the client cancels the call,
 * orphans it, or loses the connection.
 */
public interface RpcService {

    /** The abstract syntax: interface UUID and version. A client's bind matches on the UUID, the same major
     * version and a minor version no higher than this one. */
    SyntaxId interfaceId();

    /** How many operations the interface has; a request with a higher opnum gets {@code nca_s_op_rng_error}. */
    int operationCount();

    /** The annotation the endpoint mapper lists the interface with, by convention its IDL name ("samr"). */
    default String annotation() {
        return "";
    }

    /** Whether the service has NDR64 codecs; generated services always do. */
    default boolean supportsNdr64() {
        return true;
    }

    /**
     * Whether operation {@code opnum} streams (it has {@code [in]} or {@code [out]} pipes). A streamed call is
     * dispatched at its first request fragment with a {@link ServerCall#in() reader} that takes later fragments as
     * they arrive, and its {@link ServerCall#out() writer} sends response fragments as it fills, so neither stub is
     * ever held whole; the request-size limit does not apply to it. Generated services answer from the IDL.
     */
    default boolean streams(int opnum) {
        return false;
    }

    /**
     * Runs operation {@code opnum}: decodes the {@code [in]} parameters from {@link ServerCall#in()}, does the work,
     * encodes the {@code [out]} parameters and the return value into {@link ServerCall#out()}.
     *
     * @throws dev.weft.ndr.NdrException for undecodable stub data (the client gets fault 0x6F7 or the exception's
     *                                   status)
     * @throws FaultException            to answer with a particular fault status
     * @throws InterruptedException      when the call was cancelled while it waited
     */
    void invoke(int opnum, ServerCall call) throws Exception;

    /**
     * Runs down a context handle this service opened and nobody closed before its association group ended
     * (C706's context rundown). Called once per handle, on the thread of the group's last connection.
     */
    default void rundown(ContextHandle handle, Object state) {
    }
}
