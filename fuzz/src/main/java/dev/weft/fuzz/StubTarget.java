package dev.weft.fuzz;

import dev.weft.client.BindingHandle;
import dev.weft.client.StreamingCall;
import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.ndr.NdrException;
import dev.weft.ndr.NdrLimits;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.NdrWriter;
import dev.weft.ndr.PipeSink;
import dev.weft.ndr.PipeSource;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.ndr.Uuid;
import dev.weft.server.RpcService;
import dev.weft.server.ServerCall;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * (c) Every generated decoder of the shipped interfaces: the request stub of every operation as the server skeleton
 * decodes it ({@code Xxx.service(impl).invoke(opnum, call)}) and the response stub as the generated client decodes it
 * ({@code Xxx.client(binding).op(...)} over a binding that hands back the fuzzed bytes), in NDR20 and NDR64, little-
 * and big-endian (NDR20 only; NDR64 is little-endian).
 *
 * <p>The interfaces are found, not listed: every class of module {@code dev.weft.interfaces} with an
 * {@code INTERFACE_ID}, a nested {@code Client} and {@code Server} and the static {@code client(binding)} and
 * {@code service(impl)} the generator writes; every method of its {@code Client} is an operation. So an operation or
 * an interface added to the IDL is fuzzed without an edit here.
 *
 * <p>Input: an 8-byte prefix, then the stub. Bytes 0 and 2: the operation's index (low, high byte); byte 1: bit 0
 * NDR64, bit 1 response, bit 2 big-endian; bytes 4-7: the hash of the operation's name ({@code "Witness.witnessrAsyncNotify"}
 * .hashCode(), little-endian), which selects the operation when it names one, so that a kept input still means the
 * same operation after operations were added. Seeds are real encodings: random arguments and results (see
 * {@link ValueGen}) encoded by the generated client stub and server skeleton. Operations with pipes go through a
 * {@link StreamingCall} on the client side and a {@code PipeSink}/{@code PipeSource} on the skeleton's; their chunks
 * are part of the round trip. {@code ServerCall}'s constructor is package-private, so it is called reflectively:
 * this module runs on the class path for that reason.
 *
 * <p>Typed error: {@link NdrException}. Round trip: an accepted request's arguments are encoded again by the
 * client stub and decoded again by the skeleton, an accepted response's result encoded by the skeleton and decoded
 * by the client; the two encodings must be the same bytes.
 */
final class StubTarget implements Target {

    /**
     * One operation of one interface. {@code outChunks} holds, per parameter, the chunks the skeleton pushes into an
     * {@code [out]} pipe when it encodes the seed's response (null for other parameters).
     */
    record Op(String iface, String name, int opnum, Object[] client, Method clientMethod, RpcService service,
              FakeBinding[] bindings, Object[] args, Object result, List<List<Object>> outChunks, byte[][] request,
              byte[][] response) {
        int hash() {
            return (iface + "." + name).hashCode();
        }
    }

    /** The skeleton's implementation: records the decoded arguments, then stops the call or returns a result. */
    static final class Impl {
        Object[] args;
        Object result;
        List<List<Object>> outChunks;
        boolean stopAfterDecode;
    }

    /**
     * A pipe's chunks in a list: the client's {@code [out]} pipe sink, the client's {@code [in]} pipe source, and
     * what the skeleton's {@code [in]} pipe held once drained.
     */
    static final class PipeValue implements PipeSink<Object>, PipeSource<Object> {
        final List<Object> chunks;
        private int next;

        PipeValue(List<Object> chunks) {
            this.chunks = chunks;
        }

        @Override
        public void push(Object chunk) {
            if (chunks.size() > 1 << 16) throw new IllegalStateException("more than 65536 chunks from one stub");
            chunks.add(chunk);
        }

        @Override
        public Object pull() {
            return next < chunks.size() ? chunks.get(next++) : null;
        }

        PipeValue fresh() {
            return new PipeValue(chunks);
        }

        @Override
        public String toString() {
            return "pipe of " + chunks.size() + " chunks";
        }
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

        /** Operations with pipes: the whole request is captured when the stub asks for the response. */
        @Override
        public StreamingCall open(int opnum, Uuid object) {
            NdrWriter request = newRequest();
            return new StreamingCall() {
                @Override
                public NdrWriter request() {
                    return request;
                }

                @Override
                public NdrReader response() {
                    return call(opnum, object, request);
                }

                @Override
                public void close() {
                }
            };
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

    private static final Constructor<?> SERVER_CALL;

    static {
        Constructor<?>[] all = ServerCall.class.getDeclaredConstructors();
        if (all.length != 1) throw new IllegalStateException("ServerCall has " + all.length + " constructors");
        SERVER_CALL = all[0];
        SERVER_CALL.setAccessible(true);
    }

    private final Impl impl = new Impl();
    private final List<Op> ops = new ArrayList<>();
    private final List<String> unseeded = new ArrayList<>();
    private final List<String> interfaces = new ArrayList<>();

    /** Interfaces to fuzz by simple class name; empty for all. */
    private final Set<String> only;

    StubTarget() {
        this(Set.of());
    }

    /** Only the interfaces named (simple class names, "RpcEcho"): seeds for another target, made quickly. */
    StubTarget(Set<String> only) {
        this.only = only;
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

    /** The interfaces found, by class name. */
    List<String> interfaces() {
        return interfaces;
    }

    /**
     * Every generated interface class of module {@code dev.weft.interfaces}, sorted by name: read from the module's
     * descriptor and its class files, wherever the module is (a directory in the reactor, a jar elsewhere).
     */
    static List<Class<?>> discover() {
        Path location;
        try {
            location = Path.of(RpcEcho.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        ModuleReference module = ModuleFinder.of(location).findAll().stream()
                .filter(m -> m.descriptor().name().equals("dev.weft.interfaces")).findFirst()
                .orElseThrow(() -> new IllegalStateException("module dev.weft.interfaces not found at " + location));
        List<Class<?>> found = new ArrayList<>();
        try (ModuleReader reader = module.open()) {
            List<String> names = reader.list().filter(n -> n.endsWith(".class") && !n.contains("$")
                    && !n.endsWith("module-info.class")).sorted().toList();
            for (String n : names) {
                Class<?> c = Class.forName(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
                if (isGeneratedInterface(c)) found.add(c);
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("reading module dev.weft.interfaces at " + location, e);
        }
        found.sort(Comparator.comparing(Class::getSimpleName));
        return found;
    }

    private static boolean isGeneratedInterface(Class<?> c) {
        try {
            return Modifier.isStatic(c.getField("INTERFACE_ID").getModifiers())
                    && c.getField("INTERFACE_ID").getType() == SyntaxId.class
                    && nestedOrNull(c, "Client") != null && nestedOrNull(c, "Server") != null
                    && c.getMethod("client", BindingHandle.class) != null
                    && c.getMethod("service", nestedOrNull(c, "Server")) != null;
        } catch (NoSuchFieldException | NoSuchMethodException e) {
            return false;
        }
    }

    @Override
    public List<byte[]> seeds(Random random) {
        ValueGen gen = new ValueGen(random);
        List<Candidate> candidates = new ArrayList<>();
        try {
            for (Class<?> outer : discover()) {
                if (!only.isEmpty() && !only.contains(outer.getSimpleName())) continue;
                interfaces.add(outer.getSimpleName());
                setUp(outer, candidates);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        // Two passes: what the generator learned from every operation's refusals helps the hard ones the second time.
        Op[] sampled = new Op[candidates.size()];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < sampled.length; i++) {
                if (sampled[i] == null) sampled[i] = sample(candidates.get(i), gen, pass == 0 ? 4_000 : 20_000, pass == 1);
            }
        }
        for (int i = 0; i < sampled.length; i++) {
            Candidate c = candidates.get(i);
            if (sampled[i] == null) unseeded.add(c.iface() + "." + c.method().getName());
            else ops.add(sampled[i]);
        }
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            for (int s = 0; s < 2; s++) {
                seeds.add(withPrefix(i, op.hash(), s, op.request()[s]));
                seeds.add(withPrefix(i, op.hash(), s | 2, op.response()[s]));
            }
        }
        return seeds;
    }

    private static byte[] withPrefix(int op, int hash, int bits, byte[] stub) {
        byte[] b = new byte[8 + stub.length];
        b[0] = (byte) op;
        b[1] = (byte) bits;
        b[2] = (byte) (op >>> 8);
        Mutator.set(b, 4, 4, hash, false);
        System.arraycopy(stub, 0, b, 8, stub.length);
        return b;
    }

    /** The operation an input selects: by its name's hash when it names one, else by index. */
    private Op select(byte[] input) {
        int hash = (input[4] & 0xFF) | (input[5] & 0xFF) << 8 | (input[6] & 0xFF) << 16 | (input[7] & 0xFF) << 24;
        int index = ((input[0] & 0xFF) | (input[2] & 0xFF) << 8) % ops.size();
        Op byIndex = ops.get(index);
        if (byIndex.hash() == hash || hash == 0) return byIndex;
        for (Op op : ops) if (op.hash() == hash) return op;
        return byIndex;
    }

    /** An operation before its seed is made. */
    private record Candidate(String iface, Method method, RpcService service, Object[] clients, FakeBinding[] bindings) {
    }

    private void setUp(Class<?> outer, List<Candidate> candidates) throws ReflectiveOperationException {
        Class<?> clientType = nested(outer, "Client");
        Class<?> serverType = nested(outer, "Server");
        SyntaxId id = (SyntaxId) outer.getField("INTERFACE_ID").get(null);
        Object server = Proxy.newProxyInstance(StubTarget.class.getClassLoader(), new Class<?>[] {serverType},
                (proxy, m, a) -> switch (m.getName()) {
                    case "rundown" -> null;
                    case "toString" -> "fuzz " + outer.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    default -> implement(Arrays.copyOfRange(a, 1, a.length));
                });
        RpcService service = (RpcService) outer.getMethod("service", serverType).invoke(null, server);
        FakeBinding[] b = {new FakeBinding(id, TransferSyntax.NDR20), new FakeBinding(id, TransferSyntax.NDR64)};
        Object[] clients = {outer.getMethod("client", BindingHandle.class).invoke(null, b[0]),
                outer.getMethod("client", BindingHandle.class).invoke(null, b[1])};
        Method[] methods = clientType.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (!m.isDefault() && !Modifier.isStatic(m.getModifiers())) {
                candidates.add(new Candidate(outer.getSimpleName(), m, service, clients, b));
            }
        }
    }

    /**
     * The skeleton's implementation of every operation: keeps the decoded arguments (an {@code [in]} pipe drained
     * into a {@link PipeValue}), then either stops the call or pushes the chunks of its {@code [out]} pipes and
     * returns the result.
     */
    private Object implement(Object[] args) throws IOException {
        List<List<Object>> out = impl.stopAfterDecode ? null : impl.outChunks;
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof PipeSource<?> source && !(args[i] instanceof PipeValue)) {
                List<Object> chunks = new ArrayList<>();
                for (Object c; (c = source.pull()) != null; ) {
                    if (chunks.size() > 1 << 16) throw new IllegalStateException("more than 65536 chunks from one stub");
                    chunks.add(c);
                }
                args[i] = new PipeValue(chunks);
            } else if (args[i] instanceof PipeSink<?> sink) {
                @SuppressWarnings("unchecked") PipeSink<Object> s = (PipeSink<Object>) sink;
                if (out != null && out.get(i) != null) for (Object c : out.get(i)) s.push(c);
                args[i] = new PipeValue(new ArrayList<>());
            }
        }
        impl.args = args;
        if (impl.stopAfterDecode) throw new Decoded();
        return impl.result;
    }

    private static Class<?> nested(Class<?> outer, String name) {
        Class<?> c = nestedOrNull(outer, name);
        if (c == null) throw new IllegalStateException(outer + " has no " + name);
        return c;
    }

    private static Class<?> nestedOrNull(Class<?> outer, String name) {
        for (Class<?> c : outer.getDeclaredClasses()) if (c.getSimpleName().equals(name)) return c;
        return null;
    }

    /** Random arguments and result until both syntaxes encode and decode them; null after {@code attempts} tries. */
    private Op sample(Candidate candidate, ValueGen gen, int attempts, boolean report) {
        String iface = candidate.iface();
        Method m = candidate.method();
        RpcService service = candidate.service();
        Object[] clients = candidate.clients();
        FakeBinding[] b = candidate.bindings();
        Type[] types = m.getGenericParameterTypes();
        Throwable last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            List<Integer> pool = new ArrayList<>();
            Object[] args = gen.values(types, pool);
            List<List<Object>> outChunks = new ArrayList<>();
            for (int i = 0; i < types.length; i++) {
                Class<?> raw = ValueGen.raw(types[i]);
                boolean pipe = raw == PipeSink.class || raw == PipeSource.class;
                List<Object> chunks = pipe ? gen.chunks(((ParameterizedType) types[i]).getActualTypeArguments()[0]) : null;
                if (raw == PipeSource.class) args[i] = new PipeValue(chunks);
                if (raw == PipeSink.class) args[i] = new PipeValue(new ArrayList<>());
                outChunks.add(raw == PipeSink.class ? chunks : null);
            }
            Object result = m.getReturnType() == void.class ? null : gen.value(m.getGenericReturnType(), pool, 0);
            byte[][] request = new byte[2][];
            byte[][] response = new byte[2][];
            int opnum = -1;
            try {
                for (int s = 0; s < 2; s++) {
                    Captured c = captureRequest(clients[s], m, fresh(args), b[s]);
                    opnum = c.opnum;
                    request[s] = c.stub;
                    response[s] = encodeResponse(service, opnum, b[s].syntax, request[s], result, outChunks);
                    // The client must take the response back.
                    answer(clients[s], m, fresh(args), b[s], response[s], 0, false);
                }
            } catch (Exception | Error e) {
                last = e;
                gen.learn(e);
                continue;
            }
            return new Op(iface, m.getName(), opnum, clients, m, service, b, args, result, outChunks, request, response);
        }
        if (report && Boolean.getBoolean("weft.fuzz.debug") && last != null) {
            System.err.println("[stubs] no seed for " + iface + "." + m.getName() + ": " + last + (last.getStackTrace().length > 0 ? " at " + last.getStackTrace()[0] : ""));
        }
        return null;
    }

    /** The arguments with every pipe at its start again (a source from its first chunk, a sink empty). */
    private static Object[] fresh(Object[] args) {
        Object[] a = args.clone();
        for (int i = 0; i < a.length; i++) {
            if (a[i] instanceof PipeValue p) a[i] = p.fresh();
        }
        return a;
    }

    /** The arguments with every pipe sink empty, for a call whose [out] pipes are to be recorded. */
    private static Object[] emptySinks(Method m, Object[] args) {
        Object[] a = fresh(args);
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < a.length; i++) if (types[i] == PipeSink.class) a[i] = new PipeValue(new ArrayList<>());
        return a;
    }

    /** The chunks a call's [out] pipes received, per parameter (null for other parameters). */
    private static List<List<Object>> sunk(Method m, Object[] args) {
        List<List<Object>> out = new ArrayList<>();
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < args.length; i++) out.add(types[i] == PipeSink.class ? ((PipeValue) args[i]).chunks : null);
        return out;
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
    private byte[] encodeResponse(RpcService service, int opnum, TransferSyntax syntax, byte[] request, Object result,
                                  List<List<Object>> outChunks) throws Exception {
        impl.result = result;
        impl.outChunks = outChunks;
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
        Op op = select(input);
        int s = input[1] & 1;
        boolean response = (input[1] & 2) != 0;
        boolean be = (input[1] & 4) != 0;
        TransferSyntax syntax = s == 0 ? TransferSyntax.NDR20 : TransferSyntax.NDR64;
        FakeBinding binding = op.bindings()[s];
        String what = op.iface() + "." + op.name() + " " + syntax;
        if (!response) {
            Object[] args = decodeRequest(op.service(), op.opnum(), syntax, input, 8, be);
            byte[] once = reencodeRequest(op, s, binding, args, "accepted request");
            Object[] again;
            try {
                again = decodeRequest(op.service(), op.opnum(), syntax, once, 0, false);
            } catch (Exception e) {
                throw new PropertyViolation(what + ": re-encoded request does not decode", e);
            }
            byte[] twice = reencodeRequest(op, s, binding, again, "re-decoded request");
            if (!Arrays.equals(once, twice)) throw new PropertyViolation(what + ": request decode → encode not stable");
            return op.name() + " req " + syntax + (be ? " be" : "") + shape(args);
        }
        Object[] args = emptySinks(op.clientMethod(), op.args());
        Object result = answer(op.client()[s], op.clientMethod(), args, binding, input, 8, be);
        byte[] once = reencodeResponse(op, syntax, s, result, sunk(op.clientMethod(), args), "accepted response");
        Object again;
        Object[] args2 = emptySinks(op.clientMethod(), op.args());
        try {
            again = answer(op.client()[s], op.clientMethod(), args2, binding, once, 0, false);
        } catch (Exception e) {
            throw new PropertyViolation(what + ": re-encoded response does not decode", e);
        }
        byte[] twice = reencodeResponse(op, syntax, s, again, sunk(op.clientMethod(), args2), "re-decoded response");
        if (!Arrays.equals(once, twice)) throw new PropertyViolation(what + ": response decode → encode not stable");
        return op.name() + " resp " + syntax + (be ? " be" : "") + shape(new Object[] {result}) + shape(args);
    }

    private byte[] reencodeRequest(Op op, int s, FakeBinding binding, Object[] args, String what) {
        try {
            return captureRequest(op.client()[s], op.clientMethod(), fresh(args), binding).stub;
        } catch (Exception e) {
            throw new PropertyViolation(op.iface() + "." + op.name() + ": " + what + " does not encode again: "
                    + Arrays.deepToString(args), e);
        }
    }

    private byte[] reencodeResponse(Op op, TransferSyntax syntax, int s, Object result, List<List<Object>> chunks,
                                    String what) {
        try {
            return encodeResponse(op.service(), op.opnum(), syntax, op.request()[s], result, chunks);
        } catch (Exception e) {
            throw new PropertyViolation(op.iface() + "." + op.name() + ": " + what + " does not encode again: " + result, e);
        }
    }

    /** A coarse description of decoded values: null or not, sizes in powers of two, pipes by their chunk count. */
    private static String shape(Object[] values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) {
            b.append(' ');
            if (v == null) b.append('-');
            else if (v instanceof byte[] a) b.append("b").append(Integer.highestOneBit(a.length));
            else if (v instanceof String str) b.append("s").append(Integer.highestOneBit(str.length()));
            else if (v instanceof List<?> l) b.append("l").append(Integer.highestOneBit(l.size()));
            else if (v instanceof PipeValue p) b.append("p").append(Integer.highestOneBit(p.chunks.size()));
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
