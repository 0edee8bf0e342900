package dev.weft.idl.gen;

import dev.weft.idl.model.Direction;
import dev.weft.idl.model.Interface;
import dev.weft.idl.model.Operation;
import dev.weft.idl.model.Parameter;
import dev.weft.idl.model.PipeType;
import dev.weft.idl.model.PointerType;
import dev.weft.idl.model.Type;
import dev.weft.idl.model.VoidType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Emits the operations: opnum constants, result records, the blocking client ({@code Client} and its stub over a
 * {@code BindingHandle}) and the server skeleton ({@code Server} and the {@code RpcService} that dispatches to it).
 */
final class StubEmitter {
    private static final Set<String> OBJECT_METHODS = Set.of("wait", "notify", "notifyAll", "getClass", "hashCode",
            "equals", "toString", "clone", "finalize");
    private static final String[] RESERVED = {"w", "r", "call", "binding", "impl", "result"};

    private final JavaTypes types;
    private final Codec codec;
    private final Interface iface;
    private final List<Op> ops = new ArrayList<>();

    /** A parameter as Java sees it; {@code value} is its type with a top-level [ref] pointer taken off. */
    record Param(Parameter idl, String java, Type value, PipeType pipe) {
        boolean in() {
            return idl.direction().isIn();
        }

        boolean out() {
            return idl.direction().isOut();
        }

        /** Whether the Java method takes it: [in] parameters and every pipe (an [out] pipe is the caller's sink). */
        boolean argument() {
            return in() || pipe != null;
        }
    }

    /** One output of an operation: an [out] parameter or the return value. */
    record Output(String java, String type, Param param, Type value, String doc) {
    }

    record Op(Operation idl, String method, String constant, List<Param> params, List<Output> outputs,
              String resultRecord) {
        String returnType() {
            return outputs.isEmpty() ? "void" : outputs.size() == 1 ? outputs.get(0).type() : resultRecord;
        }

        /** Operations with pipes stream their stubs. */
        boolean streams() {
            return params.stream().anyMatch(p -> p.pipe() != null);
        }
    }

    StubEmitter(JavaTypes types, Codec codec, Interface iface, Set<String> takenTypeNames) {
        this.types = types;
        this.codec = codec;
        this.iface = iface;
        String prefix = Names.commonPrefix(iface.operations().stream().map(Operation::name).toList());
        Set<String> methods = new HashSet<>();
        for (Operation o : iface.operations()) {
            String base = Names.member(o.name().substring(prefix.length()));
            if (OBJECT_METHODS.contains(base)) {
                base = base + "_";
            }
            String method = base;
            for (int i = 2; !methods.add(method); i++) {
                method = base + i;
            }
            Set<String> taken = new HashSet<>(List.of(RESERVED));
            List<Param> params = new ArrayList<>();
            for (Parameter p : o.parameters()) {
                if (p.bindingHandle()) {
                    continue;
                }
                String name = Names.member(p.name());
                if (name.equals("result") && p.direction() == Direction.OUT) {
                    name = "resultOut"; // the return value is "result" (MS-SAMR 3.1.5.13.8's [out] BOOL *Result)
                }
                String java = name;
                for (int i = 2; !taken.add(java); i++) {
                    java = name + i;
                }
                Type value = p.topLevelRef() ? ((PointerType) p.type().resolved()).target() : p.type();
                PipeType pipe = p.pipe() ? (PipeType) (value.resolved() instanceof PointerType q
                        ? q.target().resolved() : value.resolved()) : null;
                params.add(new Param(p, java, value, pipe));
            }
            List<Output> outputs = new ArrayList<>();
            for (Param p : params) {
                if (p.out() && p.pipe() == null) {
                    String name = p.idl().direction() == Direction.IN_OUT ? p.java() + "Out" : p.java();
                    outputs.add(new Output(name, javaType(p), p, p.value(), "{@code " + Names.doc("["
                            + p.idl().direction().name().toLowerCase(java.util.Locale.ROOT).replace('_', ',') + "] "
                            + p.idl().type().displayName() + " " + p.idl().name()) + "}"));
                }
            }
            if (!(o.returnType().resolved() instanceof VoidType)) {
                outputs.add(new Output("result", types.java(o.returnType()), null, o.returnType(),
                        "the return value, {@code " + Names.doc(o.returnType().displayName()) + "}"));
            }
            String result = Names.type(method) + "Result";
            for (int i = 2; takenTypeNames.contains(result); i++) {
                result = Names.type(method) + "Result" + i;
            }
            if (outputs.size() > 1) {
                takenTypeNames.add(result);
            }
            ops.add(new Op(o, method, "OPNUM_" + Names.constant(o.name().substring(prefix.length())), params,
                    outputs, result));
        }
    }

    private String javaType(Param p) {
        if (p.pipe() == null) {
            return types.java(p.value());
        }
        String chunk = JavaTypes.boxed(codec.chunkType(p.pipe()));
        return switch (p.idl().direction()) {
            case IN -> "PipeSource<";
            case OUT -> "PipeSink<";
            case IN_OUT -> "InOutPipe<";
        } + chunk + ">";
    }

    List<Op> ops() {
        return ops;
    }

    void constants(Code c) {
        for (Op op : ops) {
            c.line("/** Opnum of {@code " + Names.doc(op.idl().name()) + "}. */");
            c.line("public static final int " + op.constant() + " = " + op.idl().opnum() + ";");
        }
    }

    void results(Code c) {
        for (Op op : ops) {
            if (op.outputs().size() < 2) {
                continue;
            }
            c.blank();
            c.line("/**");
            c.line(" * What {@code " + Names.doc(op.idl().name()) + "} returns.");
            c.line(" *");
            List<String> comps = new ArrayList<>();
            for (Output o : op.outputs()) {
                c.line(" * @param " + o.java() + " " + o.doc());
                comps.add(o.type() + " " + o.java());
            }
            c.line(" */");
            c.line("public record " + op.resultRecord() + "(" + String.join(", ", comps) + ") {");
            c.line("}");
        }
    }

    private List<String> inArgs(Op op, boolean withTypes) {
        List<String> args = new ArrayList<>();
        for (Param p : op.params()) {
            if (p.argument()) {
                args.add(withTypes ? javaType(p) + " " + p.java() : p.java());
            }
        }
        return args;
    }

    private void methodDoc(Code c, Op op, boolean server) {
        c.line("/**");
        c.line(" * {@code " + Names.doc(op.idl().name()) + "}, opnum " + op.idl().opnum() + ".");
        c.line(" *");
        if (server) {
            c.line(" * @param call the call: its context handles, client, cancellation");
        }
        for (Param p : op.params()) {
            if (p.argument()) {
                c.line(" * @param " + p.java() + " {@code " + Names.doc("[" + p.idl().direction().name()
                        .toLowerCase(java.util.Locale.ROOT).replace('_', ',') + "] " + p.idl().type().displayName()
                        + " " + p.idl().name()) + "}");
            }
        }
        if (op.outputs().size() == 1) {
            c.line(" * @return " + op.outputs().get(0).doc());
        } else if (op.outputs().size() > 1) {
            c.line(" * @return " + op.outputs().stream().map(Output::java).toList());
        }
        c.line(" */");
    }

    // ------------------------------------------------------------------------------------------------ client

    void client(Code c, String className) {
        c.blank();
        c.line("/** The operations of {@code " + Names.doc(iface.name()) + "} as a client calls them; each call blocks"
                + " until its answer. */");
        c.open("public interface Client");
        boolean first = true;
        for (Op op : ops) {
            if (!first) {
                c.blank();
            }
            first = false;
            methodDoc(c, op, false);
            c.line(op.returnType() + " " + op.method() + "(" + String.join(", ", inArgs(op, true)) + ");");
        }
        c.close();
        c.blank();
        c.line("/**");
        c.line(" * A client that calls over {@code binding}, which must be bound to {@link #INTERFACE_ID}.");
        c.line(" *");
        c.line(" * @throws IllegalArgumentException when the binding is for another interface");
        c.line(" */");
        c.open("public static Client client(BindingHandle binding)");
        c.open("if (!binding.interfaceId().uuid().equals(INTERFACE_ID.uuid()))");
        c.line("throw new IllegalArgumentException(\"binding is for \" + binding.interfaceId() + \", not \" + "
                + "INTERFACE_ID);");
        c.close();
        c.line("return new ClientStub(binding);");
        c.close();
        c.blank();
        c.line("/** Encodes the [in] parameters, calls, and decodes the [out] parameters and the return value. */");
        c.open("private record ClientStub(BindingHandle binding) implements Client");
        first = true;
        for (Op op : ops) {
            if (!first) {
                c.blank();
            }
            first = false;
            clientMethod(c, op);
        }
        c.close();
    }

    private void clientMethod(Code c, Op op) {
        c.line("@Override");
        c.open("public " + op.returnType() + " " + op.method() + "(" + String.join(", ", inArgs(op, true)) + ")");
        Scope s = new Scope(op.idl().location(), RESERVED);
        for (Param p : op.params()) {
            s.reserve(p.java());
        }
        op.outputs().forEach(o -> s.reserve(o.java()));
        if (op.streams()) {
            streamingClientMethod(c, op, s);
            return;
        }
        c.line("NdrWriter w = binding.newRequest();");
        writeInputs(c, op, s, false);
        if (op.outputs().isEmpty()) {
            c.line("binding.call(" + op.constant() + ", w);");
            c.close();
            return;
        }
        c.line("NdrReader r = binding.call(" + op.constant() + ", w);");
        readOutputs(c, op, s);
        if (op.outputs().size() == 1) {
            c.line("return " + op.outputs().get(0).java() + ";");
        } else {
            c.line("return new " + op.resultRecord() + "(" + String.join(", ",
                    op.outputs().stream().map(Output::java).toList()) + ");");
        }
        c.close();
    }

    /**
     * An operation with pipes: the request streams out as the caller's [in] pipes are pulled, and the response is
     * decoded as it arrives, each [out] pipe chunk pushed to the caller's sink (RPCE-FACTS §10.9 order).
     */
    private void streamingClientMethod(Code c, Op op, Scope s) {
        c.open("try (StreamingCall call = binding.open(" + op.constant() + "))");
        c.line("NdrWriter w = call.request();");
        writeInputs(c, op, s, true);
        for (Param p : op.params()) {
            if (p.in() && p.pipe() != null) {
                codec.writePipeFrom(c, p.pipe(), p.java(), s);
            }
        }
        c.line("NdrReader r = call.response();");
        for (Param p : op.params()) {
            if (p.out() && p.pipe() != null) {
                codec.readPipeTo(c, p.pipe(), s, p.java());
            }
        }
        readOutputs(c, op, s);
        if (op.outputs().size() == 1) {
            c.line("return " + op.outputs().get(0).java() + ";");
        } else if (op.outputs().size() > 1) {
            c.line("return new " + op.resultRecord() + "(" + String.join(", ",
                    op.outputs().stream().map(Output::java).toList()) + ");");
        }
        c.close();
        c.close();
    }

    /**
     * The [in] parameters other than pipes, in order; an array sized by a later parameter is checked against it
     * once that is known, before anything is sent.
     */
    private void writeInputs(Code c, Op op, Scope s, boolean skipPipes) {
        List<Param> ins = op.params().stream().filter(p -> p.in() && (p.pipe() == null || !skipPipes)).toList();
        List<Param> late = new ArrayList<>();
        for (int i = 0; i < ins.size(); i++) {
            Param p = ins.get(i);
            if (countsNameLater(p.value(), ins.subList(i + 1, ins.size()).stream().map(x -> x.idl().name()).toList())) {
                late.add(p);
            }
            s.bind(p.idl().name(), p.java(), p.value());
            codec.writeComplete(c, p.value(), p.java(), s);
        }
        for (Param p : late) {
            codec.checkCountsLate(c, p.value(), p.java(), s);
        }
    }

    /** Response order: [out] pipes (read by the caller), then the other [out] parameters, then the return value. */
    private void readOutputs(Code c, Op op, Scope s) {
        List<Output> late = new ArrayList<>();
        for (int i = 0; i < op.outputs().size(); i++) {
            Output o = op.outputs().get(i);
            if (o.param() != null && countsNameLater(o.value(), op.outputs().subList(i + 1, op.outputs().size())
                    .stream().filter(x -> x.param() != null).map(x -> x.param().idl().name()).toList())) {
                late.add(o);
            }
            String v = codec.readComplete(c, o.value(), s, o.java());
            if (!v.equals(o.java())) {
                c.line(o.type() + " " + o.java() + " = " + v + ";");
            }
            if (o.param() != null) {
                s.bind(o.param().idl().name(), o.java(), o.value());
                codec.checkRange(c, o.param().idl().range(), o.java(), o.value());
            }
        }
        for (Output o : late) {
            codec.checkCountsLate(c, o.value(), o.java(), s);
        }
    }

    /** Whether an array's counts name a parameter among {@code later}, decoded after it. */
    private static boolean countsNameLater(Type t, List<String> later) {
        Set<String> names = Codec.countNames(t);
        return later.stream().anyMatch(names::contains);
    }

    // ------------------------------------------------------------------------------------------------ server

    void server(Code c) {
        c.blank();
        c.line("/**");
        c.line(" * The operations of {@code " + Names.doc(iface.name()) + "} as a server implements them. Each runs on"
                + " the call's own");
        c.line(" * virtual thread and may block; a cancelled call is interrupted. Throw {@code FaultException} to");
        c.line(" * answer with a particular fault.");
        c.line(" */");
        c.open("public interface Server");
        for (Op op : ops) {
            methodDoc(c, op, true);
            List<String> args = new ArrayList<>(List.of("ServerCall call"));
            args.addAll(inArgs(op, true));
            c.line(op.returnType() + " " + op.method() + "(" + String.join(", ", args) + ") throws Exception;");
            c.blank();
        }
        c.line("/** Runs down a context handle the client left open when its association ended. */");
        c.open("default void rundown(ContextHandle handle, Object state)");
        c.close();
        c.close();
        c.blank();
        c.line("/** The service to register with an {@code RpcServer}, dispatching to {@code impl}. */");
        c.open("public static RpcService service(Server impl)");
        c.line("return new Service(impl);");
        c.close();
        c.blank();
        c.line("/** Decodes the [in] parameters, calls the implementation, and encodes what it returns. */");
        c.open("private record Service(Server impl) implements RpcService");
        c.line("@Override");
        c.open("public SyntaxId interfaceId()");
        c.line("return INTERFACE_ID;");
        c.close();
        c.blank();
        c.line("@Override");
        c.open("public int operationCount()");
        c.line("return " + ops.size() + ";");
        c.close();
        c.blank();
        c.line("@Override");
        c.open("public String annotation()");
        c.line("return \"" + iface.name() + "\";");
        c.close();
        c.blank();
        List<String> streamed = ops.stream().filter(Op::streams).map(Op::constant).toList();
        if (!streamed.isEmpty()) {
            c.line("@Override");
            c.open("public boolean streams(int opnum)");
            c.open("return switch (opnum)");
            c.line("case " + String.join(", ", streamed) + " -> true;");
            c.line("default -> false;");
            c.close("};");
            c.close();
            c.blank();
        }
        c.line("@Override");
        c.open("public void invoke(int opnum, ServerCall call) throws Exception");
        c.open("switch (opnum)");
        for (Op op : ops) {
            c.line("case " + op.constant() + " -> " + op.method() + "(call);");
        }
        c.line("default -> throw new IllegalArgumentException(\"no operation \" + opnum);");
        c.close();
        c.close();
        c.blank();
        c.line("@Override");
        c.open("public void rundown(ContextHandle handle, Object state)");
        c.line("impl.rundown(handle, state);");
        c.close();
        for (Op op : ops) {
            c.blank();
            serverMethod(c, op);
        }
        c.close();
    }

    private void serverMethod(Code c, Op op) {
        c.open("private void " + op.method() + "(ServerCall call) throws Exception");
        Scope s = new Scope(op.idl().location(), RESERVED);
        op.params().forEach(p -> s.reserve(p.java()));
        op.outputs().forEach(o -> s.reserve(o.java()));
        boolean anyIn = op.params().stream().anyMatch(Param::in);
        if (anyIn) {
            c.line("NdrReader r = call.in();");
        }
        List<Param> ins = op.params().stream().filter(p -> p.in() && p.pipe() == null).toList();
        List<Param> late = new ArrayList<>();
        for (int i = 0; i < ins.size(); i++) {
            Param p = ins.get(i);
            if (countsNameLater(p.value(), ins.subList(i + 1, ins.size()).stream().map(x -> x.idl().name()).toList())) {
                late.add(p);
            }
            String v = codec.readComplete(c, p.value(), s, p.java());
            if (!v.equals(p.java())) {
                c.line(javaType(p) + " " + p.java() + " = " + v + ";");
            }
            s.bind(p.idl().name(), p.java(), p.value());
            codec.checkRange(c, p.idl().range(), p.java(), p.value());
        }
        for (Param p : late) {
            codec.checkCountsLate(c, p.value(), p.java(), s);
        }
        // [in] and [in, out] pipes follow the [in] parameters in the request, in declaration order; an [in, out]
        // pipe is a decoder here and an encoder below, joined into one InOutPipe for the implementation.
        Map<Param, String> decoders = new HashMap<>();
        String previous = "null";
        for (Param p : op.params()) {
            if (p.in() && p.pipe() != null) {
                String name = p.out() ? s.local(p.java() + "In") : p.java();
                codec.pipeDecoder(c, p.pipe(), s, name, previous);
                decoders.put(p, name);
                previous = name;
            }
        }
        String request = decoders.isEmpty() ? null : previous;
        boolean outPipes = op.params().stream().anyMatch(p -> p.out() && p.pipe() != null);
        if (outPipes) {
            // [out] and [in, out] pipes come first in the response and stream while the implementation runs; the
            // first push drains what is left of the request's pipes (C706: every input pipe before any output).
            c.line("NdrWriter w = call.out();");
            previous = "null";
            for (Param p : op.params()) {
                if (p.out() && p.pipe() != null) {
                    String name = p.in() ? s.local(p.java() + "Out") : p.java();
                    codec.pipeEncoder(c, p.pipe(), s, name, previous, request);
                    previous = name;
                    if (p.in()) {
                        c.line(javaType(p) + " " + p.java() + " = InOutPipe.of(" + decoders.get(p) + ", " + name
                                + ");");
                    }
                }
            }
        }
        List<String> args = new ArrayList<>(List.of("call"));
        args.addAll(inArgs(op, false));
        String invoke = "impl." + op.method() + "(" + String.join(", ", args) + ");";
        if (op.outputs().isEmpty()) {
            c.line(invoke);
            if (outPipes) {
                c.line(previous + ".end();");
            }
            c.close();
            return;
        }
        List<String> values = new ArrayList<>();
        if (op.outputs().size() == 1) {
            Output o = op.outputs().get(0);
            c.line(o.type() + " " + o.java() + " = " + invoke);
            values.add(o.java());
        } else {
            c.line(op.resultRecord() + " result = " + invoke);
            op.outputs().forEach(o -> values.add("result." + o.java() + "()"));
        }
        for (int i = 0; i < op.outputs().size(); i++) {
            Output o = op.outputs().get(i);
            if (o.param() != null) {
                s.bind(o.param().idl().name(), values.get(i), o.value());
            }
        }
        if (outPipes) {
            c.line(previous + ".end();");
        } else {
            c.line("NdrWriter w = call.out();");
        }
        for (int i = 0; i < op.outputs().size(); i++) {
            Output o = op.outputs().get(i);
            codec.writeComplete(c, o.value(), values.get(i), s);
        }
        c.close();
    }
}
