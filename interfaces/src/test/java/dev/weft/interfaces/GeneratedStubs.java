package dev.weft.interfaces;

import dev.weft.client.BindingHandle;
import dev.weft.interfaces.dssetup.Dssetup;
import dev.weft.interfaces.epmapper.Epmapper;
import dev.weft.interfaces.lsarpc.Lsarpc;
import dev.weft.interfaces.mgmt.Mgmt;
import dev.weft.interfaces.netlogon.Netlogon;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.samr.Samr;
import dev.weft.interfaces.srvsvc.Srvsvc;
import dev.weft.ndr.NdrLimits;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The four codecs of one generated interface, reached the way users reach them: the client stub ({@code Xxx.client})
 * encodes requests and decodes responses through a {@link BindingHandle}; the server skeleton ({@code Xxx.service})
 * decodes requests and encodes responses through a {@link ServerCall}. Nothing here knows an operation: the skeleton
 * names the method a request is for, and the client method of the same name encodes it again.
 *
 * <p>Not thread-safe: each test uses its own.
 */
public final class GeneratedStubs {
    private static final HexFormat HEX = HexFormat.of();

    /** The interfaces whose captures the tests replay, and rpcecho. */
    static final List<Class<?>> KNOWN = List.of(Epmapper.class, Mgmt.class, Samr.class, Lsarpc.class, Netlogon.class,
            Dssetup.class, Srvsvc.class, RpcEcho.class);

    /** A decoded request: the operation's method name and its [in] arguments (the skeleton's, without the call). */
    public record Call(String method, Object[] args) {
    }

    private final Class<?> outer;
    private final SyntaxId id;
    private final Class<?> clientType;
    private final RpcService service;
    // What the skeleton's implementation does next: keep the arguments and stop, or answer with a result.
    private Call decoded;
    private int remainingAfterDecode;
    private boolean answering;
    private Object answer;

    private GeneratedStubs(Class<?> outer) {
        try {
            this.outer = outer;
            this.id = (SyntaxId) outer.getField("INTERFACE_ID").get(null);
            this.clientType = nested(outer, "Client");
            Class<?> serverType = nested(outer, "Server");
            InvocationHandler impl = (proxy, m, a) -> switch (m.getName()) {
                case "rundown" -> null;
                case "toString" -> "captured " + outer.getSimpleName();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == a[0];
                default -> implement(m, a);
            };
            Object server = Proxy.newProxyInstance(GeneratedStubs.class.getClassLoader(), new Class<?>[] {serverType}, impl);
            this.service = (RpcService) outer.getMethod("service", serverType).invoke(null, server);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(outer + " is not a generated interface", e);
        }
    }

    /** The codecs of a generated interface class ({@code Samr.class}). */
    public static GeneratedStubs of(Class<?> generated) {
        return new GeneratedStubs(generated);
    }

    /** The codecs of the generated interface with this UUID. */
    public static GeneratedStubs of(SyntaxId interfaceId) {
        for (Class<?> c : KNOWN) {
            GeneratedStubs s = new GeneratedStubs(c);
            if (s.id.equals(interfaceId)) return s;
        }
        throw new AssertionError("no generated interface " + interfaceId);
    }

    /**
     * The skeleton over another implementation: {@code impl} gets the method called and its arguments, the
     * {@link ServerCall} first.
     */
    public RpcService service(InvocationHandler impl) {
        try {
            Class<?> serverType = nested(outer, "Server");
            InvocationHandler h = (proxy, m, a) -> switch (m.getName()) {
                case "rundown" -> null;
                case "toString" -> "replaying " + outer.getSimpleName();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == a[0];
                default -> impl.invoke(proxy, m, a);
            };
            Object server = Proxy.newProxyInstance(GeneratedStubs.class.getClassLoader(), new Class<?>[] {serverType}, h);
            return (RpcService) outer.getMethod("service", serverType).invoke(null, server);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public SyntaxId interfaceId() {
        return id;
    }

    public Class<?> generatedClass() {
        return outer;
    }

    /** The generated client over {@code binding}. */
    public Object client(BindingHandle binding) {
        try {
            return outer.getMethod("client", BindingHandle.class).invoke(null, binding);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object implement(Method m, Object[] a) {
        if (answering) return answer;
        ServerCall call = (ServerCall) a[0];
        remainingAfterDecode = call.in().remaining();
        decoded = new Call(m.getName(), Arrays.copyOfRange(a, 1, a.length));
        throw new Decoded();
    }

    /** Stops the skeleton once its implementation has the arguments. */
    private static final class Decoded extends RuntimeException {
        Decoded() {
            super(null, null, false, false);
        }
    }

    /**
     * The skeleton's decoding of a request stub; fails unless it takes every byte. {@code bigEndian} as the request's
     * drep says (NDR20 only).
     */
    public Call decodeRequest(int opnum, TransferSyntax syntax, boolean bigEndian, byte[] stub) throws Exception {
        return decodeRequest(opnum, syntax, bigEndian, stub, false);
    }

    /**
     * As {@link #decodeRequest(int, TransferSyntax, boolean, byte[])}; with {@code trailerFollows}, up to three zero
     * bytes may be left: the padding that aligns a verification trailer (MS-RPCE 2.2.2.13) to 4.
     */
    public Call decodeRequest(int opnum, TransferSyntax syntax, boolean bigEndian, byte[] stub, boolean trailerFollows)
            throws Exception {
        decoded = null;
        answering = false;
        NdrReader in = new NdrReader(syntax, stub, 0, stub.length, bigEndian, NdrLimits.DEFAULT);
        try {
            service.invoke(opnum, serverCall(opnum, in, new NdrWriter(syntax)));
        } catch (Decoded d) {
            boolean padding = trailerFollows && remainingAfterDecode < 4 && stub.length % 4 == 0
                    && Arrays.equals(new byte[remainingAfterDecode], Arrays.copyOfRange(stub, stub.length - remainingAfterDecode, stub.length));
            if (remainingAfterDecode != 0 && !padding) {
                throw new AssertionError(remainingAfterDecode + " bytes of the request left after its [in] arguments: "
                        + HEX.formatHex(stub));
            }
            return decoded;
        }
        throw new AssertionError("opnum " + opnum + ": the skeleton did not call its implementation");
    }

    /** The skeleton's response stub for {@code result}, the call decoded from {@code request}. */
    public byte[] encodeResponse(int opnum, TransferSyntax syntax, boolean bigEndian, byte[] request, Object result)
            throws Exception {
        answering = true;
        answer = result;
        try {
            NdrWriter out = new NdrWriter(syntax);
            service.invoke(opnum, serverCall(opnum,
                    new NdrReader(syntax, request, 0, request.length, bigEndian, NdrLimits.DEFAULT), out));
            return out.toByteArray();
        } finally {
            answering = false;
            answer = null;
        }
    }

    /** The client method that calls what {@code call} names. */
    public Method clientMethod(String name) {
        return Arrays.stream(clientType.getMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(outer.getSimpleName() + ".Client has no " + name));
    }

    /** The generated client's request stub for {@code call}, and the opnum it sends it as. */
    public Encoded encodeRequest(Call call, TransferSyntax syntax) throws Exception {
        Replay b = new Replay(id, syntax, null);
        try {
            invoke(clientMethod(call.method()), client(b), call.args());
        } catch (Replay.Sent sent) {
            return new Encoded(b.opnum, b.request);
        }
        throw new AssertionError(call.method() + " did not call");
    }

    public record Encoded(int opnum, byte[] stub) {
    }

    /**
     * What the generated client makes of a response stub to {@code call} (its [in] arguments may size the [out]
     * ones); fails unless it takes every byte. Little-endian: Samba and Weft answer in their own byte order.
     */
    public Object decodeResponse(Call call, TransferSyntax syntax, byte[] response) throws Exception {
        Replay b = new Replay(id, syntax, response);
        Object result = invoke(clientMethod(call.method()), client(b), call.args());
        if (b.reader.remaining() != 0) {
            throw new AssertionError(b.reader.remaining() + " bytes of the response left after its [out] values");
        }
        return result;
    }

    /** A binding that keeps the request a client stub sends and answers with the given stub, or stops. */
    public static final class Replay implements BindingHandle {
        private final SyntaxId iface;
        private final TransferSyntax syntax;
        private final byte[] response;
        int opnum = -1;
        byte[] request;
        NdrReader reader;

        /** {@code response} null: stop the call once its request is encoded. */
        public Replay(SyntaxId iface, TransferSyntax syntax, byte[] response) {
            this.iface = iface;
            this.syntax = syntax;
            this.response = response;
        }

        static final class Sent extends RuntimeException {
            Sent() {
                super(null, null, false, false);
            }
        }

        public byte[] request() {
            return request;
        }

        public int opnum() {
            return opnum;
        }

        @Override
        public SyntaxId interfaceId() {
            return iface;
        }

        @Override
        public TransferSyntax syntax() {
            return syntax;
        }

        @Override
        public NdrReader call(int opnum, NdrWriter request) {
            this.opnum = opnum;
            this.request = request.toByteArray();
            if (response == null) throw new Sent();
            return reader = new NdrReader(syntax, response);
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
    }

    static Object invoke(Method m, Object target, Object[] args) throws Exception {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error err) throw err;
            throw (Exception) e.getCause();
        }
    }

    private static Class<?> nested(Class<?> outer, String name) throws ClassNotFoundException {
        for (Class<?> c : outer.getDeclaredClasses()) if (c.getSimpleName().equals(name)) return c;
        throw new ClassNotFoundException(outer.getName() + "." + name);
    }

    // ServerCall's constructor is the server's own (package-private): the tests run on the class path (the parent
    // pom's surefire setting), so it is reached reflectively, as the fuzz module reaches it. Its arguments: the
    // service, the association group and client address (unused by the generated code), the opnum, the object
    // UUID, the request reader, the response writer, the auth level and the caller's identity.
    private static final Constructor<?> SERVER_CALL;

    static {
        Constructor<?>[] all = ServerCall.class.getDeclaredConstructors();
        if (all.length != 1) throw new IllegalStateException("ServerCall has " + all.length + " constructors");
        SERVER_CALL = all[0];
        SERVER_CALL.setAccessible(true);
    }

    private ServerCall serverCall(int opnum, NdrReader in, NdrWriter out) throws Exception {
        Class<?>[] types = SERVER_CALL.getParameterTypes();
        Object[] a = new Object[types.length];
        int ints = 0;
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == RpcService.class) a[i] = service;
            else if (t == NdrReader.class) a[i] = in;
            else if (t == NdrWriter.class) a[i] = out;
            else if (t == int.class) a[i] = ints++ == 0 ? opnum : 1;   // the opnum, then the auth level (NONE)
            else if (t == boolean.class) a[i] = false;
            else if (t == long.class) a[i] = 0L;
        }
        try {
            return (ServerCall) SERVER_CALL.newInstance(a);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }
}
