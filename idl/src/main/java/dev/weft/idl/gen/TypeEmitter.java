package dev.weft.idl.gen;

import dev.weft.idl.model.ArrayType;
import dev.weft.idl.model.ContextHandleType;
import dev.weft.idl.model.EnumType;
import dev.weft.idl.model.Field;
import dev.weft.idl.model.Location;
import dev.weft.idl.model.PrimitiveType;
import dev.weft.idl.model.StructType;
import dev.weft.idl.model.Syntax;
import dev.weft.idl.model.Type;
import dev.weft.idl.model.TypeLayout;
import dev.weft.idl.model.UnionType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Emits the Java form of named IDL types: records, sealed interfaces, enums and context-handle records. */
final class TypeEmitter {
    private static final String[] RESERVED = {"w", "r", "p", "arm", "discriminant", "value"};

    private final JavaTypes types;
    private final Codec codec;
    /** Partial classes for the two-pass decoding of types with deferred pointers; emitted at the end. */
    private final Code partials = new Code();

    TypeEmitter(JavaTypes types, Codec codec) {
        this.types = types;
        this.codec = codec;
    }

    Code partials() {
        return partials;
    }

    void emit(Code c, JavaTypes.Named n) {
        c.blank();
        switch (n.type()) {
            case StructType s -> struct(c, n.javaName(), s);
            case UnionType u -> union(c, n.javaName(), u);
            case EnumType e -> enumeration(c, n.javaName(), e);
            case ContextHandleType h -> handle(c, n.javaName(), h);
            default -> throw new IllegalStateException(n.toString());
        }
    }

    /** Java names for members, unique and clear of the names generated code uses for itself. */
    static Map<Field, String> memberNames(List<Field> fields) {
        Set<String> taken = new HashSet<>(List.of(RESERVED));
        Map<Field, String> names = new LinkedHashMap<>();
        for (Field f : fields) {
            String base = Names.member(f.name());
            String name = base;
            for (int i = 2; !taken.add(name); i++) {
                name = base + (taken.contains(base + "Value") ? i : "Value");
            }
            names.put(f, name);
        }
        return names;
    }

    // ------------------------------------------------------------------------------------------------ structs

    private void struct(Code c, String name, StructType s) {
        Map<Field, String> names = memberNames(s.members());
        List<String> components = new ArrayList<>();
        c.line("/**");
        c.line(" * {@code " + Names.doc(s.name()) + "}" + (s.tag().isEmpty() || s.tag().equals(s.name()) ? ""
                : " ({@code struct " + Names.doc(s.tag()) + "})") + ".");
        if (!s.members().isEmpty()) {
            c.line(" *");
        }
        for (Field f : s.members()) {
            c.line(" * @param " + names.get(f) + " {@code " + Names.doc(f.type().displayName() + " " + f.name())
                    + "}");
            components.add(types.java(f.type()) + " " + names.get(f));
        }
        c.line(" */");
        c.open("public record " + name + "(" + String.join(", ", components) + ")");
        boolean deferred = Codec.deferred(s);
        boolean recursive = types.recursive(s);
        TypeLayout l = s.layout();
        Location where = s.members().isEmpty() ? Location.BUILTIN : s.members().get(0).location();

        Scope enc = new Scope(where, "w");
        names.forEach((f, java) -> {
            enc.bind(f.name(), java, f.type());
            enc.reserve(java);
        });
        if (deferred) {
            c.line("/** Encodes this value: its inline part, then the referents of its pointers. */");
            c.open("public void encode(NdrWriter w)");
            c.line("encodeInline(w);");
            c.line("encodeDeferred(w);");
            c.close();
            c.blank();
            c.open("private void encodeInline(NdrWriter w)");
        } else {
            c.line("/** Encodes this value. */");
            c.open("public void encode(NdrWriter w)");
        }
        if (recursive) {
            c.line("w.enter();");
        }
        if (l.conformant()) {
            Field last = s.members().get(s.members().size() - 1);
            if (!(last.type().resolved() instanceof ArrayType a)) {
                throw new GeneratorException(last.location(), "a conformant structure inside a conformant structure"
                        + " is not supported");
            }
            // C706 14.3.7.1: the max_count of the trailing conformant array leads the structure
            c.line("w.writeConformance(" + codec.hoistedConformance(a, names.get(last), enc) + ");");
        }
        Codec.alignLine(c, "w", l);
        for (int i = 0; i < s.members().size(); i++) {
            Field f = s.members().get(i);
            codec.writeInline(c, f.type(), names.get(f), enc, l.conformant() && i == s.members().size() - 1);
        }
        endStruct(c, "w", l);
        if (recursive) {
            c.line("w.leave();");
        }
        c.close();
        if (deferred) {
            c.blank();
            c.open("private void encodeDeferred(NdrWriter w)");
            for (Field f : s.members()) {
                if (Codec.deferred(f.type())) {
                    codec.writeDeferred(c, f.type(), names.get(f), enc);
                }
            }
            c.close();
        }

        c.blank();
        c.line("/** Decodes a value" + (deferred ? ", inline part and referents." : ".") + " */");
        c.open("public static " + name + " decode(NdrReader r)");
        if (deferred) {
            c.line("return " + name + "Partial.read(r).finish(r);");
        } else {
            Scope dec = new Scope(where, "r");
            names.values().forEach(dec::reserve);
            readMembers(c, s, names, dec, "", recursive);
            c.line("return new " + name + "(" + String.join(", ", names.values()) + ");");
        }
        c.close();
        c.close();
        if (deferred) {
            structPartial(name, s, names, recursive);
        }
    }

    private static void endStruct(Code c, String io, TypeLayout l) {
        if (l.ndr64Alignment() > 1) {
            c.line(io + ".endStruct(" + l.ndr64Alignment() + ");");
        }
    }

    /**
     * The inline pass over a structure's members. With {@code target} "" the members become locals; with "p." they
     * are stored in a partial.
     */
    private void readMembers(Code c, StructType s, Map<Field, String> names, Scope dec, String target,
                             boolean recursive) {
        TypeLayout l = s.layout();
        if (recursive) {
            c.line("r.enter();");
        }
        String conformance = null;
        if (l.conformant()) {
            conformance = dec.local("conformance");
            c.line("int " + conformance + " = r.readConformance();");
        }
        Codec.alignLine(c, "r", l);
        for (int i = 0; i < s.members().size(); i++) {
            Field f = s.members().get(i);
            String java = names.get(f);
            boolean last = i == s.members().size() - 1;
            String into = target.isEmpty() ? java : null;
            String type = target.isEmpty() ? types.java(f.type()) : codec.partialType(f.type());
            String v = codec.readInline(c, f.type(), dec, into, last ? conformance : null);
            if (v == null) {
                continue; // an embedded [ref] pointer: nothing to keep until the deferred pass
            }
            if (target.isEmpty()) {
                if (!v.equals(java)) {
                    c.line(type + " " + java + " = " + v + ";");
                }
            } else {
                c.line(target + java + " = " + v + ";");
            }
            if (!Codec.deferred(f.type())) {
                dec.bind(f.name(), target + java, f.type());
                codec.checkRange(c, f.range(), target + java, f.type());
            }
        }
        endStruct(c, "r", l);
        if (recursive) {
            c.line("r.leave();");
        }
    }

    private void structPartial(String name, StructType s, Map<Field, String> names, boolean recursive) {
        Code c = partials;
        c.blank();
        c.line("/** {@code " + Names.doc(s.name()) + "} between the inline and the deferred pass of decoding. */");
        c.open("private static final class " + name + "Partial");
        for (Field f : s.members()) {
            String t = codec.partialType(f.type());
            if (t != null) {
                c.line(t + " " + names.get(f) + ";");
            }
        }
        c.blank();
        c.open("static " + name + "Partial read(NdrReader r)");
        c.line(name + "Partial p = new " + name + "Partial();");
        Scope dec = new Scope(s.members().isEmpty() ? Location.BUILTIN : s.members().get(0).location(), "r", "p");
        readMembers(c, s, names, dec, "p.", recursive);
        c.line("return p;");
        c.close();
        c.blank();
        c.open(name + " finish(NdrReader r)");
        Scope fin = new Scope(dec.location(), "r");
        names.values().forEach(fin::reserve);
        // The inline members the referents' size_is/length_is name are fields by now: bind them, so the deferred
        // pass checks a received count against them as the encoder does (a fuzz finding, kept in fuzz/).
        for (Field f : s.members()) {
            if (!Codec.deferred(f.type()) && codec.partialType(f.type()) != null) {
                fin.bind(f.name(), "this." + names.get(f), f.type());
            }
        }
        List<String> args = new ArrayList<>();
        for (Field f : s.members()) {
            String java = names.get(f);
            if (!Codec.deferred(f.type())) {
                args.add(java);
                continue;
            }
            String v = codec.readDeferred(c, f.type(), "this." + java, fin, java);
            if (!v.equals(java)) {
                c.line(types.java(f.type()) + " " + java + " = " + v + ";");
            }
            args.add(java);
        }
        c.line("return new " + name + "(" + String.join(", ", args) + ");");
        c.close();
        c.close();
    }

    // ------------------------------------------------------------------------------------------------ unions

    /** One arm as Java sees it. */
    private record Arm(UnionType.UnionArm arm, String record, String component, boolean carriesDiscriminant) {
        Type type() {
            return arm.field().orElseThrow().type();
        }

        boolean empty() {
            return arm.field().isEmpty();
        }
    }

    private List<Arm> arms(String unionName, UnionType u) {
        Set<String> taken = new HashSet<>(List.of(unionName, "Partial"));
        // Inside the sealed interface an arm record shadows the top-level type of the same simple name, so an arm
        // may not take the name of a type the arms hold (MS-LSAD's PolicyAuditLogInfo arm holds a
        // POLICY_AUDIT_LOG_INFO): such an arm is suffixed "Arm".
        Set<String> armTypes = new HashSet<>();
        u.arms().forEach(a -> a.field().ifPresent(f -> armTypes.add(types.java(f.type()))));
        List<Arm> arms = new ArrayList<>();
        for (UnionType.UnionArm a : u.arms()) {
            String base = a.field().map(f -> Names.type(f.name()))
                    .orElse(a.isDefault() ? "Default" : "Case" + Long.toString(a.cases().get(0)).replace('-', 'M'));
            if (armTypes.contains(base)) {
                base = base + "Arm";
            }
            String record = base;
            for (int i = 2; !taken.add(record); i++) {
                record = base + (a.cases().isEmpty() ? i : a.cases().get(0));
            }
            String component = a.field().map(f -> {
                String m = Names.member(f.name());
                return m.equals("discriminant") ? "value" : m;
            }).orElse(null);
            arms.add(new Arm(a, record, component, a.isDefault() || a.cases().size() != 1));
        }
        return arms;
    }

    private static String caseLabel(UnionType.UnionArm a) {
        List<String> labels = new ArrayList<>();
        for (long v : a.cases()) {
            labels.add(Integer.toString((int) v));
        }
        return String.join(", ", labels);
    }

    private Type switchType(UnionType u) {
        return u.switchType().orElse(PrimitiveType.LONG);
    }

    private String readDiscriminant(UnionType u) {
        return switch (switchType(u).resolved()) {
            case EnumType e -> e.v1Enum() ? "r.readV1Enum()" : "r.readEnum()";
            case PrimitiveType p -> switch (p) {
                case BOOLEAN -> "r.readBoolean() ? 1 : 0";
                case BYTE, CHAR, UCHAR, USMALL -> "r.readInt8() & 0xFF";
                case SMALL -> "r.readInt8()";
                case USHORT, WCHAR -> "r.readInt16() & 0xFFFF";
                case SHORT -> "r.readInt16()";
                case HYPER, UHYPER, INT3264, UINT3264 -> "(int) r.readInt64()";
                default -> "r.readInt32()";
            };
            default -> throw new GeneratorException(Location.BUILTIN, "union " + u.name()
                    + ": unsupported discriminant type " + switchType(u).displayName());
        };
    }

    private String writeDiscriminant(UnionType u, String v) {
        return switch (switchType(u).resolved()) {
            case EnumType e -> (e.v1Enum() ? "w.writeV1Enum(" : "w.writeEnum(") + v + ");";
            case PrimitiveType p -> switch (p) {
                case BOOLEAN -> "w.writeBoolean(" + v + " != 0);";
                case BYTE, CHAR, UCHAR, USMALL, SMALL -> "w.writeInt8(" + v + ");";
                case USHORT, WCHAR, SHORT -> "w.writeInt16(" + v + ");";
                case HYPER, UHYPER -> "w.writeInt64(" + v + ");";
                case INT3264, UINT3264 -> "w.writeInt3264(" + v + ");";
                default -> "w.writeInt32(" + v + ");";
            };
            default -> throw new GeneratorException(Location.BUILTIN, "union " + u.name()
                    + ": unsupported discriminant type");
        };
    }

    /** Before the discriminant: NDR64 aligns a union to its largest member; an encapsulated union is a struct. */
    private static void beginUnion(Code c, String io, UnionType u) {
        TypeLayout l = u.layout();
        if (u.encapsulated()) {
            Codec.alignLine(c, io, l);
        } else if (l.ndr64Alignment() > 1) {
            c.line(io + ".beginUnion(" + l.ndr64Alignment() + ");");
        }
    }

    private static void alignArm(Code c, String io, UnionType u, Arm arm) {
        int own = arm.empty() ? 1 : arm.type().layout().alignment(Syntax.NDR20);
        int largest20 = u.armAlignment(Syntax.NDR20);
        int largest64 = u.armAlignment(Syntax.NDR64);
        if (largest20 == 1 && largest64 == 1) {
            return;
        }
        c.line(io + ".alignUnionArm(" + own + ", " + Codec.perSyntax(io, largest20, largest64) + ", " + u.msUnion()
                + ");");
    }

    private void union(Code c, String name, UnionType u) {
        List<Arm> arms = arms(name, u);
        boolean deferred = Codec.deferred(u);
        Location where = u.arms().stream().flatMap(a -> a.field().stream()).map(Field::location).findFirst()
                .orElse(Location.BUILTIN);
        c.line("/**");
        c.line(" * {@code " + Names.doc(u.name()) + "}: " + (u.encapsulated() ? "an encapsulated union" : "a union")
                + " whose arm is chosen by a discriminant of type {@code "
                + Names.doc(switchType(u).displayName()) + "}.");
        c.line(" */");
        c.open("public sealed interface " + name);
        c.line("/** The discriminant value that selects this arm. */");
        c.line("int discriminant();");
        for (Arm a : arms) {
            c.blank();
            String cases = a.arm().isDefault() ? "[default]" : "[case(" + caseLabel(a.arm()) + ")]";
            c.line("/** {@code " + cases + (a.empty() ? " (empty)" : " " + Names.doc(a.type().displayName() + " "
                    + a.arm().field().get().name())) + "}. */");
            List<String> comps = new ArrayList<>();
            if (a.carriesDiscriminant()) {
                comps.add("int discriminant");
            }
            if (!a.empty()) {
                comps.add(types.java(a.type()) + " " + a.component());
            }
            String head = "record " + a.record() + "(" + String.join(", ", comps) + ") implements " + name;
            if (a.carriesDiscriminant()) {
                c.line(head + " {");
                c.line("}");
            } else {
                c.open(head);
                c.line("@Override");
                c.open("public int discriminant()");
                c.line("return " + caseLabel(a.arm()) + ";");
                c.close();
                c.close();
            }
        }

        c.blank();
        Scope enc = new Scope(where, "w", "arm");
        if (deferred) {
            c.line("/** Encodes this value: discriminant and arm, then the referents of the arm's pointers. */");
            c.open("default void encode(NdrWriter w)");
            c.line("encodeInline(w);");
            c.line("encodeDeferred(w);");
            c.close();
            c.blank();
            c.open("private void encodeInline(NdrWriter w)");
        } else {
            c.line("/** Encodes this value: the discriminant, then the arm. */");
            c.open("default void encode(NdrWriter w)");
        }
        beginUnion(c, "w", u);
        c.line(writeDiscriminant(u, "discriminant()"));
        c.open("switch (this)");
        for (Arm a : arms) {
            c.open("case " + a.record() + " arm ->");
            alignArm(c, "w", u, a);
            if (!a.empty()) {
                codec.writeInline(c, a.type(), "arm." + a.component() + "()", enc, false);
            }
            c.close();
        }
        c.close();
        if (u.encapsulated()) {
            endStruct(c, "w", u.layout());
        }
        c.close();
        if (deferred) {
            c.blank();
            c.open("private void encodeDeferred(NdrWriter w)");
            c.open("switch (this)");
            for (Arm a : arms) {
                if (!a.empty() && Codec.deferred(a.type())) {
                    c.open("case " + a.record() + " arm ->");
                    codec.writeDeferred(c, a.type(), "arm." + a.component() + "()", enc);
                    c.close();
                } else {
                    c.line("case " + a.record() + " arm -> {");
                    c.line("}");
                }
            }
            c.close();
            c.close();
        }

        c.blank();
        c.line("/** Decodes a value" + (deferred ? ", arm and referents." : ": the discriminant, then its arm.")
                + " */");
        c.open("static " + name + " decode(NdrReader r)");
        if (deferred) {
            c.line("return " + name + "Partial.read(r).finish(r);");
        } else {
            beginUnion(c, "r", u);
            c.line("int discriminant = " + readDiscriminant(u) + ";");
            c.open(name + " value = switch (discriminant)");
            boolean hasDefault = false;
            for (Arm a : arms) {
                hasDefault |= a.arm().isDefault();
                c.open((a.arm().isDefault() ? "default" : "case " + caseLabel(a.arm())) + " ->");
                alignArm(c, "r", u, a);
                Scope dec = new Scope(where, "r", "discriminant", "value");
                List<String> args = new ArrayList<>();
                if (a.carriesDiscriminant()) {
                    args.add("discriminant");
                }
                if (!a.empty()) {
                    args.add(codec.readComplete(c, a.type(), dec, null));
                }
                c.line("yield new " + a.record() + "(" + String.join(", ", args) + ");");
                c.close();
            }
            if (!hasDefault) {
                c.line("default -> throw r.badUnionTag(discriminant);");
            }
            c.close("};");
            if (u.encapsulated()) {
                endStruct(c, "r", u.layout());
            }
            c.line("return value;");
        }
        c.close();
        c.close();
        if (deferred) {
            unionPartial(name, u, arms, where);
        }
    }

    private void unionPartial(String name, UnionType u, List<Arm> arms, Location where) {
        Code c = partials;
        c.blank();
        c.line("/** {@code " + Names.doc(u.name()) + "} between the inline and the deferred pass of decoding. */");
        c.open("private static final class " + name + "Partial");
        c.line("int discriminant;");
        Map<Arm, String> fields = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>(List.of("discriminant", "r", "p"));
        for (Arm a : arms) {
            if (!a.empty() && codec.partialType(a.type()) != null) {
                String f = a.component();
                for (int i = 2; !taken.add(f); i++) {
                    f = a.component() + i;
                }
                fields.put(a, f);
                c.line(codec.partialType(a.type()) + " " + f + ";");
            }
        }
        c.blank();
        c.open("static " + name + "Partial read(NdrReader r)");
        c.line(name + "Partial p = new " + name + "Partial();");
        beginUnion(c, "r", u);
        c.line("p.discriminant = " + readDiscriminant(u) + ";");
        c.open("switch (p.discriminant)");
        boolean hasDefault = false;
        for (Arm a : arms) {
            hasDefault |= a.arm().isDefault();
            c.open((a.arm().isDefault() ? "default" : "case " + caseLabel(a.arm())) + " ->");
            alignArm(c, "r", u, a);
            if (!a.empty()) {
                Scope dec = new Scope(where, "r", "p");
                String v = codec.readInline(c, a.type(), dec, null, null);
                if (v != null) {
                    c.line("p." + fields.get(a) + " = " + v + ";");
                }
            }
            c.close();
        }
        if (!hasDefault) {
            c.line("default -> throw r.badUnionTag(p.discriminant);");
        }
        c.close();
        if (u.encapsulated()) {
            endStruct(c, "r", u.layout());
        }
        c.line("return p;");
        c.close();
        c.blank();
        c.open(name + " finish(NdrReader r)");
        c.open("return switch (discriminant)");
        for (Arm a : arms) {
            c.open((a.arm().isDefault() ? "default" : "case " + caseLabel(a.arm())) + " ->");
            List<String> args = new ArrayList<>();
            if (a.carriesDiscriminant()) {
                args.add("discriminant");
            }
            if (!a.empty()) {
                String f = "this." + fields.get(a);
                args.add(Codec.deferred(a.type())
                        ? codec.readDeferred(c, a.type(), fields.get(a) == null ? null : f,
                        new Scope(where, "r"), null)
                        : f);
            }
            c.line("yield new " + name + "." + a.record() + "(" + String.join(", ", args) + ");");
            c.close();
        }
        if (!hasDefault) {
            c.line("default -> throw new IllegalStateException(\"no arm for \" + discriminant);");
        }
        c.close("};");
        c.close();
        c.close();
    }

    // ------------------------------------------------------------------------------------------------ enums

    /**
     * An IDL enum is open: MIDL checks only the NDR20 range, and peers do send values the IDL does not name
     * (smbtorture's rpc.echo sends 76 as an {@code echo_Enum1}). So it becomes a record of its wire value with a
     * constant per enumerator rather than a Java {@code enum}, and a value nobody named survives a round trip.
     */
    private void enumeration(Code c, String name, EnumType e) {
        c.line("/**");
        c.line(" * {@code " + Names.doc(e.name()) + "}: " + (e.v1Enum()
                ? "a {@code [v1_enum]}, 32 bits on the wire." : "16 bits in NDR, 32 in NDR64."));
        c.line(" * Values the IDL does not name are kept as they are.");
        c.line(" *");
        c.line(" * @param value the value on the wire");
        c.line(" */");
        c.open("public record " + name + "(int value)");
        Set<Long> seen = new HashSet<>();
        List<EnumType.EnumValue> named = new ArrayList<>();
        for (EnumType.EnumValue v : e.values()) {
            c.line("/** {@code " + Names.doc(v.name()) + " = " + v.value() + "}. */");
            c.line("public static final " + name + " " + v.name() + " = new " + name + "(" + (int) v.value() + ");");
            if (seen.add(v.value())) {
                named.add(v);
            }
        }
        c.blank();
        c.line("/** The value with this wire value: one of the constants when the IDL names it. */");
        c.open("public static " + name + " of(int value)");
        c.open("return switch (value)");
        for (EnumType.EnumValue v : named) {
            c.line("case " + (int) v.value() + " -> " + v.name() + ";");
        }
        c.line("default -> new " + name + "(value);");
        c.close("};");
        c.close();
        c.blank();
        c.line("/** The IDL name of the value, or the number for a value the IDL does not name. */");
        c.line("@Override");
        c.open("public String toString()");
        c.open("return switch (value)");
        for (EnumType.EnumValue v : named) {
            c.line("case " + (int) v.value() + " -> \"" + v.name() + "\";");
        }
        c.line("default -> \"" + e.name() + "(\" + value + \")\";");
        c.close("};");
        c.close();
        c.close();
    }

    // ------------------------------------------------------------------------------------------------ handles

    private void handle(Code c, String name, ContextHandleType h) {
        c.line("/**");
        c.line(" * {@code " + Names.doc(h.displayName()) + "}: a context handle. The server opens it with");
        c.line(" * {@code ServerCall.openContextHandle} and keeps its state there; the client holds it as is.");
        c.line(" *");
        c.line(" * @param handle the handle on the wire");
        c.line(" */");
        c.open("public record " + name + "(ContextHandle handle)");
        c.line("/** The NULL handle, which a closing operation returns. */");
        c.line("public static final " + name + " NULL = new " + name + "(ContextHandle.NULL);");
        c.blank();
        c.open("public " + name);
        c.line("Objects.requireNonNull(handle, \"handle\");");
        c.close();
        c.blank();
        c.line("/** Whether this is the NULL handle. */");
        c.open("public boolean isNull()");
        c.line("return handle.isNull();");
        c.close();
        c.close();
    }
}
