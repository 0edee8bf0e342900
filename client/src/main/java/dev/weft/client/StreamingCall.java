package dev.weft.client;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;

/**
 * One call whose stubs stream, for operations with pipes: the request goes out in fragments while {@link #request()}
 * is written, and {@link #response()} decodes the answer from fragments as they arrive, so a pipe of any length
 * crosses in bounded memory. Generated client stubs use it; it is not safe for use from several threads.
 *
 * <pre>{@code
 * try (StreamingCall call = binding.open(OPNUM)) {
 *     NdrWriter w = call.request();   // [in] parameters, then [in] pipes chunk by chunk
 *     NdrReader r = call.response();  // ends the request; [out] pipes chunk by chunk, then [out] parameters
 *     ...
 * }                                   // a call left unread is cancelled (co_cancel, or orphaned)
 * }</pre>
 *
 * <p>Reading the response blocks while no fragment is there, at most the binding's timeout for each; a fault
 * (even after part of the response) is thrown from the reader as {@link RpcFaultException}. While the request is
 * being written no other call's request can start on the connection (the protocol forbids interleaving request
 * fragments), so a caller must not make another call on the same connection from inside its pipe source.
 */
public interface StreamingCall extends AutoCloseable {

    /** The request stub; bytes leave as fragments fill. */
    NdrWriter request();

    /** Ends the request (its last fragment) and returns a reader over the response as it arrives. */
    NdrReader response();

    /** Releases the call; one that has not received its whole response is cancelled. */
    @Override
    void close();
}
