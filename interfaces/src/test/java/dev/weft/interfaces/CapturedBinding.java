package dev.weft.interfaces;

import dev.weft.client.BindingHandle;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.SambaCapture.Exchange;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import java.time.Duration;
import java.util.Arrays;

/**
 * A binding that plays one captured exchange to a generated client, as a Weft user calls it: the client's request is
 * kept, Samba's server's response (or fault) is the answer. {@link #assertSentSambasRequest()} then checks that Weft's
 * client sent what Samba's client sent for the same call:
 * <pre>
 *   CapturedBinding b = CapturedBinding.of(capture, "connect5");
 *   var r = Samr.client(b).samrConnect5(null, MAXIMUM_ALLOWED, 1, info);   // the values Samba's server answered
 *   b.assertSentSambasRequest();
 * </pre>
 */
public final class CapturedBinding implements BindingHandle {
    private final SambaCapture capture;
    private final Exchange exchange;
    private int opnum = -1;
    private byte[] request;
    private NdrReader reader;

    private CapturedBinding(SambaCapture capture, Exchange exchange) {
        this.capture = capture;
        this.exchange = exchange;
    }

    /** The little-endian NDR20 exchange of {@code label}. */
    public static CapturedBinding of(SambaCapture capture, String label) {
        return new CapturedBinding(capture, capture.get(label));
    }

    public Exchange exchange() {
        return exchange;
    }

    @Override
    public SyntaxId interfaceId() {
        return capture.interfaceId();
    }

    @Override
    public TransferSyntax syntax() {
        return exchange.syntax();
    }

    @Override
    public NdrReader call(int opnum, NdrWriter request) {
        this.opnum = opnum;
        this.request = request.toByteArray();
        if (exchange.fault() != null) throw new RpcFaultException(exchange.fault());
        return reader = new NdrReader(exchange.syntax(), exchange.response());
    }

    @Override
    public NdrReader call(int opnum, Uuid object, NdrWriter request) {
        return call(opnum, request);
    }

    @Override
    public BindingHandle withTimeout(Duration timeout) {
        return this;
    }

    @Override
    public Duration timeout() {
        return Duration.ZERO;
    }

    /**
     * Weft's client sent the opnum and the stub Samba's client sent (pointer values aside: {@link WireCompare}), and
     * took every byte of the response.
     */
    public void assertSentSambasRequest() {
        String what = capture.resource() + " " + exchange.name();
        if (request == null) throw new AssertionError(what + ": the client sent nothing");
        if (opnum != exchange.opnum()) throw new AssertionError(what + ": Weft sent opnum " + opnum);
        // Before a verification trailer Samba pads its stub to 4; Weft's stub is the NDR alone.
        byte[] weft = exchange.trailer() != null ? Arrays.copyOf(request, exchange.request().length) : request;
        WireCompare.assertSameButReferentIds(what + " request", exchange.request(), weft, exchange.syntax());
        if (reader != null && reader.remaining() != 0) {
            throw new AssertionError(what + ": " + reader.remaining() + " bytes of Samba's response left undecoded");
        }
    }
}
