package dev.weft.client;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import java.time.Duration;

/**
 * One interface bound on a client: the seam generated client stubs call (Samba's {@code raw_call} idea). A stub
 * encodes its {@code [in]} parameters into {@link #newRequest()}, calls {@link #call}, and decodes the
 * {@code [out]} parameters and the return value from the reader it gets back.
 *
 * <p>Safe to use from many threads at once; each call blocks only its own thread.
 */
public interface BindingHandle {

    /** The interface (abstract syntax) this handle is bound to. */
    SyntaxId interfaceId();

    /** The transfer syntax negotiated for the interface: what requests are encoded in and responses decoded from. */
    TransferSyntax syntax();

    /** A writer for a request stub in the negotiated transfer syntax. */
    default NdrWriter newRequest() {
        return new NdrWriter(syntax());
    }

    /**
     * Sends {@code request} as operation {@code opnum} and waits for the answer.
     *
     * @return a reader over the whole response stub
     * @throws RpcFaultException     when the server answers with a fault
     * @throws RpcTransportException when the connection fails
     */
    NdrReader call(int opnum, NdrWriter request);

    /** As {@link #call(int, NdrWriter)}, with an object UUID on the request (PFC_OBJECT_UUID). */
    NdrReader call(int opnum, Uuid object, NdrWriter request);

    /**
     * Opens a call whose request and response stream fragment by fragment (operations with {@code [in]} or
     * {@code [out]} pipes); see {@link StreamingCall}.
     */
    default StreamingCall open(int opnum) {
        return open(opnum, null);
    }

    /** As {@link #open(int)}, with an object UUID on the request ({@code null} for none). */
    default StreamingCall open(int opnum, Uuid object) {
        throw new UnsupportedOperationException("this binding does not stream");
    }

    /**
     * The same binding with another call timeout (zero: wait for ever). A call with no answer in time is cancelled
     * and fails with {@link RpcTimeoutException}. Generated clients take the result as they take any handle:
     * {@code Witness.client(handle.withTimeout(Duration.ofSeconds(30)))}.
     */
    BindingHandle withTimeout(Duration timeout);

    /** The call timeout of this binding (zero: none). */
    Duration timeout();

    /**
     * The same interface with its calls under another security context on the same connection (security context
     * multiplexing, MS-RPCE 3.3.1.5.4), built with {@code auth}'s credentials, level and mechanism the first time
     * they are used there; {@link RpcClient#withAuth} is the same for a whole client. Calls under either binding may
     * run at once.
     *
     * @throws RpcSecurityContextException when the context cannot be built (the server did not negotiate
     *                                     multiplexing, or refused the context, or authentication failed)
     */
    default BindingHandle withAuth(ClientAuth auth) {
        throw new UnsupportedOperationException("this binding has no connection to multiplex");
    }
}
