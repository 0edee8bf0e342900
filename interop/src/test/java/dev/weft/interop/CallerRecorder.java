package dev.weft.interop;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.samr.Samr;
import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.SyntaxId;
import dev.weft.security.Identity;
import dev.weft.security.Sid;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A service that runs another and remembers who called it last ({@link ServerCall#identity()}), so that an interop
 * test can check what a Weft server learned about a caller that a real peer authenticated.
 */
final class CallerRecorder implements RpcService {
    private final RpcService delegate;
    private final AtomicReference<Identity> last = new AtomicReference<>();

    CallerRecorder(RpcService delegate) {
        this.delegate = delegate;
    }

    /** The identity of the last call, and forgets it. */
    Identity take() {
        return last.getAndSet(null);
    }

    @Override
    public SyntaxId interfaceId() {
        return delegate.interfaceId();
    }

    @Override
    public int operationCount() {
        return delegate.operationCount();
    }

    @Override
    public String annotation() {
        return delegate.annotation();
    }

    @Override
    public boolean supportsNdr64() {
        return delegate.supportsNdr64();
    }

    @Override
    public boolean streams(int opnum) {
        return delegate.streams(opnum);
    }

    @Override
    public void invoke(int opnum, ServerCall call) throws Exception {
        last.set(call.identity());
        delegate.invoke(opnum, call);
    }

    @Override
    public void rundown(ContextHandle handle, Object state) {
        delegate.rundown(handle, state);
    }

    /**
     * rpcuser's SID as the DC's samr tells it over NTLMSSP (domain SID and RID): what a PAC must say, learned
     * another way.
     */
    static Sid rpcuserSid() {
        try (RpcClient client = SamrAgainstSambaTest.connect("ntlm", 6, SamrAgainstSambaTest.PASSWORD)) {
            Samr.Client samr = Samr.client(client.bind(Samr.INTERFACE_ID));
            Samr.SamprHandle sam = samr.samrConnect5("\\\\rpcdc", SamrAgainstSambaTest.MAXIMUM_ALLOWED, 1,
                    new Samr.SamprRevisionInfo.V1(new Samr.SamprRevisionInfoV1(3, 0))).serverHandle();
            Samr.RpcSid domain = samr.samrLookupDomainInSamServer(sam,
                    SamrAgainstSambaTest.unicode(SamrAgainstSambaTest.DOMAIN)).domainId();
            Samr.SamprHandle opened = samr.samrOpenDomain(sam, SamrAgainstSambaTest.MAXIMUM_ALLOWED, domain).domainHandle();
            int rid = samr.samrLookupNamesInDomain(opened, 1, List.of(SamrAgainstSambaTest.unicode(SamrAgainstSambaTest.USER)))
                    .relativeIds().element()[0];
            SamrAgainstSambaTest.close(samr, opened);
            SamrAgainstSambaTest.close(samr, sam);
            return Sid.parse(SamrAgainstSambaTest.sid(domain)).resolve(Integer.toUnsignedLong(rid));
        }
    }
}
