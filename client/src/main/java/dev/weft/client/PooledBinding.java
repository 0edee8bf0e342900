package dev.weft.client;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import java.time.Duration;

/**
 * One interface bound on every connection of a client's pool: each call goes to the connection with the fewest
 * calls in flight, and {@link RpcClient} opens another connection (in the same association group) when all of them
 * are busy and the pool has room. The interface is bound on a connection the first time a call goes there (under the
 * client's security context, or a view's: {@link RpcClient#withAuth}).
 */
final class PooledBinding implements BindingHandle {
    private final RpcClient client;
    private final SyntaxId iface;
    private final TransferSyntax syntax;
    private final Duration timeout;

    PooledBinding(RpcClient client, SyntaxId iface, TransferSyntax syntax, Duration timeout) {
        this.client = client;
        this.iface = iface;
        this.syntax = syntax;
        this.timeout = timeout;
    }

    @Override
    public SyntaxId interfaceId() {
        return iface;
    }

    @Override
    public TransferSyntax syntax() {
        return syntax;
    }

    /** The binding on the connection this call should use, with this handle's timeout. */
    private BindingHandle pick() {
        BindingHandle h = client.leastBusy().bind(iface, client.auth());
        if (h.syntax() != syntax) {
            // The server chose the transfer syntax per connection; requests are encoded before a connection is picked.
            throw new RpcBindException("the server chose " + h.syntax() + " on another connection of the pool, " + syntax
                    + " on the first", 0);
        }
        return h.timeout().equals(timeout) ? h : h.withTimeout(timeout);
    }

    @Override
    public NdrReader call(int opnum, NdrWriter request) {
        return pick().call(opnum, request);
    }

    @Override
    public NdrReader call(int opnum, Uuid object, NdrWriter request) {
        return pick().call(opnum, object, request);
    }

    @Override
    public StreamingCall open(int opnum, Uuid object) {
        return pick().open(opnum, object);
    }

    @Override
    public BindingHandle withTimeout(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("a negative timeout");
        return new PooledBinding(client, iface, syntax, timeout);
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    /** Each connection of the pool builds the further security context when a call under it first goes there. */
    @Override
    public BindingHandle withAuth(ClientAuth auth) {
        return client.withAuth(auth).bind(iface).withTimeout(timeout);
    }

    /** For tests and diagnostics: how many connections the pool holds now. */
    int connections() {
        return client.connections().size();
    }
}
