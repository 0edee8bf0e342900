package dev.weft.idl.gen;

import dev.weft.idl.model.ArrayDimension;
import dev.weft.idl.model.ArrayKind;
import dev.weft.idl.model.ArrayType;
import dev.weft.idl.model.ContextHandleType;
import dev.weft.idl.model.EnumType;
import dev.weft.idl.model.Expression;
import dev.weft.idl.model.PipeType;
import dev.weft.idl.model.PointerKind;
import dev.weft.idl.model.PointerType;
import dev.weft.idl.model.PrimitiveType;
import dev.weft.idl.model.Range;
import dev.weft.idl.model.StructType;
import dev.weft.idl.model.Type;
import dev.weft.idl.model.TypeLayout;
import dev.weft.idl.model.UnionType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the NDR statements for values of a type, in the two-pass shape of docs/ndr.md: an <em>inline</em> part
 * (scalars, referent ids, the inline parts of members and elements) and a <em>deferred</em> part (the referents,
 * in the order their ids were written). Decoding mirrors it: the inline pass yields a partial value (a pointer's
 * presence, a generated {@code XPartial}), the deferred pass turns it into the final value.
 *
 * <p>The writer is {@code w} and the reader {@code r} in every generated method; the syntax-dependent parts
 * (pointer and count widths, NDR64 padding, union alignment) are decided by them at run time, with alignments
 * taken from {@link TypeLayout} for both syntaxes.
 */
final class Codec {
    private final JavaTypes types;
    private final Set<String> helpers = new TreeSet<>();

    Codec(JavaTypes types) {
        this.types = types;
    }

    /** The helper methods generated code called ({@code checkSize}, {@code checkRange}...). */
    Set<String> helpers() {
        return helpers;
    }

    static boolean deferred(Type t) {
        return t.resolved().layout().deferredPointers();
    }

    /** An alignment statement for {@code io} ("w" or "r"), or null when nothing needs aligning. */
    static String align(String io, int a20, int a64) {
        if (a20 == a64) {
            return a20 <= 1 ? null : io + ".align(" + a20 + ");";
        }
        if (a20 == 4 && a64 == 8) {
            return io + ".alignPointer();";
        }
        return io + ".align(" + io + ".isNdr64() ? " + a64 + " : " + a20 + ");";
    }

    static void alignLine(Code c, String io, TypeLayout l) {
        String s = align(io, l.ndr20Alignment(), l.ndr64Alignment());
        if (s != null) {
            c.line(s);
        }
    }

    static String perSyntax(String io, int a20, int a64) {
        return a20 == a64 ? Integer.toString(a20) : io + ".isNdr64() ? " + a64 + " : " + a20;
    }

    // ------------------------------------------------------------------------------------------------ encode

    /** A whole value: inline part, then deferred part (a top-level parameter, or a pointer's referent). */
    void writeComplete(Code c, Type t, String v, Scope s) {
        if (t.resolved() instanceof PointerType p) {
            switch (p.kind()) {
                case REF -> {
                    c.line("w.writeRefPointer(" + v + ");");
                    writeReferent(c, p.target(), v, s);
                }
                case UNIQUE -> {
                    c.open("if (w.writeUniquePointer(" + v + "))");
                    writeReferent(c, p.target(), JavaTypes.target(p, v), s);
                    c.close();
                }
                case FULL -> {
                    // Top level: an object passed twice is sent once (C706 14.3.11).
                    c.open("if (w.writeFullPointer(" + v + "))");
                    writeReferent(c, p.target(), JavaTypes.target(p, v), s);
                    c.close();
                }
            }
            return;
        }
        writeInline(c, t, v, s, false);
        if (deferred(t)) {
            writeDeferred(c, t, v, s);
        }
    }

    private void writeReferent(Code c, Type target, String v, Scope s) {
        boolean guard = types.recursive(target);
        if (guard) {
            c.line("w.enter();");
        }
        writeComplete(c, target, v, s);
        if (guard) {
            c.line("w.leave();");
        }
    }

    /**
     * The inline part. {@code hoisted}: the value is the conformant array at the end of a structure, whose
     * max_count the structure already wrote at its front (C706 14.3.7.1).
     */
    void writeInline(Code c, Type t, String v, Scope s, boolean hoisted) {
        switch (t.resolved()) {
            case PrimitiveType p -> c.line("w." + writeMethod(p) + "(" + v + ");");
            case EnumType e -> c.line("w." + (e.v1Enum() ? "writeV1Enum" : "writeEnum") + "(" + v + ".value());");
            case StructType st when JavaTypes.isGuid(st) -> c.line("w.writeUuid(" + v + ");");
            case StructType st -> c.line(v + (deferred(st) ? ".encodeInline(w);" : ".encode(w);"));
            case UnionType u -> c.line(v + (deferred(u) ? ".encodeInline(w);" : ".encode(w);"));
            case ContextHandleType h -> c.line("w.writeContextHandle(" + v + ".handle());");
            case PointerType p -> c.line(switch (p.kind()) {
                case REF -> "w.writeRefPointer(" + v + ");";
                // Embedded full pointers are numbered like unique ones: the deferred pass could not tell a
                // repeated object from a first one, and distinct ids for equal referents are valid NDR.
                case UNIQUE, FULL -> "w.writeUniquePointer(" + v + ");";
            });
            case ArrayType a -> writeArrayInline(c, a, v, s, hoisted);
            case PipeType p -> throw new GeneratorException(s.location(), "a pipe is only allowed as a parameter");
            default -> throw new GeneratorException(s.location(), "cannot encode " + t.displayName());
        }
    }

    /** The deferred part: the referents of the pointers the inline part wrote, in order. */
    void writeDeferred(Code c, Type t, String v, Scope s) {
        switch (t.resolved()) {
            case StructType st -> c.line(v + ".encodeDeferred(w);");
            case UnionType u -> c.line(v + ".encodeDeferred(w);");
            case PointerType p -> {
                if (p.kind() == PointerKind.REF) {
                    writeReferent(c, p.target(), v, s);
                } else {
                    c.open("if (" + v + " != null)");
                    writeReferent(c, p.target(), JavaTypes.target(p, v), s);
                    c.close();
                }
            }
            case ArrayType a -> {
                String item = s.local("item");
                c.open("for (" + JavaTypes.boxed(types.java(a.element())) + " " + item + " : " + v + ")");
                writeDeferred(c, a.element(), item, s);
                c.close();
            }
            default -> {
            }
        }
    }

    private static String writeMethod(PrimitiveType p) {
        return switch (p) {
            case BOOLEAN -> "writeBoolean";
            case BYTE, CHAR, UCHAR, SMALL, USMALL -> "writeInt8";
            case SHORT, USHORT -> "writeInt16";
            case WCHAR -> "writeWchar";
            case LONG, ULONG, ERROR_STATUS_T -> "writeInt32";
            case HYPER, UHYPER -> "writeInt64";
            case FLOAT -> "writeFloat";
            case DOUBLE -> "writeDouble";
            case INT3264, UINT3264 -> "writeInt3264";
        };
    }

    static String length(ArrayType a, String v) {
        return switch (JavaTypes.shape(a)) {
            case BYTES, SHORTS, INTS, LONGS -> v + ".length";
            case CHARS, ANSI_STRING, WIDE_STRING -> v + ".length()";
            case LIST -> v + ".size()";
        };
    }

    static long fixedCount(ArrayType a) {
        long n = 1;
        for (ArrayDimension d : a.dimensions()) {
            n *= d.fixedSize().orElseThrow();
        }
        return n;
    }

    /** The max_count of a conformant array as a long expression, or null when it is only known from the value. */
    String maxCount(ArrayType a, Scope s) {
        ArrayDimension d = a.dimensions().get(0);
        if (d.fixedSize().isPresent()) {
            return fixedCount(a) + "L";
        }
        if (d.sizeIs().isPresent()) {
            return s.eval(d.sizeIs().get());
        }
        if (d.maxIs().isPresent()) {
            String m = s.eval(d.maxIs().get());
            return m == null ? null : m + " + 1L";
        }
        return null;
    }

    /** The transmitted count of a varying array, or null when it is only known from the value. */
    String actualCount(ArrayType a, Scope s) {
        ArrayDimension d = a.dimensions().get(0);
        if (d.lengthIs().isPresent()) {
            return s.eval(d.lengthIs().get());
        }
        if (d.lastIs().isPresent()) {
            String last = s.eval(d.lastIs().get());
            String first = d.firstIs().map(s::eval).orElse("0L");
            return last == null || first == null ? null : "(" + last + " - " + first + " + 1L)";
        }
        return null;
    }

    /** The conformance a structure hoists for its last member {@code a}, held in {@code v}. */
    String hoistedConformance(ArrayType a, String v, Scope s) {
        String max = maxCount(a, s);
        if (max != null) {
            return max;
        }
        return a.string().isPresent() ? length(a, v) + " + 1L" : length(a, v);
    }

    /**
     * The IDL names the counts of a parameter's array refer to ({@code size_is(bufferSize)},
     * {@code length_is(*sizeRead)}), looking through its pointers; empty for anything else.
     */
    static Set<String> countNames(Type t) {
        Type r = t.resolved();
        while (r instanceof PointerType p) {
            r = p.target().resolved();
        }
        Set<String> names = new HashSet<>();
        if (r instanceof ArrayType a) {
            ArrayDimension d = a.dimensions().get(0);
            for (Optional<Expression> e : List.of(d.sizeIs(), d.maxIs(), d.lengthIs(), d.firstIs(), d.lastIs())) {
                e.ifPresent(x -> names(x, names));
            }
        }
        return names;
    }

    private static void names(Expression e, Set<String> into) {
        switch (e) {
            case Expression.Identifier id -> into.add(id.name());
            case Expression.Deref d -> names(d.operand(), into);
            case Expression.Member m -> names(m.target(), into);
            case Expression.Unary u -> names(u.operand(), into);
            case Expression.Binary b -> {
                names(b.left(), into);
                names(b.right(), into);
            }
            case Expression.Conditional k -> {
                names(k.condition(), into);
                names(k.then(), into);
                names(k.otherwise(), into);
            }
            case Expression.Cast k -> names(k.operand(), into);
            case Expression.IntegerLiteral l -> {
            }
            case Expression.ConstantRef k -> {
            }
            case Expression.StringLiteral l -> {
            }
        }
    }

    /**
     * The counts of a parameter's array checked against parameters that come after it on the wire: a stub reads
     * {@code [out, size_is(bufferSize), length_is(*sizeRead)] byte *dataBuffer} before {@code sizeRead}, so the
     * actual count can only be compared once {@code sizeRead} is there (and a client writing such an array checks
     * it once every parameter is known). The checks are the encoder's: NDR requires the counts to equal what the
     * attributes give (fuzz finding, kept in fuzz/).
     */
    void checkCountsLate(Code c, Type t, String value, Scope s) {
        Type r = t.resolved();
        String v = value;
        List<String> guards = new ArrayList<>();
        while (r instanceof PointerType p) {
            if (p.kind() != PointerKind.REF) {
                guards.add(v + " != null");
            }
            v = JavaTypes.target(p, v);
            r = p.target().resolved();
        }
        if (!(r instanceof ArrayType a) || a.dimensions().size() != 1) {
            return;
        }
        Code checks = new Code();
        String what = value.replace("\"", "");
        if (a.string().isPresent()) {
            String max = a.kind() == ArrayKind.VARYING ? null : maxCount(a, s);
            if (max != null) {
                helpers.add("checkCapacity");
                checks.line("checkCapacity(" + v + ".length() + 1L, " + max + ", \"" + what + "\");");
            }
        } else {
            String expected = switch (a.kind()) {
                case CONFORMANT -> maxCount(a, s);
                case VARYING, CONFORMANT_VARYING -> actualCount(a, s);
                case FIXED -> null;
            };
            if (expected != null) {
                checkSize(checks, length(a, v), expected, what);
            }
        }
        if (checks.isEmpty()) {
            return;
        }
        if (!guards.isEmpty()) {
            c.open("if (" + String.join(" && ", guards) + ")");
            c.append(checks);
            c.close();
        } else {
            c.append(checks);
        }
    }

    private void checkSize(Code c, String actual, String expected, String what) {
        helpers.add("checkSize");
        c.line("checkSize(" + actual + ", " + expected + ", \"" + what + "\");");
    }

    private void writeArrayInline(Code c, ArrayType a, String v, Scope s, boolean hoisted) {
        JavaTypes.checkSupported(a, s.location());
        ArrayKind kind = a.kind();
        String what = v.replace("\"", "");
        if (a.string().isPresent()) {
            boolean wide = a.string().get().characterWidth() == 2;
            String body = wide ? "writeWideStringBody" : "writeAnsiStringBody";
            if (kind == ArrayKind.VARYING) {
                helpers.add("checkCapacity");
                c.line("checkCapacity(" + v + ".length() + 1L, " + fixedCount(a) + "L, \"" + what + "\");");
                c.line("w." + body + "(" + v + ");");
                return;
            }
            String max = maxCount(a, s);
            if (max == null) {
                c.line("w." + (hoisted ? body : wide ? "writeWideString" : "writeAnsiString") + "(" + v + ");");
                return;
            }
            if (!hoisted) {
                c.line("w.writeConformance(" + max + ");");
            }
            helpers.add("checkCapacity");
            c.line("checkCapacity(" + v + ".length() + 1L, " + max + ", \"" + what + "\");");
            c.line("w." + body + "(" + v + ");");
            return;
        }
        String len = length(a, v);
        switch (kind) {
            case FIXED -> checkSize(c, len, fixedCount(a) + "L", what);
            case CONFORMANT -> {
                String max = maxCount(a, s);
                if (max != null) {
                    checkSize(c, len, max, what);
                }
                if (!hoisted) {
                    c.line("w.writeConformance(" + (max != null ? max : len) + ");");
                }
            }
            case VARYING, CONFORMANT_VARYING -> {
                String max = maxCount(a, s);
                String actual = actualCount(a, s);
                if (actual != null) {
                    checkSize(c, len, actual, what);
                }
                if (kind == ArrayKind.CONFORMANT_VARYING && !hoisted) {
                    c.line("w.writeConformance(" + (max != null ? max : len) + ");");
                }
                String first = a.dimensions().get(0).firstIs().map(s::eval).orElse(null);
                c.line("w.writeVariance(" + (first != null ? first : "0") + ", " + len + ");");
            }
        }
        writeElements(c, a.element(), JavaTypes.shape(a), v, s);
    }

    void writeElements(Code c, Type element, JavaTypes.ArrayShape shape, String v, Scope s) {
        switch (shape) {
            case BYTES -> c.line("w.writeBytes(" + v + ");");
            case SHORTS -> c.line("w.writeInt16s(" + v + ", 0, " + v + ".length);");
            case INTS -> c.line("w.writeInt32s(" + v + ", 0, " + v + ".length);");
            case LONGS -> c.line("w.writeInt64s(" + v + ", 0, " + v + ".length);");
            case CHARS -> c.line("w.writeChars(" + v + ");");
            case ANSI_STRING, WIDE_STRING -> throw new IllegalStateException("strings are written whole");
            case LIST -> {
                String item = s.local("item");
                c.open("for (" + JavaTypes.boxed(types.java(element)) + " " + item + " : " + v + ")");
                writeInline(c, element, item, s, false);
                c.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ decode

    /** The Java type of a value after the inline pass (its pointers' presence, a generated partial), or null. */
    String partialType(Type t) {
        if (!deferred(t)) {
            return types.java(t);
        }
        return switch (t.resolved()) {
            case StructType st -> types.name(st) + "Partial";
            case UnionType u -> types.name(u) + "Partial";
            case PointerType p -> switch (p.kind()) {
                case REF -> null;
                case UNIQUE -> "boolean";
                case FULL -> "long";
            };
            case ArrayType a -> partialType(a.element()) == null ? "int"
                    : "List<" + JavaTypes.boxed(partialType(a.element())) + ">";
            default -> types.java(t);
        };
    }

    /**
     * Reads a whole value; statements go to {@code c}, and the returned expression is the value. {@code into}, when
     * not null, is the name of the variable the caller will store it in, which a reader that needs a variable of
     * its own (a list) declares and returns.
     */
    String readComplete(Code c, Type t, Scope s, String into) {
        if (t.resolved() instanceof PointerType p) {
            if (p.kind() == PointerKind.REF) {
                c.line("r.readRefPointer();");
            }
            return readPointer(c, p, switch (p.kind()) {
                case REF -> null;
                case UNIQUE -> "r.readUniquePointer()";
                case FULL -> "r.readPointerId()";
            }, s, into);
        }
        if (!deferred(t)) {
            return readInline(c, t, s, into, null);
        }
        String partial = readInline(c, t, s, into == null ? null : s.local(into + "Partial"), null);
        return readDeferred(c, t, partial, s, into);
    }

    /** A pointer's referent, given its inline part ({@code presence}: a boolean or a full pointer's id). */
    private String readPointer(Code c, PointerType p, String presence, Scope s, String into) {
        String javaType = types.java(p);
        if (p.kind() == PointerKind.REF) {
            return readReferent(c, p.target(), s, into);
        }
        String var = into != null ? into : s.local("value");
        Code inner = new Code();
        String value = readReferent(inner, p.target(), s, null);
        if (JavaTypes.wrapsTarget(p)) {
            value = "Pointer.to(" + value + ")"; // present, pointing at a value or at nothing
        }
        if (p.kind() == PointerKind.UNIQUE) {
            if (inner.isEmpty()) {
                c.line(javaType + " " + var + " = " + presence + " ? " + value + " : null;");
                return var;
            }
            c.line(javaType + " " + var + " = null;");
            c.open("if (" + presence + ")");
            c.append(inner);
            c.line(var + " = " + value + ";");
            c.close();
            return var;
        }
        String id = s.local(var + "Id");
        c.line("long " + id + " = " + presence + ";");
        c.line(javaType + " " + var + " = null;");
        c.open("if (r.hasFullPointer(" + id + "))");
        c.line(var + " = " + (javaType.contains("<") ? "r.<" + javaType + ">fullPointer(" + id + ")"
                : "r.fullPointer(" + id + ", " + javaType.replaceAll("<.*", "") + ".class)") + ";");
        c.reopen("else if (" + id + " != 0)");
        c.append(inner);
        c.line(var + " = " + value + ";");
        c.line("r.putFullPointer(" + id + ", " + var + ");");
        c.close();
        return var;
    }

    private String readReferent(Code c, Type target, Scope s, String into) {
        boolean guard = types.recursive(target);
        if (guard) {
            c.line("r.enter();");
            String var = into != null ? into : s.local("value");
            String v = readComplete(c, target, s, var);
            if (!v.equals(var)) {
                c.line(types.java(target) + " " + var + " = " + v + ";");
            }
            c.line("r.leave();");
            return var;
        }
        return readComplete(c, target, s, into);
    }

    /** The inline part; returns the partial value's expression (null for a ref pointer, which has none). */
    String readInline(Code c, Type t, Scope s, String into, String hoisted) {
        return switch (t.resolved()) {
            case PrimitiveType p -> readMethod(p);
            case EnumType e -> types.name(e) + ".of(r." + (e.v1Enum() ? "readV1Enum" : "readEnum") + "())";
            case StructType st when JavaTypes.isGuid(st) -> "r.readUuid()";
            case StructType st -> deferred(st) ? types.name(st) + "Partial.read(r)" : types.name(st) + ".decode(r)";
            case UnionType u -> deferred(u) ? types.name(u) + "Partial.read(r)" : types.name(u) + ".decode(r)";
            case ContextHandleType h -> "new " + types.name(h) + "(r.readContextHandle())";
            case PointerType p -> switch (p.kind()) {
                case REF -> {
                    c.line("r.readRefPointer();");
                    yield null;
                }
                case UNIQUE -> "r.readUniquePointer()";
                case FULL -> "r.readPointerId()";
            };
            case ArrayType a -> readArrayInline(c, a, s, into, hoisted);
            default -> throw new GeneratorException(s.location(), "cannot decode " + t.displayName());
        };
    }

    /** The deferred part, from the partial value the inline part gave; returns the final value. */
    String readDeferred(Code c, Type t, String partial, Scope s, String into) {
        return switch (t.resolved()) {
            case StructType st -> partial + ".finish(r)";
            case UnionType u -> partial + ".finish(r)";
            case PointerType p -> readPointer(c, p, partial, s, into);
            case ArrayType a -> {
                String list = into != null ? into : s.local("items");
                String elementJava = JavaTypes.boxed(types.java(a.element()));
                Code inner = new Code();
                String value;
                String loop;
                if (partialType(a.element()) == null) {
                    String i = s.loopIndex();
                    loop = "for (int " + i + " = 0; " + i + " < " + partial + "; " + i + "++)";
                    value = readDeferred(inner, a.element(), null, s, null);
                    c.line("List<" + elementJava + "> " + list + " = new ArrayList<>(r.capacity(" + partial + "));");
                } else {
                    String item = s.local("item");
                    loop = "for (" + JavaTypes.boxed(partialType(a.element())) + " " + item + " : " + partial + ")";
                    value = readDeferred(inner, a.element(), item, s, null);
                    c.line("List<" + elementJava + "> " + list + " = new ArrayList<>(" + partial + ".size());");
                }
                c.open(loop);
                c.append(inner);
                c.line(list + ".add(" + value + ");");
                c.close();
                yield list;
            }
            default -> partial;
        };
    }

    private static String readMethod(PrimitiveType p) {
        return switch (p) {
            case BOOLEAN -> "r.readBoolean()";
            case BYTE, CHAR, UCHAR, SMALL, USMALL -> "r.readInt8()";
            case SHORT, USHORT -> "r.readInt16()";
            case WCHAR -> "r.readWchar()";
            case LONG, ULONG, ERROR_STATUS_T -> "r.readInt32()";
            case HYPER, UHYPER -> "r.readInt64()";
            case FLOAT -> "r.readFloat()";
            case DOUBLE -> "r.readDouble()";
            case INT3264 -> "r.readInt3264()";
            case UINT3264 -> "r.readUnsignedInt3264()";
        };
    }

    /** The smallest number of bytes one element takes inline, for {@code checkCount} before allocating. */
    static int minSize(Type element) {
        TypeLayout l = element.resolved().layout();
        if (l.ndr20Size() >= 0 && l.ndr64Size() >= 0) {
            return (int) Math.min(l.ndr20Size(), l.ndr64Size());
        }
        return 1;
    }

    private String readArrayInline(Code c, ArrayType a, Scope s, String into, String hoisted) {
        JavaTypes.checkSupported(a, s.location());
        ArrayKind kind = a.kind();
        String hint = into != null ? into : "array";
        String what = hint.replaceAll("Partial\\d*$", "");
        String expectedMax = kind == ArrayKind.FIXED || kind == ArrayKind.VARYING ? null : maxCount(a, s);
        String max = null;
        if (kind == ArrayKind.CONFORMANT || kind == ArrayKind.CONFORMANT_VARYING) {
            if (hoisted != null) {
                max = hoisted;
            } else if (a.string().isEmpty() || expectedMax != null) {
                max = s.local(hint + "Size");
                c.line("int " + max + " = r.readConformance();");
            }
            if (max != null && expectedMax != null) {
                checkSize(c, max, expectedMax, what);
            }
        }
        if (a.string().isPresent()) {
            boolean wide = a.string().get().characterWidth() == 2;
            if (kind == ArrayKind.VARYING) {
                return wide ? "r.readVaryingWideString(" + fixedCount(a) + ")"
                        : "r.readAnsiStringBody(" + fixedCount(a) + ")";
            }
            if (max == null) {
                return wide ? "r.readWideString()" : "r.readAnsiString()";
            }
            return wide ? "r.readWideStringBody(" + max + ")" : "r.readAnsiStringBody(" + max + ")";
        }
        String count;
        switch (kind) {
            case FIXED -> count = Long.toString(fixedCount(a));
            case CONFORMANT -> count = max;
            default -> {
                count = s.local(hint + "Length");
                c.line("int " + count + " = r.readVariance(" + (kind == ArrayKind.VARYING ? fixedCount(a) : max)
                        + ");");
                String expected = actualCount(a, s);
                if (expected != null) {
                    checkSize(c, count, expected, what);
                }
            }
        }
        return readElements(c, a.element(), JavaTypes.shape(a), count, s, into);
    }

    String readElements(Code c, Type element, JavaTypes.ArrayShape shape, String count, Scope s, String into) {
        switch (shape) {
            case BYTES:
                return "r.readBytes(" + count + ")";
            case SHORTS:
                return "r.readInt16s(" + count + ")";
            case INTS:
                return "r.readInt32s(" + count + ")";
            case LONGS:
                return "r.readInt64s(" + count + ")";
            case CHARS:
                return "r.readChars(" + count + ")";
            default:
                break;
        }
        String partial = partialType(element);
        if (partial == null) {
            // ref pointers: only their placeholders are inline; the count is all the deferred pass needs
            String i = s.loopIndex();
            c.open("for (int " + i + " = 0; " + i + " < " + count + "; " + i + "++)");
            c.line("r.readRefPointer();");
            c.close();
            return count;
        }
        String list = into != null ? into : s.local("items");
        c.line("r.checkCount(" + count + ", " + minSize(element) + ");");
        c.line("List<" + JavaTypes.boxed(partial) + "> " + list + " = new ArrayList<>(r.capacity(" + count + "));");
        String i = s.loopIndex();
        c.open("for (int " + i + " = 0; " + i + " < " + count + "; " + i + "++)");
        Code inner = new Code();
        String value = readInline(inner, element, s, null, null);
        c.append(inner);
        c.line(list + ".add(" + value + ");");
        c.close();
        return list;
    }

    /** A {@code [range(low, high)]} check on a decoded scalar. */
    void checkRange(Code c, Optional<Range> range, String v, Type t) {
        if (range.isEmpty() || !(t.resolved() instanceof PrimitiveType p) || !p.isInteger()) {
            return;
        }
        helpers.add("checkRange");
        c.line("checkRange(" + JavaTypes.widen(v, t) + ", " + range.get().low() + "L, " + range.get().high()
                + "L, \"" + v + "\");");
    }

    // ------------------------------------------------------------------------------------------------ pipes

    /** The elements of one pipe chunk, as an array type of the element. */
    static ArrayType chunk(PipeType p) {
        return new ArrayType(p.element(), List.of(new ArrayDimension(OptionalLong.empty(),
                Optional.of(new Expression.Identifier("count")), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty())), Optional.empty());
    }

    /** The Java type of one chunk of {@code p}. */
    String chunkType(PipeType p) {
        return types.java(chunk(p));
    }

    /**
     * Client, [in] pipe: pulls the caller's chunks and writes each as it comes, skipping empty ones (an empty chunk
     * ends a pipe), then the terminating empty chunk.
     */
    void writePipeFrom(Code c, PipeType p, String source, Scope s) {
        ArrayType chunk = chunk(p);
        String ch = s.local("chunk");
        c.open("for (" + types.java(chunk) + " " + ch + " = Pipes.pull(" + source + "); " + ch + " != null; " + ch
                + " = Pipes.pull(" + source + "))");
        String len = length(chunk, ch);
        c.open("if (" + len + " > 0)");
        c.line("w.beginPipeChunk(" + len + ");");
        writeElements(c, p.element(), JavaTypes.shape(chunk), ch, s);
        c.line("w.endPipeChunk(" + len + ");");
        c.close();
        c.close();
        c.line("w.writePipeEnd();");
    }

    /** Client, [out] pipe: decodes chunk by chunk and pushes each into the caller's sink. */
    void readPipeTo(Code c, PipeType p, Scope s, String sink) {
        ArrayType chunk = chunk(p);
        String n = s.local("count");
        c.open("for (int " + n + " = r.beginPipeChunk(); " + n + " != 0; " + n + " = r.beginPipeChunk())");
        Code inner = new Code();
        String value = readElements(inner, p.element(), JavaTypes.shape(chunk), n, s, null);
        c.append(inner);
        c.line("Pipes.push(" + sink + ", " + value + ");");
        c.line("r.endPipeChunk(" + n + ");");
        c.close();
        c.line("r.endPipeChunk(0);");
    }

    /**
     * Server, [out] pipe: the sink handed to the implementation, encoding each pushed chunk at once. {@code request}
     * is the request's last [in] pipe, which the first push drains, or null.
     */
    void pipeEncoder(Code c, PipeType p, Scope s, String name, String previous, String request) {
        ArrayType chunk = chunk(p);
        String t = types.java(chunk);
        String ch = s.local("chunk");
        c.open("PipeEncoder<" + JavaTypes.boxed(t) + "> " + name + " = new PipeEncoder<>(w, " + previous + ", "
                + (request != null ? request + ", " : "") + ch + " -> " + length(chunk, ch) + ", " + ch + " ->");
        writeElements(c, p.element(), JavaTypes.shape(chunk), ch, s);
        c.close("});");
    }

    /** Server, [in] pipe: the source handed to the implementation, decoding a chunk per pull. */
    void pipeDecoder(Code c, PipeType p, Scope s, String name, String previous) {
        ArrayType chunk = chunk(p);
        String t = types.java(chunk);
        String n = s.local("count");
        c.open("PipeDecoder<" + JavaTypes.boxed(t) + "> " + name + " = new PipeDecoder<>(r, " + previous + ", " + n
                + " ->");
        Code inner = new Code();
        String value = readElements(inner, p.element(), JavaTypes.shape(chunk), n, s, null);
        c.append(inner);
        c.line("return " + value + ";");
        c.close("});");
    }
}
