package dev.weft.fuzz;

import dev.weft.client.BindingHandle;
import dev.weft.interfaces.dssetup.Dssetup;
import dev.weft.interfaces.epmapper.Epmapper;
import dev.weft.interfaces.mgmt.Mgmt;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.witness.Witness;
import dev.weft.ndr.NdrException;
import dev.weft.ndr.NdrLimits;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * (c) Every generated decoder of the shipped interfaces (rpcecho, epmapper, mgmt, witness, dssetup): the request
 * stub of every operation as the server skeleton decodes it ({@code Xxx.service(impl).invoke(opnum, call)}) and the
 * response stub as the generated client decodes it ({@code Xxx.client(binding).op(...)} over a binding that hands
 * back the fuzzed bytes), in NDR20 and NDR64, little- and big-endian (NDR20 only; NDR64 is little-endian).
 *
 * <p>Input: an 8-byte prefix (byte 0: the operation, byte 1: bit 0 NDR64, bit 1 response, bit 2 big-endian) and the
 * stub. Seeds are real encodings: random arguments and results (see {@link ValueGen}) encoded by the generated client
 * stub and server skeleton. {@code ServerCall}'s constructor is package-private, so it is called reflectively: this
 * module runs on the class path for that reason.
 *
 * <p>Typed error: {@link NdrException}. Round trip: an accepted request's arguments are encoded again by the
 * client stub and decoded again by the skeleton, an accepted response's result encoded by the skeleton and decoded
 * by the client; the two encodings must be the same bytes.
 */
final class StubTarget implements Target {

    /** One operation of one interface. */
    record Op(String iface, String name, int opnum, Object[] client, Method clientMethod, RpcService service,
              Object[] args, Object result, byte[][] request, byte[][] response) {
    }

    /** The skeleton's implementation: records the decoded arguments, then stops the call or returns a result. */
    static final class Impl {
        Object[] args;
        Object result;
        boolean stopAfterDecode;
    }

    /** Thrown by the implementation after the arguments were decoded, so the response is not encoded. */
    static final class Decoded extends RuntimeException {
        Decoded() {
            super(null, null, false, false);
        }
    }

    /** Thrown by the capturing binding with the request stub the client encoded. */
    static final class Captured extends RuntimeException {
        final int opnum;
        final byte[] stub;

        Captured(int opnum, byte[] stub) {
            super(null, null, false, false);
            this.opnum = opnum;
            this.stub = stub;
        }
    }

    /** A binding that either captures the request or answers with given response bytes. */
    static final class FakeBinding implements BindingHandle {
        final SyntaxId iface;
        final TransferSyntax syntax;
        byte[] response;
        int offset;
        boolean bigEndian;
        boolean capture;

        FakeBinding(SyntaxId iface, TransferSyntax syntax) {
            this.iface = iface;
            this.syntax = syntax;
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
            return call(opnum, null, request);
        }

        @Override
        public NdrReader call(int opnum, Uuid object, NdrWriter request) {
            if (capture) throw new Captured(opnum, request.toByteArray());
            return new NdrReader(syntax, response, offset, response.length - offset, bigEndian, NdrLimits.DEFAULT);
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

    private static final Class<?>[] INTERFACES = {RpcEcho.class, Epmapper.class, Mgmt.class, Witness.class, Dssetup.class};
    private static final Constructor<?> SERVER_CALL;

    static {
        Constructor<?>[] all = ServerCall.class.getDeclaredConstructors();
        if (all.length != 1) throw new IllegalStateException("ServerCall has " + all.length + " constructors");
        SERVER_CALL = all[0];
        SERVER_CALL.setAccessible(true);
    }

    private final Impl impl = new Impl();
    private final List<Op> ops = new ArrayList<>();
    /** Per interface and syntax: the capturing/answering binding its client uses. */
    private final List<FakeBinding[]> bindings = new ArrayList<>();
    private final List<String> unseeded = new ArrayList<>();

    StubTarget() {
    }

    @Override
    public String name() {
        return "stubs";
    }

    @Override
    public int prefix() {
        return 8;
    }

    /** Operations no seed could be made for (reported, not hidden). */
    List<String> unseeded() {
        return unseeded;
    }

    List<Op> ops() {
        return ops;
    }

    @Override
    public List<byte[]> seeds(Random random) {
        ValueGen gen = new ValueGen(random);
        try {
            for (Class<?> outer : INTERFACES) setUp(outer, gen);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            for (int s = 0; s < 2; s++) {
                seeds.add(withPrefix(i, s, op.request()[s]));
                seeds.add(withPrefix(i, s | 2, op.response()[s]));
            }
        }
        return seeds;
    }

    private static byte[] withPrefix(int op, int bits, byte[] stub) {
        byte[] b = new byte[8 + stub.length];
        b[0] = (byte) op;
        b[1] = (byte) bits;
        System.arraycopy(stub, 0, b, 8, stub.length);
        return b;
    }

    private void setUp(Class<?> outer, ValueGen gen) throws ReflectiveOperationException {
        Class<?> clientType = nested(outer, "Client");
        Class<?> serverType = nested(outer, "Server");
        SyntaxId id = (SyntaxId) outer.getField("INTERFACE_ID").get(null);
        Object server = Proxy.newProxyInstance(StubTarget.class.getClassLoader(), new Class<?>[] {serverType},
                (proxy, m, a) -> switch (m.getName()) {
                    case "rundown" -> null;
                    case "toString" -> "fuzz " + outer.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    default -> {
                        impl.args = Arrays.copyOfRange(a, 1, a.length);
                        if (impl.stopAfterDecode) throw new Decoded();
                        yield impl.result;
                    }
                });
        RpcService service = (RpcService) outer.getMethod("service", serverType).invoke(null, server);
        FakeBinding[] b = {new FakeBinding(id, TransferSyntax.NDR20), new FakeBinding(id, TransferSyntax.NDR64)};
        bindings.add(b);
        Object[] clients = {outer.getMethod("client", BindingHandle.class).invoke(null, b[0]),
                outer.getMethod("client", BindingHandle.class).invoke(null, b[1])};
        Method[] methods = clientType.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) continue;
            Op op = sample(outer.getSimpleName(), m, service, clients, b, gen);
            if (op == null) unseeded.add(outer.getSimpleName() + "." + m.getName());
            else ops.add(op);
        }
    }

    private static Class<?> nested(Class<?> outer, String name) {
        for (Class<?> c : outer.getDeclaredClasses()) if (c.getSimpleName().equals(name)) return c;
        throw new IllegalStateException(outer + " has no " + name);
    }

    /** Random arguments and result until both syntaxes encode and decode them; null after many tries. */
    private Op sample(String iface, Method m, RpcService service, Object[] clients, FakeBinding[] b, ValueGen gen) {
        for (int attempt = 0; attempt < 4000; attempt++) {
            List<Integer> pool = new ArrayList<>();
            Object[] args = gen.values(m.getGenericParameterTypes(), pool);
            Object result = m.getReturnType() == void.class ? null : gen.value(m.getGenericReturnType(), pool, 0);
            byte[][] request = new byte[2][];
            byte[][] response = new byte[2][];
            int opnum = -1;
            try {
                for (int s = 0; s < 2; s++) {
                    Captured c = captureRequest(clients[s], m, args, b[s]);
                    opnum = c.opnum;
                    request[s] = c.stub;
                    response[s] = encodeResponse(service, opnum, b[s].syntax, request[s], result);
                    // The client must take the response back.
                    answer(clients[s], m, args, b[s], response[s], 0, false);
                }
            } catch (Exception | Error e) {
                continue;
            }
            return new Op(iface, m.getName(), opnum, clients, m, service, args, result, request, response);
        }
        return null;
    }

    private Captured captureRequest(Object client, Method m, Object[] args, FakeBinding b) throws Exception {
        b.capture = true;
        try {
            invoke(m, client, args);
        } catch (Captured c) {
            return c;
        } finally {
            b.capture = false;
        }
        throw new IllegalStateException(m + " did not call");
    }

    private static Object answer(Object client, Method m, Object[] args, FakeBinding b, byte[] stub, int offset, boolean be)
            throws Exception {
        b.response = stub;
        b.offset = offset;
        b.bigEndian = be;
        return invoke(m, client, args);
    }

    /** The skeleton's response stub for {@code result}, with {@code request} as the call's [in] stub. */
    private byte[] encodeResponse(RpcService service, int opnum, TransferSyntax syntax, byte[] request, Object result)
            throws Exception {
        impl.result = result;
        impl.stopAfterDecode = false;
        NdrWriter out = new NdrWriter(syntax);
        service.invoke(opnum, serverCall(service, opnum, new NdrReader(syntax, request), out));
        return out.toByteArray();
    }

    /** Decodes a request stub through the skeleton; returns the arguments the implementation saw. */
    private Object[] decodeRequest(RpcService service, int opnum, TransferSyntax syntax, byte[] stub, int offset, boolean be)
            throws Exception {
        impl.args = null;
        impl.stopAfterDecode = true;
        NdrReader in = new NdrReader(syntax, stub, offset, stub.length - offset, be, NdrLimits.DEFAULT);
        try {
            service.invoke(opnum, serverCall(service, opnum, in, new NdrWriter(syntax)));
        } catch (Decoded d) {
            return impl.args;
        } finally {
            impl.stopAfterDecode = false;
        }
        return impl.args != null ? impl.args : new Object[0]; // an operation without an implementation call
    }

    static ServerCall serverCall(RpcService service, int opnum, NdrReader in, NdrWriter out) throws Exception {
        Class<?>[] types = SERVER_CALL.getParameterTypes();
        Object[] a = new Object[types.length];
        int ints = 0;
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == RpcService.class) a[i] = service;
            else if (t == NdrReader.class) a[i] = in;
            else if (t == NdrWriter.class) a[i] = out;
            else if (t == int.class) a[i] = ints++ == 0 ? opnum : 1;
            else if (t == boolean.class) a[i] = false;
            else if (t == long.class) a[i] = 0L;
        }
        try {
            return (ServerCall) SERVER_CALL.newInstance(a);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    static Object invoke(Method m, Object target, Object[] args) throws Exception {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    private static Exception unwrap(InvocationTargetException e) {
        Throwable c = e.getCause();
        if (c instanceof Error err) throw err;
        return (Exception) c;
    }

    @Override
    public String execute(byte[] input) throws Exception {
        if (input.length < 8 || ops.isEmpty()) return "short";
        Op op = ops.get((input[0] & 0xFF) % ops.size());
        int s = input[1] & 1;
        boolean response = (input[1] & 2) != 0;
        boolean be = (input[1] & 4) != 0;
        TransferSyntax syntax = s == 0 ? TransferSyntax.NDR20 : TransferSyntax.NDR64;
        FakeBinding binding = bindings.get(indexOf(op))[s];
        if (!response) {
            Object[] args = decodeRequest(op.service(), op.opnum(), syntax, input, 8, be);
            byte[] once = reencodeRequest(op, s, binding, args, "accepted request");
            Object[] again;
            try {
                again = decodeRequest(op.service(), op.opnum(), syntax, once, 0, false);
            } catch (Exception e) {
                throw new PropertyViolation(op.iface() + "." + op.name() + " " + syntax + ": re-encoded request does not decode", e);
            }
            byte[] twice = reencodeRequest(op, s, binding, again, "re-decoded request");
            if (!Arrays.equals(once, twice)) {
                throw new PropertyViolation(op.iface() + "." + op.name() + " " + syntax + ": request decode → encode not stable");
            }
            return op.name() + " req " + syntax + (be ? " be" : "") + shape(args);
        }
        Object result = answer(op.client()[s], op.clientMethod(), op.args(), binding, input, 8, be);
        byte[] once = reencodeResponse(op, syntax, s, result, "accepted response");
        Object again;
        try {
            again = answer(op.client()[s], op.clientMethod(), op.args(), binding, once, 0, false);
        } catch (Exception e) {
            throw new PropertyViolation(op.iface() + "." + op.name() + " " + syntax + ": re-encoded response does not decode", e);
        }
        byte[] twice = reencodeResponse(op, syntax, s, again, "re-decoded response");
        if (!Arrays.equals(once, twice)) {
            throw new PropertyViolation(op.iface() + "." + op.name() + " " + syntax + ": response decode → encode not stable");
        }
        return op.name() + " resp " + syntax + (be ? " be" : "") + shape(new Object[] {result});
    }

    private int indexOf(Op op) {
        int i = 0;
        for (Class<?> c : INTERFACES) {
            if (c.getSimpleName().equals(op.iface())) return i;
            i++;
        }
        throw new IllegalStateException(op.iface());
    }

    private byte[] reencodeRequest(Op op, int s, FakeBinding binding, Object[] args, String what) {
        try {
            return captureRequest(op.client()[s], op.clientMethod(), args, binding).stub;
        } catch (Exception e) {
            throw new PropertyViolation(op.iface() + "." + op.name() + ": " + what + " does not encode again: "
                    + Arrays.deepToString(args), e);
        }
    }

    private byte[] reencodeResponse(Op op, TransferSyntax syntax, int s, Object result, String what) {
        try {
            return encodeResponse(op.service(), op.opnum(), syntax, op.request()[s], result);
        } catch (Exception e) {
            throw new PropertyViolation(op.iface() + "." + op.name() + ": " + what + " does not encode again: " + result, e);
        }
    }

    /** A coarse description of decoded values: null or not, sizes in powers of two. */
    private static String shape(Object[] values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) {
            b.append(' ');
            if (v == null) b.append('-');
            else if (v instanceof byte[] a) b.append("b").append(Integer.highestOneBit(a.length));
            else if (v instanceof String str) b.append("s").append(Integer.highestOneBit(str.length()));
            else if (v instanceof List<?> l) b.append("l").append(Integer.highestOneBit(l.size()));
            else if (v instanceof Record rec) {
                var rc = rec.getClass().getRecordComponents();
                b.append(rec.getClass().getSimpleName()).append('(');
                for (var c : rc) {
                    try {
                        Object x = c.getAccessor().invoke(rec);
                        b.append(x == null ? "-" : x instanceof List<?> l ? "l" + Integer.highestOneBit(l.size())
                                : x instanceof Record ? x.getClass().getSimpleName() : "+");
                    } catch (ReflectiveOperationException e) {
                        b.append('?');
                    }
                }
                b.append(')');
            } else b.append('+');
        }
        return b.toString();
    }

    @Override
    public boolean allowed(Throwable t) {
        return t instanceof NdrException;
    }

    @Override
    public long allocationBound(byte[] input) {
        // Decode, encode, decode, encode: four times what one decode may allocate (64 bytes per input byte).
        return 4 * (64L * input.length + 48 * 1024);
    }
}
