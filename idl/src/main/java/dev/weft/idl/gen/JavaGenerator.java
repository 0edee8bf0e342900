package dev.weft.idl.gen;

import dev.weft.idl.model.Constant;
import dev.weft.idl.model.Expression;
import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.Interface;
import dev.weft.idl.model.Operation;
import dev.weft.idl.model.Parameter;
import dev.weft.idl.model.PrimitiveType;
import dev.weft.idl.model.TypeDef;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The back half of the Weft IDL compiler: turns each interface of an {@link IdlFile} into one Java source file
 * holding everything a caller and an implementer need, in the shape of gRPC-java's generated services:
 * <ul>
 *   <li>{@code INTERFACE_ID}, an {@code OPNUM_*} constant per operation, and the IDL's constants;</li>
 *   <li>a record per struct, a sealed interface with a record per arm per union, a Java enum per enum, a
 *       record per context handle type, each with NDR20/NDR64 {@code encode}/{@code decode};</li>
 *   <li>{@code Client}, a blocking client interface, and {@code client(BindingHandle)};</li>
 *   <li>{@code Server}, the interface an implementation provides, and {@code service(Server)}, the
 *       {@code RpcService} to register with a server.</li>
 * </ul>
 */
public final class JavaGenerator {
    private static final Map<String, String> IMPORTS = new LinkedHashMap<>();

    static {
        for (String n : List.of("ContextHandle", "InOutPipe", "NdrException", "NdrReader", "NdrWriter", "PipeDecoder",
                "PipeEncoder", "PipeSink", "PipeSource", "Pipes", "Pointer", "SyntaxId", "Uuid")) {
            IMPORTS.put(n, "dev.weft.ndr." + n);
        }
        IMPORTS.put("BindingHandle", "dev.weft.client.BindingHandle");
        IMPORTS.put("StreamingCall", "dev.weft.client.StreamingCall");
        IMPORTS.put("RpcService", "dev.weft.server.RpcService");
        IMPORTS.put("ServerCall", "dev.weft.server.ServerCall");
        for (String n : List.of("ArrayList", "List", "Objects")) {
            IMPORTS.put(n, "java.util." + n);
        }
    }

    /**
     * What to generate.
     *
     * @param packageName the Java package
     * @param className   the class name for a file with a single interface, or null to derive it from the
     *                    interface name ({@code rpcecho} → {@code Rpcecho})
     */
    public record Options(String packageName, String className) {
        public Options {
            Objects.requireNonNull(packageName, "packageName");
        }
    }

    /**
     * A generated source file.
     *
     * @param path    where it goes below the output directory ({@code dev/weft/interfaces/rpcecho/RpcEcho.java})
     * @param content the Java source
     */
    public record GeneratedFile(Path path, String content) {
    }

    private JavaGenerator() {
    }

    /**
     * Generates one source file per interface the file declares (interfaces without a UUID are skipped).
     *
     * @throws GeneratorException for a construct the generator does not support
     */
    public static List<GeneratedFile> generate(IdlFile file, Options options) {
        List<Interface> interfaces = file.interfaces().stream().filter(i -> i.uuid().isPresent()).toList();
        List<GeneratedFile> out = new ArrayList<>();
        for (Interface i : interfaces) {
            String className = options.className() != null && interfaces.size() == 1 ? options.className()
                    : Names.type(i.name());
            String source = generate(file, i, options.packageName(), className);
            out.add(new GeneratedFile(Path.of(options.packageName().replace('.', '/'), className + ".java"), source));
        }
        return out;
    }

    /** The source of one interface's class. */
    public static String generate(IdlFile file, Interface iface, String packageName, String className) {
        Set<String> reserved = new HashSet<>(IMPORTS.keySet());
        reserved.addAll(List.of(className, "Client", "Server", "ClientStub", "Service", "String", "Integer", "Long",
                "Short", "Byte", "Boolean", "Character", "Float", "Double", "Object", "Override", "Exception"));
        JavaTypes types = new JavaTypes(reserved);
        for (TypeDef t : file.types()) {
            types.register(t.type());
        }
        for (TypeDef t : iface.types()) {
            types.register(t.type());
        }
        for (Operation o : iface.operations()) {
            types.register(o.returnType());
            for (Parameter p : o.parameters()) {
                types.register(p.type());
            }
        }
        Codec codec = new Codec(types);
        TypeEmitter typeEmitter = new TypeEmitter(types, codec);
        Set<String> typeNames = new HashSet<>(reserved);
        types.named().forEach(n -> typeNames.add(n.javaName()));
        StubEmitter stubs = new StubEmitter(types, codec, iface, typeNames);

        Code body = new Code();
        body.open("public final class " + className);
        String uuid = iface.uuid().orElseThrow().toString();
        body.line("/** The interface: {@code " + uuid + "} version " + iface.version() + ". */");
        body.line("public static final SyntaxId INTERFACE_ID = new SyntaxId(Uuid.parse(\"" + uuid + "\"), "
                + iface.version().major() + ", " + iface.version().minor() + ");");
        body.blank();
        stubs.constants(body);
        List<Constant> constants = new ArrayList<>(file.constants());
        constants.addAll(iface.constants());
        if (!constants.isEmpty()) {
            body.blank();
            for (Constant k : constants) {
                constant(body, k);
            }
        }
        body.blank();
        body.open("private " + className + "()");
        body.close();
        for (JavaTypes.Named n : types.named()) {
            typeEmitter.emit(body, n);
        }
        stubs.results(body);
        stubs.client(body, className);
        stubs.server(body);
        body.append(typeEmitter.partials());
        helpers(body, codec.helpers());
        body.close();

        String text = body.toString();
        StringBuilder src = new StringBuilder();
        src.append("// Generated by weft-idl from ").append(file.path().getFileName()).append(". Do not edit.\n");
        src.append("package ").append(packageName).append(";\n\n");
        String previousGroup = null;
        for (Map.Entry<String, String> e : IMPORTS.entrySet()) {
            if (Pattern.compile("\\b" + e.getKey() + "\\b").matcher(text).find()) {
                String group = e.getValue().substring(0, e.getValue().indexOf('.'));
                if (previousGroup != null && !group.equals(previousGroup)) {
                    src.append('\n');
                }
                previousGroup = group;
                src.append("import ").append(e.getValue()).append(";\n");
            }
        }
        src.append('\n');
        src.append("/**\n");
        src.append(" * {@code ").append(Names.doc(iface.name())).append("}");
        iface.attributes().stream().filter(a -> a.name().equals("helpstring") && !a.arguments().isEmpty())
                .findFirst().ifPresent(a -> src.append(": ").append(Names.doc(a.arguments().get(0)
                        .replaceAll("^\"|\"$", ""))));
        src.append(", interface {@code ").append(uuid).append("} version ").append(iface.version()).append(".\n");
        src.append(" *\n");
        src.append(" * <p>Its types with their NDR20 and NDR64 codecs, a blocking client ({@link #client}) and a server\n");
        src.append(" * skeleton ({@link #service}).\n");
        src.append(" */\n");
        src.append(text);
        return src.toString();
    }

    private static void constant(Code c, Constant k) {
        String name = Names.constant(k.name());
        c.line("/** {@code " + Names.doc(k.name() + " = " + k.value().render()) + "}. */");
        if (k.value() instanceof Expression.StringLiteral s) {
            c.line("public static final String " + name + " = \"" + s.value().replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\";");
            return;
        }
        long v = k.value().constantValue().orElseThrow();
        boolean wide = k.type().resolved() instanceof PrimitiveType p && JavaTypes.primitive(p).equals("long")
                || v != (int) v && (v >>> 32) != 0;
        c.line(wide ? "public static final long " + name + " = " + v + "L;"
                : "public static final int " + name + " = " + (int) v + ";");
    }

    private static void helpers(Code c, Set<String> used) {
        if (used.contains("checkSize")) {
            c.blank();
            c.line("/** Fails when an array's length disagrees with the count its IDL attributes give. */");
            c.open("private static void checkSize(long length, long expected, String what)");
            c.open("if (length != expected)");
            c.line("throw new NdrException(NdrException.RPC_S_INVALID_BOUND, what + \": \" + length"
                    + " + \" elements where the IDL gives \" + expected);");
            c.close();
            c.close();
        }
        if (used.contains("checkCapacity")) {
            c.blank();
            c.line("/** Fails when a string and its terminator do not fit the size its IDL attributes give. */");
            c.open("private static void checkCapacity(long needed, long capacity, String what)");
            c.open("if (needed > capacity)");
            c.line("throw new NdrException(NdrException.RPC_S_INVALID_BOUND, what + \": \" + needed"
                    + " + \" characters with the terminator, room for \" + capacity);");
            c.close();
            c.close();
        }
        if (used.contains("checkRange")) {
            c.blank();
            c.line("/** A {@code [range(low, high)]} check on a received value, as MIDL stubs make it. */");
            c.open("private static void checkRange(long value, long low, long high, String what)");
            c.open("if (value < low || value > high)");
            c.line("throw new NdrException(NdrException.RPC_S_INVALID_BOUND, what + \" = \" + value"
                    + " + \" outside [\" + low + \", \" + high + \"]\");");
            c.close();
            c.close();
        }
    }
}
