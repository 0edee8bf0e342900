package dev.weft.idl.gen;

import dev.weft.idl.model.Expression;
import dev.weft.idl.model.Location;
import dev.weft.idl.model.Type;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a codec is being written: which IDL names (sibling members, parameters) are visible as Java expressions,
 * so that {@code size_is} and friends can be evaluated, and which local names are taken.
 */
final class Scope {
    /** A visible IDL name: the Java expression holding its value, and its IDL type (for unsigned widening). */
    record Binding(String java, Type type) {
    }

    private final Map<String, Binding> names = new HashMap<>();
    private final Set<String> locals = new HashSet<>();
    private final Location location;
    private int loops;

    Scope(Location location, String... reserved) {
        this.location = location;
        locals.addAll(Set.of(reserved));
    }

    Location location() {
        return location;
    }

    /** Makes IDL name {@code idl} visible as {@code java}. */
    Scope bind(String idl, String java, Type type) {
        names.put(idl, new Binding(java, type));
        return this;
    }

    boolean isBound(String idl) {
        return names.containsKey(idl);
    }

    /** Claims a local variable name, adding a number when it is taken. */
    String local(String want) {
        String name = want;
        for (int i = 2; !locals.add(name); i++) {
            name = want + i;
        }
        return name;
    }

    /** Reserves a name without renaming (a parameter or component that must keep its name). */
    void reserve(String name) {
        locals.add(name);
    }

    /** A loop index: i, j, k, then i4, i5... */
    String loopIndex() {
        String[] simple = {"i", "j", "k"};
        return local(loops < 3 ? simple[loops++] : "i" + loops++);
    }

    /**
     * The expression as Java {@code long} arithmetic, or {@code null} when it names something not visible here
     * (for example a member declared after the array it sizes).
     */
    String eval(Expression e) {
        return switch (e) {
            case Expression.IntegerLiteral l -> l.value() + "L";
            case Expression.ConstantRef c -> c.value() + "L";
            case Expression.StringLiteral s -> throw new GeneratorException(location, "a string in a size expression");
            case Expression.Identifier id -> {
                Binding b = names.get(id.name());
                yield b == null ? null : JavaTypes.widen(b.java(), b.type());
            }
            case Expression.Deref d -> eval(d.operand()); // pointers to scalars are their values in Java
            case Expression.Member m -> throw new GeneratorException(location,
                    "member access in a size or switch expression is not supported: " + m.render());
            case Expression.Unary u -> {
                String v = eval(u.operand());
                yield v == null ? null : switch (u.operator()) {
                    case "!" -> "(" + v + " == 0 ? 1L : 0L)";
                    default -> "(" + u.operator() + v + ")";
                };
            }
            case Expression.Binary b -> {
                String l = eval(b.left());
                String r = eval(b.right());
                if (l == null || r == null) {
                    yield null;
                }
                yield switch (b.operator()) {
                    case "<", ">", "<=", ">=", "==", "!=" -> "(" + l + " " + b.operator() + " " + r + " ? 1L : 0L)";
                    case "&&", "||" -> "(" + l + " != 0 " + b.operator() + " " + r + " != 0 ? 1L : 0L)";
                    default -> "(" + l + " " + b.operator() + " " + r + ")";
                };
            }
            case Expression.Conditional c -> {
                String k = eval(c.condition());
                String t = eval(c.then());
                String o = eval(c.otherwise());
                yield k == null || t == null || o == null ? null : "(" + k + " != 0 ? " + t + " : " + o + ")";
            }
            case Expression.Cast c -> eval(c.operand());
        };
    }
}
