package dev.weft.idl.gen;

import dev.weft.idl.model.ArrayKind;
import dev.weft.idl.model.ArrayType;
import dev.weft.idl.model.ContextHandleType;
import dev.weft.idl.model.EnumType;
import dev.weft.idl.model.Field;
import dev.weft.idl.model.HandleType;
import dev.weft.idl.model.Location;
import dev.weft.idl.model.PipeType;
import dev.weft.idl.model.PointerKind;
import dev.weft.idl.model.PointerType;
import dev.weft.idl.model.PrimitiveType;
import dev.weft.idl.model.StructType;
import dev.weft.idl.model.Type;
import dev.weft.idl.model.TypeReference;
import dev.weft.idl.model.UnionType;
import dev.weft.idl.model.VoidType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How IDL types look in Java, and which named types (structs, unions, enums, context handles) an interface
 * needs generated, with their Java names.
 *
 * <p>Integers keep their width and lose their sign ({@code unsigned long} is an {@code int}, as in gRPC-java);
 * {@code GUID} is {@link dev.weft.ndr.Uuid}; a {@code [unique]} or {@code [ptr]} pointer is a nullable value of
 * its referent's type, except that a pointer whose target can itself be null ({@code T **}) is a
 * {@code Pointer} around it, so that "absent" and "present, pointing at nothing" differ; byte, short, long and hyper
 * arrays are Java arrays, {@code wchar_t} arrays and {@code [string]}s are {@link String}s, other arrays are
 * {@link List}s.
 */
final class JavaTypes {
    /** A named type to generate, in the order first met. */
    record Named(String javaName, Type type) {
    }

    private final Map<String, Named> byIdlName = new LinkedHashMap<>();
    private final Set<String> javaNames = new HashSet<>();
    private final Map<String, Boolean> recursive = new HashMap<>();

    JavaTypes(Set<String> reservedNames) {
        javaNames.addAll(reservedNames);
    }

    /** Every named type registered so far. */
    List<Named> named() {
        return List.copyOf(byIdlName.values());
    }

    /** Registers {@code t} and every named type it reaches. */
    void register(Type t) {
        switch (t) {
            case TypeReference ref -> register(ref.resolved());
            case StructType s -> {
                if (isGuid(s) || !add(s.name(), s)) {
                    return;
                }
                s.members().forEach(m -> register(m.type()));
            }
            case UnionType u -> {
                if (!add(u.name(), u)) {
                    return;
                }
                u.switchType().ifPresent(this::register);
                u.arms().forEach(a -> a.field().ifPresent(f -> register(f.type())));
            }
            case EnumType e -> add(e.name(), e);
            case ContextHandleType h -> add(h.name().isEmpty() ? "Handle" : h.name(), h);
            case PointerType p -> register(p.target());
            case ArrayType a -> register(a.element());
            case PipeType p -> register(p.element());
            case PrimitiveType p -> {
            }
            case HandleType h -> {
            }
            case VoidType v -> {
            }
        }
    }

    private boolean add(String idlName, Type t) {
        if (byIdlName.containsKey(idlName)) {
            return false;
        }
        String base = Names.type(idlName.startsWith("_anonymous") ? "Anonymous" + idlName.substring(10) : idlName);
        String name = base;
        for (int i = 2; !javaNames.add(name); i++) {
            name = base + i;
        }
        byIdlName.put(idlName, new Named(name, t));
        return true;
    }

    static boolean isGuid(Type t) {
        return t.resolved() instanceof StructType s && (s.name().equals("GUID") || s.name().equals("_GUID"));
    }

    /** The Java name of a named struct, union, enum or context handle. */
    String name(Type t) {
        Type r = t.resolved();
        String idl = switch (r) {
            case StructType s -> s.name();
            case UnionType u -> u.name();
            case EnumType e -> e.name();
            case ContextHandleType h -> h.name().isEmpty() ? "Handle" : h.name();
            default -> throw new IllegalArgumentException("not a named type: " + t.displayName());
        };
        Named n = byIdlName.get(idl);
        if (n == null) {
            throw new IllegalStateException("type " + idl + " was not registered");
        }
        return n.javaName();
    }

    /** A byte-sized integer, carried as a Java {@code byte}. */
    static boolean isByte(PrimitiveType p) {
        return p == PrimitiveType.BYTE || p == PrimitiveType.CHAR || p == PrimitiveType.UCHAR
                || p == PrimitiveType.SMALL || p == PrimitiveType.USMALL;
    }

    static String primitive(PrimitiveType p) {
        return switch (p) {
            case BOOLEAN -> "boolean";
            case BYTE, CHAR, UCHAR, SMALL, USMALL -> "byte";
            case SHORT, USHORT -> "short";
            case WCHAR -> "char";
            case LONG, ULONG, ERROR_STATUS_T -> "int";
            case HYPER, UHYPER, INT3264, UINT3264 -> "long";
            case FLOAT -> "float";
            case DOUBLE -> "double";
        };
    }

    static String boxed(String javaType) {
        return switch (javaType) {
            case "boolean" -> "Boolean";
            case "byte" -> "Byte";
            case "short" -> "Short";
            case "char" -> "Character";
            case "int" -> "Integer";
            case "long" -> "Long";
            case "float" -> "Float";
            case "double" -> "Double";
            default -> javaType;
        };
    }

    static boolean isJavaPrimitive(String javaType) {
        return !boxed(javaType).equals(javaType);
    }

    /** The Java type of a value of {@code t}. */
    String java(Type t) {
        Type r = t.resolved();
        return switch (r) {
            case PrimitiveType p -> primitive(p);
            case StructType s -> isGuid(s) ? "Uuid" : name(s);
            case UnionType u -> name(u);
            case EnumType e -> name(e);
            case ContextHandleType h -> name(h);
            case PointerType p -> p.kind() == PointerKind.REF ? java(p.target())
                    : wrapsTarget(p) ? "Pointer<" + boxed(java(p.target())) + ">" : boxed(java(p.target()));
            case ArrayType a -> array(a);
            case PipeType p -> "List<" + array(new ArrayType(p.element(),
                    List.of(new dev.weft.idl.model.ArrayDimension(java.util.OptionalLong.empty(),
                            java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                            java.util.Optional.empty(), java.util.Optional.empty())),
                    java.util.Optional.empty())) + ">";
            case HandleType h -> throw new IllegalArgumentException("handle_t has no Java value");
            case VoidType v -> "void";
            case TypeReference ref -> throw new IllegalStateException("unresolved " + ref);
        };
    }

    /**
     * Whether a {@code [unique]} or {@code [ptr]} pointer's Java value is a {@code Pointer} around its target's: when
     * the target can itself be null ({@code T **}), a plain nullable value could not tell "absent" from "present,
     * pointing at nothing", which are different on the wire (two referent ids against one, LsarGetUserName's
     * DomainName).
     */
    static boolean wrapsTarget(PointerType p) {
        return p.kind() != PointerKind.REF && canBeNull(p.target());
    }

    /** Whether a value of {@code t} can be a null pointer: a non-ref pointer, or a ref pointer to one. */
    private static boolean canBeNull(Type t) {
        return t.resolved() instanceof PointerType q && (q.kind() != PointerKind.REF || canBeNull(q.target()));
    }

    /** The Java expression for the target of pointer {@code p} held in {@code java} (its value, or its wrapper's). */
    static String target(PointerType p, String java) {
        return wrapsTarget(p) ? java + ".target()" : java;
    }

    /** How the elements of an array are held. */
    enum ArrayShape { BYTES, SHORTS, INTS, LONGS, CHARS, ANSI_STRING, WIDE_STRING, LIST }

    static ArrayShape shape(ArrayType a) {
        Type e = a.element().resolved();
        if (a.string().isPresent()) {
            return a.string().get().characterWidth() == 2 ? ArrayShape.WIDE_STRING : ArrayShape.ANSI_STRING;
        }
        if (e instanceof PrimitiveType p) {
            if (isByte(p)) {
                return ArrayShape.BYTES;
            }
            return switch (p) {
                case SHORT, USHORT -> ArrayShape.SHORTS;
                case WCHAR -> ArrayShape.CHARS;
                case LONG, ULONG, ERROR_STATUS_T -> ArrayShape.INTS;
                case HYPER, UHYPER -> ArrayShape.LONGS;
                default -> ArrayShape.LIST;
            };
        }
        return ArrayShape.LIST;
    }

    String array(ArrayType a) {
        return switch (shape(a)) {
            case BYTES -> "byte[]";
            case SHORTS -> "short[]";
            case INTS -> "int[]";
            case LONGS -> "long[]";
            case CHARS, ANSI_STRING, WIDE_STRING -> "String";
            case LIST -> "List<" + boxed(java(a.element())) + ">";
        };
    }

    /** Only one-dimensional arrays, and fixed ones of any rank, are supported (multi-dimensional counts are rare). */
    static void checkSupported(ArrayType a, Location where) {
        if (a.dimensions().size() > 1 && a.kind() != ArrayKind.FIXED) {
            throw new GeneratorException(where, "multi-dimensional conformant or varying arrays are not supported: "
                    + a.displayName());
        }
    }

    /** A Java expression of type {@code long} for the value of a scalar held in {@code java}. */
    static String widen(String java, Type t) {
        Type r = t.resolved();
        if (r instanceof PointerType p) {
            return widen(target(p, java), p.target());
        }
        if (r instanceof EnumType) {
            return "(long) " + java + ".value()";
        }
        if (!(r instanceof PrimitiveType p)) {
            return java;
        }
        return switch (p) {
            case BYTE, CHAR, UCHAR, USMALL -> "Byte.toUnsignedLong(" + java + ")";
            case USHORT -> "Short.toUnsignedLong(" + java + ")";
            case WCHAR -> "(long) " + java;
            case ULONG, ERROR_STATUS_T -> "Integer.toUnsignedLong(" + java + ")";
            case BOOLEAN -> "(" + java + " ? 1L : 0L)";
            default -> "(long) " + java;
        };
    }

    /** Whether {@code t} can reach itself through its members (a linked list, a tree). */
    boolean recursive(Type t) {
        Type r = t.resolved();
        String key = r instanceof StructType s ? s.name() : r instanceof UnionType u ? u.name() : null;
        if (key == null) {
            return false;
        }
        return recursive.computeIfAbsent(key, k -> reaches(r, k, new HashSet<>()));
    }

    private static boolean reaches(Type t, String target, Set<String> seen) {
        List<Type> next = new ArrayList<>();
        switch (t.resolved()) {
            case StructType s -> s.members().stream().map(Field::type).forEach(next::add);
            case UnionType u -> u.arms().forEach(a -> a.field().ifPresent(f -> next.add(f.type())));
            default -> {
                return false;
            }
        }
        for (Type n : next) {
            Type x = n.resolved();
            while (x instanceof PointerType || x instanceof ArrayType) {
                x = x instanceof PointerType p ? p.target().resolved() : ((ArrayType) x).element().resolved();
            }
            String name = x instanceof StructType s ? s.name() : x instanceof UnionType u ? u.name() : null;
            if (name == null) {
                continue;
            }
            if (name.equals(target)) {
                return true;
            }
            if (seen.add(name) && reaches(x, target, seen)) {
                return true;
            }
        }
        return false;
    }
}
