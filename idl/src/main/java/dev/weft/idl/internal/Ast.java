package dev.weft.idl.internal;

import dev.weft.idl.model.Expression;
import dev.weft.idl.model.Location;
import dev.weft.idl.model.PrimitiveType;

import java.util.List;
import java.util.Optional;

/** The syntax tree the parser builds: what was written, before any name is looked up. */
final class Ast {
    private Ast() {
    }

    /**
     * An attribute. {@code args} holds one entry per comma-separated position, empty for an empty position;
     * {@code typeArg} is set for attributes that take a type ({@code switch_type}, {@code transmit_as});
     * {@code raw} is the argument text for {@code uuid} and {@code version}.
     */
    record Attr(String name, List<Optional<Expression>> args, TypeSpec typeArg, String raw, Location location) {
        boolean is(String n) {
            return name.equals(n);
        }
    }

    /** A type before a declarator: a built-in, a name, or an inline struct/union/enum/pipe. */
    sealed interface TypeSpec permits Builtin, Named, StructSpec, UnionSpec, EnumSpec, PipeSpec {
        Location location();
    }

    /** A built-in type; {@code primitive} is null for void and handle_t. */
    record Builtin(PrimitiveType primitive, String word, Location location) implements TypeSpec {
    }

    /** A typedef name, or {@code struct tag}/{@code union tag}/{@code enum tag} without a body. */
    record Named(String name, String tagKind, Location location) implements TypeSpec {
    }

    record StructSpec(String tag, List<Member> members, Location location) implements TypeSpec {
    }

    /** A union; encapsulated when {@code switchType} is set. */
    record UnionSpec(String tag, TypeSpec switchType, String discriminant, String armsName, List<Arm> arms,
                     Location location) implements TypeSpec {
    }

    record EnumSpec(String tag, List<Enumerator> values, Location location) implements TypeSpec {
    }

    record PipeSpec(TypeSpec element, Location location) implements TypeSpec {
    }

    record Enumerator(String name, Expression value, Location location) {
    }

    /**
     * A declarator: a name with pointer stars and array bounds ({@code **p}, {@code a[10][]}).
     * Array bound entries are null for {@code []}/{@code [*]}.
     */
    record Declarator(String name, int pointers, List<Expression> arrayBounds, Location location) {
    }

    record Member(List<Attr> attrs, TypeSpec type, Declarator declarator, Location location) {
    }

    /** A union arm: case labels (from {@code [case()]} or {@code case x:}), default, and an optional member. */
    record Arm(List<Expression> cases, boolean isDefault, Member member, Location location) {
    }

    sealed interface Item permits Typedef, Const, TagDecl, Operation, InterfaceDecl, Import {
        Location location();
    }

    /** {@code typedef [attrs] type declarators;}; {@code text} is the statement's tokens, for redefinition checks. */
    record Typedef(List<Attr> attrs, TypeSpec type, List<Declarator> declarators, String text, Location location)
            implements Item {
    }

    record Const(TypeSpec type, Declarator declarator, Expression value, Location location) implements Item {
    }

    /** {@code struct tag {...};} declared without a typedef. */
    record TagDecl(TypeSpec type, Location location) implements Item {
    }

    record Param(List<Attr> attrs, TypeSpec type, Declarator declarator, Location location) {
    }

    record Operation(List<Attr> attrs, TypeSpec returnType, int returnPointers, String name, List<Param> params,
                     Location location) implements Item {
    }

    record InterfaceDecl(List<Attr> attrs, String name, String base, List<Item> body, Location location)
            implements Item {
    }

    record Import(String name, Location location) implements Item {
    }

    record File(String name, List<Item> items) {
    }
}
