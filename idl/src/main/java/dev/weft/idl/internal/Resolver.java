package dev.weft.idl.internal;

import dev.weft.idl.internal.Ast.Attr;
import dev.weft.idl.internal.Ast.Builtin;
import dev.weft.idl.internal.Ast.Declarator;
import dev.weft.idl.internal.Ast.EnumSpec;
import dev.weft.idl.internal.Ast.Item;
import dev.weft.idl.internal.Ast.Named;
import dev.weft.idl.internal.Ast.PipeSpec;
import dev.weft.idl.internal.Ast.StructSpec;
import dev.weft.idl.internal.Ast.TypeSpec;
import dev.weft.idl.internal.Ast.UnionSpec;
import dev.weft.idl.model.ArrayDimension;
import dev.weft.idl.model.ArrayType;
import dev.weft.idl.model.Attribute;
import dev.weft.idl.model.Constant;
import dev.weft.idl.model.ContextHandleType;
import dev.weft.idl.model.Direction;
import dev.weft.idl.model.EnumType;
import dev.weft.idl.model.Expression;
import dev.weft.idl.model.Field;
import dev.weft.idl.model.HandleType;
import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.Interface;
import dev.weft.idl.model.Location;
import dev.weft.idl.model.Operation;
import dev.weft.idl.model.Parameter;
import dev.weft.idl.model.PipeType;
import dev.weft.idl.model.PointerKind;
import dev.weft.idl.model.PointerType;
import dev.weft.idl.model.PrimitiveType;
import dev.weft.idl.model.Range;
import dev.weft.idl.model.StringAttr;
import dev.weft.idl.model.StructType;
import dev.weft.idl.model.Type;
import dev.weft.idl.model.TypeDef;
import dev.weft.idl.model.TypeReference;
import dev.weft.idl.model.UnionType;
import dev.weft.idl.model.Version;
import dev.weft.idl.model.VoidType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns the syntax trees of a file and its imports into the resolved model: looks up names, evaluates
 * constants, folds declarators and attributes into pointer and array types, decides pointer kinds, and
 * checks what MIDL would reject. Errors are collected, so one run reports every semantic problem.
 *
 * <p>Names live in one global namespace, as in MIDL: types declared inside an interface are visible to
 * every later file of the compilation.
 */
final class Resolver {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> BUILTIN_NAMES = Set.of("wchar_t", "error_status_t", "handle_t", "boolean",
            "byte", "small", "hyper", "int", "long", "short", "char", "void", "float", "double");
    private static final List<String> BOUND_ATTRIBUTES =
            List.of("size_is", "max_is", "length_is", "first_is", "last_is");

    /** What pointers default to where a declaration appears. */
    record Scope(PointerKind pointerDefault, boolean msUnion) {
    }

    private static final Scope TOP = new Scope(PointerKind.UNIQUE, false);

    /** Where a type is used: decides the default kind of its outermost pointer. */
    private enum Position { PARAMETER, EMBEDDED, RETURN }

    /** A name's definition: a struct/union/enum body, or a typedef declarator. */
    private sealed interface NameDef permits BodyDef, AliasDef {
        Location location();

        String text();
    }

    private record BodyDef(TypeSpec spec, List<Attr> attrs, Scope scope, String text, Location location)
            implements NameDef {
    }

    private record AliasDef(Ast.Typedef stmt, Declarator declarator, Scope scope, String text, Location location)
            implements NameDef {
    }

    private record ConstDef(Ast.Const decl, EnumSpec enumSpec, int index, Scope scope, Location location) {
    }

    /** One level of a flattened declarator, outermost first: a pointer, or an array with its bounds. */
    private static final class Level {
        final boolean pointer;
        PointerKind explicit;
        final PointerKind scopeDefault;
        final List<Expression> bounds;

        Level(boolean pointer, PointerKind explicit, PointerKind scopeDefault, List<Expression> bounds) {
            this.pointer = pointer;
            this.explicit = explicit;
            this.scopeDefault = scopeDefault;
            this.bounds = bounds;
        }
    }

    private record Flat(TypeSpec base, Scope baseScope, List<Level> levels, boolean string) {
    }

    /** Names an expression may refer to, and how to describe its owner in an error. */
    private record ExprScope(Set<String> names, String attribute, String subject, String owner, String memberKind,
                             Location location) {
        static ExprScope constant(String what, Location location) {
            return new ExprScope(Set.of(), what, null, null, null, location);
        }
    }

    private final List<Ast.File> files;
    private final Ast.File main;
    private final Path mainPath;
    private final Diagnostics diagnostics;
    private final TypeTable table = new TypeTable();

    private final Map<String, NameDef> names = new LinkedHashMap<>();
    private final Map<String, TypeSpec> tags = new HashMap<>();
    private final Map<TypeSpec, String> canonical = new IdentityHashMap<>();
    private final Map<String, ConstDef> constDefs = new LinkedHashMap<>();
    private final Map<Item, List<String>> declaredBy = new IdentityHashMap<>();
    private final Map<Item, Boolean> skipped = new IdentityHashMap<>();

    private final Map<String, Long> constValues = new HashMap<>();
    private final Map<String, Constant> constants = new LinkedHashMap<>();
    private final Set<String> evaluating = new HashSet<>();
    private final Set<String> failedConstants = new HashSet<>();
    private final Set<EnumSpec> enumsEvaluating = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<String> defining = new HashSet<>();
    private final List<Runnable> checks = new ArrayList<>();
    /** Type names the built-in MS-DTYP base declares and no specification has redeclared yet. */
    private final Set<String> baseNames = new HashSet<>();
    private boolean collectingBase;
    private int anonymous;

    Resolver(List<Ast.File> files, Ast.File main, Path mainPath, Diagnostics diagnostics) {
        this.files = files;
        this.main = main;
        this.mainPath = mainPath;
        this.diagnostics = diagnostics;
    }

    /** Resolves everything; returns null when errors were reported to the diagnostics. */
    IdlFile resolve() {
        for (Ast.File f : files) {
            collectingBase = f != main && f.name().equals(Compiler.BASE_IDL);
            for (Item item : f.items()) {
                collect(item, TOP);
            }
        }
        collectingBase = false;
        for (String name : List.copyOf(names.keySet())) {
            define(name);
        }
        for (String name : constDefs.keySet()) {
            constantNamed(name);
        }
        List<Interface> interfaces = new ArrayList<>();
        List<TypeDef> fileTypes = new ArrayList<>();
        List<Constant> fileConstants = new ArrayList<>();
        List<String> imports = new ArrayList<>();
        for (Item item : main.items()) {
            switch (item) {
                case Ast.InterfaceDecl i -> interfaces.add(buildInterface(i));
                case Ast.Import i -> imports.add(i.name());
                case Ast.Const c -> Optional.ofNullable(constants.get(c.declarator().name())).ifPresent(fileConstants::add);
                default -> fileTypes.addAll(typeDefsOf(item));
            }
        }
        if (!diagnostics.hasErrors()) {
            checks.forEach(Runnable::run);
            checkByValueCycles();
        }
        if (diagnostics.hasErrors()) {
            return null;
        }
        table.freeze();
        Map<String, TypeDef> all = new LinkedHashMap<>();
        for (var e : names.entrySet()) {
            all.put(e.getKey(), new TypeDef(e.getKey(), table.apply(e.getKey()), e.getValue().location()));
        }
        return new IdlFile(mainPath, imports, interfaces, fileTypes, fileConstants, all, constants,
                diagnostics.warnings());
    }

    // ------------------------------------------------------------------ collection

    private void collect(Item item, Scope scope) {
        switch (item) {
            case Ast.Typedef t -> collectTypedef(t, scope);
            case Ast.TagDecl t -> {
                List<String> declared = new ArrayList<>();
                registerBodies(t.type(), List.of(), scope, null, declared, "");
                declaredBy.put(item, declared);
            }
            case Ast.Const c -> {
                if (declare(c.declarator().name(), c.location())) {
                    constDefs.put(c.declarator().name(), new ConstDef(c, null, 0, scope, c.location()));
                }
            }
            case Ast.InterfaceDecl i -> {
                Scope inner = interfaceScope(i);
                for (Item body : i.body()) {
                    collect(body, inner);
                }
            }
            case Ast.Operation o -> {
            }
            case Ast.Import i -> {
            }
        }
    }

    private final Map<Ast.InterfaceDecl, Scope> interfaceScopes = new IdentityHashMap<>();

    private Scope interfaceScope(Ast.InterfaceDecl i) {
        return interfaceScopes.computeIfAbsent(i, this::computeInterfaceScope);
    }

    private Scope computeInterfaceScope(Ast.InterfaceDecl i) {
        PointerKind pointerDefault = PointerKind.UNIQUE;
        boolean msUnion = false;
        for (Attr a : i.attrs()) {
            if (a.is("pointer_default")) {
                String kind = a.args().isEmpty() ? "" : a.args().get(0).map(Expression::render).orElse("");
                PointerKind k = PointerKind.forAttribute(kind);
                if (k == null) {
                    diagnostics.error(a.location(), "pointer_default must be ref, unique or ptr, found '" + kind + "'");
                } else {
                    pointerDefault = k;
                }
            } else if (a.is("ms_union")) {
                msUnion = true;
            }
        }
        return new Scope(pointerDefault, msUnion);
    }

    private void collectTypedef(Ast.Typedef t, Scope scope) {
        List<String> declared = new ArrayList<>();
        declaredBy.put(t, declared);
        String first = t.declarators().get(0).name();
        NameDef previous = names.get(first);
        if (previous != null && previous.text() != null && previous.text().equals(t.text())) {
            // MS-SWN's IDL repeats MS-DTYP's PCONTEXT_HANDLE typedefs word for word; MIDL accepts that.
            diagnostics.warn(t.location(), "identical redefinition of '" + first + "' ignored");
            skipped.put(t, true);
            return;
        }
        if (BUILTIN_NAMES.contains(first)) {
            diagnostics.warn(t.location(), "typedef of built-in type '" + first + "' ignored");
            skipped.put(t, true);
            return;
        }
        String plain = null;
        for (Declarator d : t.declarators()) {
            if (d.pointers() == 0 && d.arrayBounds().isEmpty()) {
                plain = d.name();
                break;
            }
        }
        boolean hasBody = hasBody(t.type());
        if (hasBody) {
            registerBodies(t.type(), t.attrs(), scope, plain, declared, t.text());
        }
        for (Declarator d : t.declarators()) {
            if (hasBody && d.name().equals(plain)) {
                continue; // registered with the body
            }
            if (declare(d.name(), d.location())) {
                names.put(d.name(), new AliasDef(t, d, scope, t.text(), d.location()));
                declared.add(d.name());
            }
        }
    }

    private static boolean hasBody(TypeSpec spec) {
        return spec instanceof StructSpec || spec instanceof UnionSpec || spec instanceof EnumSpec;
    }

    /**
     * Registers a struct/union/enum body (and those nested in it) under its canonical name: the typedef's
     * first plain declarator, else the tag, else a synthetic name. Enumerators become constants.
     */
    private void registerBodies(TypeSpec spec, List<Attr> attrs, Scope scope, String typedefName,
                                List<String> declared, String text) {
        switch (spec) {
            case StructSpec s -> {
                registerBody(s, s.tag(), attrs, scope, typedefName, declared, text);
                s.members().forEach(m -> registerNested(m.type(), scope, declared));
            }
            case UnionSpec u -> {
                registerBody(u, u.tag(), attrs, scope, typedefName, declared, text);
                u.arms().forEach(a -> {
                    if (a.member() != null) {
                        registerNested(a.member().type(), scope, declared);
                    }
                });
            }
            case EnumSpec e -> {
                registerBody(e, e.tag(), attrs, scope, typedefName, declared, text);
                for (int i = 0; i < e.values().size(); i++) {
                    Ast.Enumerator v = e.values().get(i);
                    if (declare(v.name(), v.location())) {
                        constDefs.put(v.name(), new ConstDef(null, e, i, scope, v.location()));
                    }
                }
            }
            case PipeSpec p -> registerNested(p.element(), scope, declared);
            default -> {
            }
        }
    }

    /** Nested bodies: tagged ones get a global name; anonymous ones are built where they are used. */
    private void registerNested(TypeSpec spec, Scope scope, List<String> declared) {
        if (spec instanceof StructSpec s && s.tag() == null) {
            s.members().forEach(m -> registerNested(m.type(), scope, declared));
        } else if (spec instanceof UnionSpec u && u.tag() == null) {
            u.arms().forEach(a -> {
                if (a.member() != null) {
                    registerNested(a.member().type(), scope, declared);
                }
            });
        } else if (spec instanceof EnumSpec e && e.tag() == null) {
            registerBodies(e, List.of(), scope, null, new ArrayList<>(), null);
        } else if (hasBody(spec) || spec instanceof PipeSpec) {
            registerBodies(spec, List.of(), scope, null, declared, null);
        }
    }

    private void registerBody(TypeSpec spec, String tag, List<Attr> attrs, Scope scope, String typedefName,
                              List<String> declared, String text) {
        if (tag == null && typedefName == null) {
            if (spec instanceof EnumSpec) {
                return; // an anonymous enum used inline: built where used, its enumerators are constants
            }
            typedefName = "_anonymous" + (++anonymous);
        }
        if (tag != null) {
            TypeSpec old = tags.putIfAbsent(tag, spec);
            if (old != null) {
                diagnostics.error(spec.location(), "duplicate definition of tag '" + tag + "'; first defined at "
                        + old.location());
                return;
            }
        }
        String name = typedefName != null ? typedefName : tag;
        canonical.put(spec, name);
        if (declare(name, spec.location())) {
            names.put(name, new BodyDef(spec, attrs, scope, text, spec.location()));
            declared.add(name);
        }
    }

    /**
     * Claims a name; reports a duplicate and returns false when it is taken. A type of the built-in MS-DTYP base
     * gives way to a declaration of the same name in a protocol's own IDL, as the specifications require: MS-LSAD
     * declares STRING as a counted structure where MS-DTYP 2.2.54 declares it a pointer to UCHAR.
     */
    private boolean declare(String name, Location location) {
        NameDef type = names.get(name);
        ConstDef constant = constDefs.get(name);
        Location first = type != null ? type.location() : constant != null ? constant.location() : null;
        if (type != null && !collectingBase && baseNames.remove(name)) {
            // A specification's own declaration wins over the base's: MS-NRPC and MS-LSAD declare STRING as a
            // counted 8-bit string structure, where MS-DTYP 2.2 declares "typedef UCHAR *STRING". Their IDL is
            // compiled by MIDL against a base that leaves the name out, so the specification's meaning is the
            // one on the wire. Every later use of the name (the base's own types never use it) sees this one.
            diagnostics.warn(location, "'" + name + "' replaces the base type declared at " + first);
            names.remove(name);
            declaredBy.values().forEach(list -> list.remove(name));
            return true;
        }
        if (first != null) {
            diagnostics.error(location, "duplicate definition of '" + name + "'; first defined at " + first);
            return false;
        }
        if (collectingBase) {
            baseNames.add(name);
        }
        return true;
    }

    // ------------------------------------------------------------------ named types

    private void define(String name) {
        if (table.contains(name) || !defining.add(name)) {
            return;
        }
        NameDef def = names.get(name);
        Type type = switch (def) {
            case BodyDef b -> buildBody(b.spec(), name, b.attrs(), b.scope());
            case AliasDef a -> defineAlias(name, a);
        };
        table.put(name, type);
    }

    private Type defineAlias(String name, AliasDef a) {
        Declarator d = a.declarator();
        List<Attr> attrs = a.stmt().attrs();
        if (has(attrs, "context_handle")) {
            return new ContextHandleType(name, has(attrs, "context_handle_noserialize"),
                    has(attrs, "context_handle_serialize"));
        }
        if (d.pointers() == 0 && d.arrayBounds().isEmpty() && !expanding(a.stmt().type(), 0)) {
            return resolveBase(a.stmt().type(), a.scope(), name);
        }
        return buildUse(a.stmt().type(), d, attrs, Position.EMBEDDED, a.scope(),
                new ExprScope(Set.of(), null, name, "typedef '" + name + "'", "", d.location()));
    }

    /** Whether a type name stands for a pointer or array, which has to be expanded where it is used. */
    private boolean expanding(TypeSpec spec, int depth) {
        if (!(spec instanceof Named n) || n.tagKind() != null || !(names.get(n.name()) instanceof AliasDef a)) {
            return false;
        }
        if (depth > 32) {
            diagnostics.error(spec.location(), "typedef '" + n.name() + "' refers to itself");
            return false;
        }
        if (has(a.stmt().attrs(), "context_handle")) {
            return false;
        }
        Declarator d = a.declarator();
        return d.pointers() > 0 || !d.arrayBounds().isEmpty() || expanding(a.stmt().type(), depth + 1);
    }

    private Type resolveBase(TypeSpec spec, Scope scope, String hint) {
        return switch (spec) {
            case Builtin b -> b.primitive() != null ? b.primitive()
                    : b.word().equals("void") ? new VoidType() : new HandleType();
            case Named n when n.tagKind() == null -> {
                if (names.containsKey(n.name())) {
                    yield new TypeReference(n.name(), table);
                }
                diagnostics.error(n.location(), "unknown type '" + n.name() + "'");
                yield new VoidType();
            }
            case Named n -> {
                TypeSpec body = tags.get(n.name());
                if (body == null || !kindOf(body).equals(n.tagKind())) {
                    diagnostics.error(n.location(), "unknown " + n.tagKind() + " '" + n.name() + "'");
                    yield new VoidType();
                }
                yield new TypeReference(canonical.get(body), table);
            }
            case PipeSpec p -> new PipeType(resolveBase(p.element(), scope, hint));
            default -> canonical.containsKey(spec) ? new TypeReference(canonical.get(spec), table)
                    : buildBody(spec, hint, List.of(), scope);
        };
    }

    private final Map<TypeSpec, String> inlineNames = new IdentityHashMap<>();
    private final Set<String> inlineNamesTaken = new HashSet<>();

    private String inlineName(TypeSpec spec, String hint) {
        return inlineNames.computeIfAbsent(spec, s -> {
            String name = hint;
            for (int i = 2; !inlineNamesTaken.add(name); i++) {
                name = hint + i;
            }
            return name;
        });
    }

    private static String kindOf(TypeSpec body) {
        return body instanceof StructSpec ? "struct" : body instanceof UnionSpec ? "union" : "enum";
    }

    private Type buildBody(TypeSpec spec, String name, List<Attr> attrs, Scope scope) {
        return switch (spec) {
            case StructSpec s -> {
                Set<String> memberNames = new HashSet<>();
                s.members().forEach(m -> memberNames.add(m.declarator().name()));
                List<Field> fields = new ArrayList<>();
                for (Ast.Member m : s.members()) {
                    fields.add(buildField(m, scope, memberNames, "struct '" + name + "'", "member"));
                }
                for (int i = 0; i < fields.size() - 1; i++) {
                    Field f = fields.get(i);
                    if (f.type() instanceof ArrayType at && at.dimensions().get(0).conformant()) {
                        diagnostics.error(f.location(), "conformant array '" + f.name() + "' must be the last member of struct '"
                                + name + "'");
                    }
                }
                yield new StructType(name, s.tag() == null ? "" : s.tag(), fields);
            }
            case UnionSpec u -> buildUnion(u, name, attrs, scope);
            case EnumSpec e -> {
                List<EnumType.EnumValue> values = new ArrayList<>();
                long[] evaluated = enumValues(e);
                for (int i = 0; i < e.values().size(); i++) {
                    values.add(new EnumType.EnumValue(e.values().get(i).name(), evaluated[i]));
                }
                yield new EnumType(name, has(attrs, "v1_enum"), values);
            }
            default -> resolveBase(spec, scope, name);
        };
    }

    private UnionType buildUnion(UnionSpec u, String name, List<Attr> attrs, Scope scope) {
        boolean encapsulated = u.switchType() != null;
        Optional<Type> switchType = Optional.empty();
        if (encapsulated) {
            switchType = Optional.of(resolveBase(u.switchType(), scope, name));
        } else {
            for (Attr a : attrs) {
                if (a.is("switch_type")) {
                    switchType = Optional.of(resolveBase(a.typeArg(), scope, name));
                }
            }
        }
        switchType.ifPresent(t -> checks.add(() -> {
            Type r = t.resolved();
            boolean ok = r instanceof EnumType || r instanceof PrimitiveType p && p.isInteger();
            if (!ok) {
                diagnostics.error(u.location(), "union '" + name + "' switches on type '" + t.displayName()
                        + "', which is not an integer, char, boolean or enum type");
            }
        }));
        List<UnionType.UnionArm> arms = new ArrayList<>();
        boolean sawDefault = false;
        Set<Long> seen = new HashSet<>();
        for (Ast.Arm arm : u.arms()) {
            List<Long> cases = new ArrayList<>();
            for (Expression c : arm.cases()) {
                OptionalLong v = constant(c, ExprScope.constant("case value", arm.location()));
                if (v.isPresent()) {
                    if (!seen.add(v.getAsLong())) {
                        diagnostics.error(arm.location(), "duplicate case value " + v.getAsLong() + " in union '" + name + "'");
                    }
                    cases.add(v.getAsLong());
                }
            }
            if (arm.isDefault()) {
                if (sawDefault) {
                    diagnostics.error(arm.location(), "union '" + name + "' has more than one default arm");
                }
                sawDefault = true;
            }
            Optional<Field> field = arm.member() == null ? Optional.empty()
                    : Optional.of(buildField(arm.member(), scope, Set.of(), "union '" + name + "'", "arm"));
            arms.add(new UnionType.UnionArm(cases, arm.isDefault(), field));
        }
        return new UnionType(name, encapsulated, switchType, Optional.ofNullable(u.discriminant()),
                Optional.ofNullable(u.armsName()), arms, scope.msUnion() || has(attrs, "ms_union"));
    }

    // ------------------------------------------------------------------ members, parameters

    private Field buildField(Ast.Member m, Scope scope, Set<String> siblings, String owner, String memberKind) {
        String name = m.declarator().name();
        ExprScope es = new ExprScope(siblings, null, name, owner, memberKind, m.location());
        Type type = buildUse(m.type(), m.declarator(), m.attrs(), Position.EMBEDDED, scope, es);
        Optional<Expression> switchIs = switchIs(m.attrs(), es);
        checkUnionUse(type, switchIs, memberKind + " '" + name + "' of " + owner, m.declarator().location());
        return new Field(name, type, switchIs, range(m.attrs()), attributes(m.attrs()), m.declarator().location());
    }

    private Parameter buildParam(Ast.Param p, int index, Scope scope, Set<String> siblings, String operation) {
        String name = p.declarator().name() != null ? p.declarator().name() : "arg" + index;
        boolean in = has(p.attrs(), "in");
        boolean out = has(p.attrs(), "out");
        Direction direction = in && out ? Direction.IN_OUT : out ? Direction.OUT : Direction.IN;
        ExprScope es = new ExprScope(siblings, null, name, "operation '" + operation + "'", "parameter",
                p.location());
        Type type = buildUse(p.type(), p.declarator(), p.attrs(), Position.PARAMETER, scope, es);
        if (out && !(type instanceof PointerType) && !(type instanceof ArrayType)
                && !(type.resolved() instanceof ContextHandleType) && !(type.resolved() instanceof PipeType)) {
            diagnostics.error(p.declarator().location(), "[out] parameter '" + name + "' of operation '" + operation
                    + "' must be a pointer or an array");
        }
        Optional<Expression> switchIs = switchIs(p.attrs(), es);
        checkUnionUse(type, switchIs, "parameter '" + name + "' of operation '" + operation + "'",
                p.declarator().location());
        return new Parameter(name, direction, type, switchIs, range(p.attrs()), has(p.attrs(), "retval"),
                attributes(p.attrs()), p.declarator().location());
    }

    private Optional<Expression> switchIs(List<Attr> attrs, ExprScope es) {
        for (Attr a : attrs) {
            if (a.is("switch_is") && !a.args().isEmpty() && a.args().get(0).isPresent()) {
                Expression e = a.args().get(0).get();
                return Optional.of(resolveExpr(e, withAttribute(es, "switch_is(" + e.render() + ")", a)));
            }
        }
        return Optional.empty();
    }

    /** switch_is needs a non-encapsulated union behind it, and such a union needs a switch_is. */
    private void checkUnionUse(Type type, Optional<Expression> switchIs, String subject, Location location) {
        checks.add(() -> {
            Type inner = unwrap(type);
            boolean union = inner instanceof UnionType u && !u.encapsulated();
            if (switchIs.isPresent() && !union) {
                diagnostics.error(location, "switch_is on " + subject + ", but its type '" + type.displayName()
                        + "' is not a non-encapsulated union");
            } else if (switchIs.isEmpty() && union && directlyUnion(type)) {
                diagnostics.error(location, subject + " has union type '" + type.displayName()
                        + "' but no switch_is to select its arm");
            }
        });
    }

    /** The union a switch_is would select: through references, pointers and arrays. */
    private static Type unwrap(Type type) {
        Type t = type.resolved();
        while (true) {
            if (t instanceof PointerType p) {
                t = p.target().resolved();
            } else if (t instanceof ArrayType a) {
                t = a.element().resolved();
            } else {
                return t;
            }
        }
    }

    /** Only a union reached without an array in between needs switch_is on the declaration itself. */
    private static boolean directlyUnion(Type type) {
        Type t = type.resolved();
        while (t instanceof PointerType p) {
            t = p.target().resolved();
        }
        return t instanceof UnionType;
    }

    private Optional<Range> range(List<Attr> attrs) {
        for (Attr a : attrs) {
            if (a.is("range")) {
                if (a.args().size() != 2 || a.args().get(0).isEmpty() || a.args().get(1).isEmpty()) {
                    diagnostics.error(a.location(), "range needs two bounds, range(low, high)");
                    return Optional.empty();
                }
                OptionalLong lo = constant(a.args().get(0).get(), ExprScope.constant("range bound", a.location()));
                OptionalLong hi = constant(a.args().get(1).get(), ExprScope.constant("range bound", a.location()));
                if (lo.isPresent() && hi.isPresent()) {
                    return Optional.of(new Range(lo.getAsLong(), hi.getAsLong()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The type of a declaration as used: flattens the declarator together with any pointer or array typedefs
     * it names, applies the pointer, string, context-handle and bound attributes level by level (outermost
     * first: {@code size_is(, *n)} sizes the second level), then builds the type from the inside out.
     */
    private Type buildUse(TypeSpec spec, Declarator declarator, List<Attr> attrs, Position position, Scope scope,
                          ExprScope es) {
        Flat flat = flatten(spec, declarator, attrs, scope);
        List<Level> levels = flat.levels();
        PointerKind useKind = null;
        for (Attr a : attrs) {
            PointerKind k = PointerKind.forAttribute(a.name());
            if (k != null) {
                useKind = k;
            }
        }
        if (useKind != null) {
            Level firstPointer = levels.stream().filter(l -> l.pointer).findFirst().orElse(null);
            if (firstPointer == null) {
                diagnostics.warn(declarator.location(), "[" + useKind.attribute() + "] on '" + es.subject()
                        + "', which is not a pointer, ignored");
            } else {
                firstPointer.explicit = useKind;
            }
        }
        Map<String, List<Optional<Expression>>> bounds = new HashMap<>();
        for (Attr a : attrs) {
            if (BOUND_ATTRIBUTES.contains(a.name())) {
                List<Optional<Expression>> resolved = new ArrayList<>();
                for (Optional<Expression> e : a.args()) {
                    resolved.add(e.map(x -> resolveExpr(x, withAttribute(es, a.name() + "(" + x.render() + ")", a))));
                }
                bounds.put(a.name(), resolved);
            }
        }
        int positions = 0;
        for (Level l : levels) {
            positions += l.pointer ? 1 : l.bounds.size();
        }
        for (var e : bounds.entrySet()) {
            if (e.getValue().size() > positions) {
                diagnostics.error(declarator.location(), e.getKey() + " on '" + es.subject() + "' has "
                        + e.getValue().size() + " positions but the declaration has only " + positions
                        + " pointer or array levels");
            }
        }

        Type t;
        if ((flat.base() instanceof UnionSpec || flat.base() instanceof StructSpec) && !canonical.containsKey(flat.base())) {
            // A body declared inline in a member: named after the member, and distinct from any other inline body
            // of that name (MS-LSAD's LSA_FOREST_TRUST_RECORD and LSA_FOREST_TRUST_RECORD2 both hold a different
            // union ForestTrustData). A union takes its switch_type from the member's attributes, as MIDL does.
            List<Attr> bodyAttrs = flat.base() instanceof UnionSpec
                    ? attrs.stream().filter(a -> a.is("switch_type")).toList() : List.of();
            t = buildBody(flat.base(), inlineName(flat.base(), es.subject()), bodyAttrs, flat.baseScope());
        } else {
            t = resolveBase(flat.base(), flat.baseScope(), es.subject());
        }
        int last = levels.size() - 1;
        if (has(attrs, "context_handle") && last >= 0 && levels.get(last).pointer && t instanceof VoidType) {
            t = new ContextHandleType("", has(attrs, "context_handle_noserialize"),
                    has(attrs, "context_handle_serialize"));
            last--;
        }
        if (flat.string() && last < 0) {
            diagnostics.error(declarator.location(), "[string] on '" + es.subject()
                    + "', which is neither an array nor a pointer");
        }
        int[] firstPosition = new int[levels.size()];
        for (int i = 0, p = 0; i < levels.size(); i++) {
            firstPosition[i] = p;
            p += levels.get(i).pointer ? 1 : levels.get(i).bounds.size();
        }
        for (int i = last; i >= 0; i--) {
            Level l = levels.get(i);
            boolean innermost = i == last;
            Optional<StringAttr> string = innermost && flat.string()
                    ? Optional.of(stringAttr(t, declarator.location(), es.subject())) : Optional.empty();
            if (l.pointer) {
                PointerKind kind = l.explicit != null ? l.explicit
                        : i == 0 && position == Position.PARAMETER ? PointerKind.REF : l.scopeDefault;
                ArrayDimension dim = dimension(bounds, firstPosition[i], null);
                if (dim != null || string.isPresent()) {
                    if (dim == null) {
                        dim = new ArrayDimension(OptionalLong.empty(), Optional.empty(), Optional.empty(),
                                Optional.empty(), Optional.empty(), Optional.empty());
                    }
                    t = new ArrayType(t, List.of(dim), string);
                }
                t = new PointerType(kind, t);
            } else {
                List<ArrayDimension> dims = new ArrayList<>();
                for (int j = 0; j < l.bounds.size(); j++) {
                    Expression b = l.bounds.get(j);
                    OptionalLong fixed = b == null ? OptionalLong.empty()
                            : constant(b, ExprScope.constant("array bound", declarator.location()));
                    ArrayDimension dim = dimension(bounds, firstPosition[i] + j, fixed);
                    if (dim == null) {
                        dim = new ArrayDimension(fixed, Optional.empty(), Optional.empty(), Optional.empty(),
                                Optional.empty(), Optional.empty());
                    }
                    if (b == null && dim.conformant() && dim.sizeIs().isEmpty() && dim.maxIs().isEmpty()
                            && string.isEmpty()) {
                        diagnostics.error(declarator.location(), "conformant array '" + es.subject()
                                + "' needs size_is or max_is");
                    }
                    dims.add(dim);
                }
                t = new ArrayType(t, dims, string);
            }
        }
        return t;
    }

    private static ExprScope withAttribute(ExprScope es, String attribute, Attr a) {
        return new ExprScope(es.names(), attribute, es.subject(), es.owner(), es.memberKind(), a.location());
    }

    private ArrayDimension dimension(Map<String, List<Optional<Expression>>> bounds, int position, OptionalLong fixed) {
        List<Optional<Expression>> found = new ArrayList<>();
        boolean any = false;
        for (String attribute : BOUND_ATTRIBUTES) {
            List<Optional<Expression>> list = bounds.get(attribute);
            Optional<Expression> e = list != null && position < list.size() ? list.get(position) : Optional.empty();
            found.add(e);
            any |= e.isPresent();
        }
        if (!any) {
            return null;
        }
        boolean conformant = found.get(0).isPresent() || found.get(1).isPresent();
        OptionalLong size = conformant || fixed == null ? OptionalLong.empty() : fixed;
        return new ArrayDimension(size, found.get(0), found.get(1), found.get(2), found.get(3), found.get(4));
    }

    private StringAttr stringAttr(Type element, Location location, String subject) {
        if (element.resolved() instanceof PrimitiveType p && p.isCharacter()) {
            return new StringAttr(p.layout().ndr20Size() == 2 ? 2 : 1);
        }
        if (element.resolved() instanceof StructType s) {
            return new StringAttr((int) Math.max(1, s.layout().ndr20Size()));
        }
        diagnostics.error(location, "[string] on '" + subject + "' needs a character element type, not '"
                + element.displayName() + "'");
        return new StringAttr(1);
    }

    private Flat flatten(TypeSpec spec, Declarator declarator, List<Attr> attrs, Scope scope) {
        List<Level> levels = new ArrayList<>();
        addLevels(levels, declarator, scope);
        boolean string = has(attrs, "string");
        TypeSpec base = spec;
        Scope baseScope = scope;
        int depth = 0;
        while (expanding(base, 0) && depth++ < 32) {
            AliasDef a = (AliasDef) names.get(((Named) base).name());
            List<Level> inner = new ArrayList<>();
            addLevels(inner, a.declarator(), a.scope());
            for (Attr attr : a.stmt().attrs()) {
                PointerKind k = PointerKind.forAttribute(attr.name());
                if (k != null) {
                    inner.stream().filter(l -> l.pointer).findFirst().ifPresent(l -> l.explicit = k);
                }
            }
            string |= has(a.stmt().attrs(), "string");
            levels.addAll(inner);
            base = a.stmt().type();
            baseScope = a.scope();
        }
        return new Flat(base, baseScope, levels, string);
    }

    /** A C declarator {@code *a[2]} is an array of pointers: arrays are the outer levels. */
    private static void addLevels(List<Level> levels, Declarator d, Scope scope) {
        if (!d.arrayBounds().isEmpty()) {
            levels.add(new Level(false, null, scope.pointerDefault(), d.arrayBounds()));
        }
        for (int i = 0; i < d.pointers(); i++) {
            levels.add(new Level(true, null, scope.pointerDefault(), List.of()));
        }
    }

    // ------------------------------------------------------------------ expressions and constants

    private Expression resolveExpr(Expression e, ExprScope es) {
        return switch (e) {
            case Expression.Identifier id -> {
                if (es.names().contains(id.name())) {
                    yield id;
                }
                if (constDefs.containsKey(id.name())) {
                    OptionalLong v = constantValue(id.name(), es.location());
                    yield v.isPresent() ? new Expression.ConstantRef(id.name(), v.getAsLong()) : id;
                }
                if (es.owner() == null) {
                    diagnostics.error(es.location(), "'" + id.name() + "' in " + es.attribute()
                            + " is not a constant");
                } else {
                    String kind = es.memberKind().equals("parameter") ? "a parameter" : "a member";
                    diagnostics.error(es.location(), es.attribute() + " on " + es.memberKind()
                            + " '" + es.subject() + "' of " + es.owner() + " names '" + id.name()
                            + "', which is neither " + kind + " of " + es.owner() + " nor a constant");
                }
                yield id;
            }
            case Expression.Deref d -> new Expression.Deref(resolveExpr(d.operand(), es));
            case Expression.Member m -> new Expression.Member(resolveExpr(m.target(), es), m.member(), m.arrow());
            case Expression.Unary u -> new Expression.Unary(u.operator(), resolveExpr(u.operand(), es));
            case Expression.Binary b -> new Expression.Binary(b.operator(), resolveExpr(b.left(), es),
                    resolveExpr(b.right(), es));
            case Expression.Conditional c -> new Expression.Conditional(resolveExpr(c.condition(), es),
                    resolveExpr(c.then(), es), resolveExpr(c.otherwise(), es));
            case Expression.Cast c -> new Expression.Cast(c.typeName(), resolveExpr(c.operand(), es));
            case Expression.IntegerLiteral l -> l;
            case Expression.StringLiteral s -> s;
            case Expression.ConstantRef r -> r;
        };
    }

    /** The value of a constant expression, reporting an error when it is not constant. */
    private OptionalLong constant(Expression e, ExprScope es) {
        int errors = diagnostics.errors().size();
        OptionalLong v = resolveExpr(e, es).constantValue();
        if (v.isEmpty() && diagnostics.errors().size() == errors) {
            diagnostics.error(es.location(), es.attribute() + " '" + e.render() + "' is not a constant expression");
        }
        return v;
    }

    private OptionalLong constantValue(String name, Location usedAt) {
        Long cached = constValues.get(name);
        if (cached != null) {
            return OptionalLong.of(cached);
        }
        ConstDef def = constDefs.get(name);
        if (def.enumSpec() != null) {
            if (enumsEvaluating.contains(def.enumSpec())) {
                diagnostics.error(usedAt, "enumerator '" + name + "' is used before its value is defined");
                return OptionalLong.empty();
            }
            enumValues(def.enumSpec());
            cached = constValues.get(name);
            return cached == null ? OptionalLong.empty() : OptionalLong.of(cached);
        }
        if (failedConstants.contains(name)) {
            return OptionalLong.empty();
        }
        if (!evaluating.add(name)) {
            diagnostics.error(def.location(), "constant '" + name + "' is defined in terms of itself");
            failedConstants.add(name);
            return OptionalLong.empty();
        }
        try {
            Constant c = constantNamed(name);
            return c == null ? OptionalLong.empty() : c.value().constantValue();
        } finally {
            evaluating.remove(name);
        }
    }

    private Constant constantNamed(String name) {
        Constant done = constants.get(name);
        if (done != null) {
            return done;
        }
        ConstDef def = constDefs.get(name);
        if (def.enumSpec() != null) {
            enumValues(def.enumSpec());
            return constants.get(name);
        }
        Ast.Const c = def.decl();
        if (failedConstants.contains(name)) {
            return null;
        }
        evaluating.add(name);
        int errors = diagnostics.errors().size();
        try {
            Type type = buildUse(c.type(), c.declarator(), List.of(), Position.EMBEDDED, def.scope(),
                    new ExprScope(Set.of(), "constant", name, null, null, c.location()));
            Expression resolved = resolveExpr(c.value(), ExprScope.constant("constant " + name, c.location()));
            Expression value;
            if (resolved instanceof Expression.StringLiteral s) {
                value = s;
            } else if (resolved.constantValue().isPresent()) {
                value = new Expression.IntegerLiteral(resolved.constantValue().getAsLong());
                constValues.put(name, resolved.constantValue().getAsLong());
            } else {
                if (diagnostics.errors().size() == errors) {
                    diagnostics.error(c.location(), "value of constant '" + name + "' is not a constant expression");
                }
                failedConstants.add(name);
                return null;
            }
            Constant constant = new Constant(name, type, value, c.location());
            constants.put(name, constant);
            return constant;
        } finally {
            evaluating.remove(name);
        }
    }

    private final Map<EnumSpec, long[]> enumCache = new IdentityHashMap<>();

    private long[] enumValues(EnumSpec e) {
        long[] done = enumCache.get(e);
        if (done != null) {
            return done;
        }
        enumsEvaluating.add(e);
        long[] values = new long[e.values().size()];
        long next = 0;
        String typeName = canonical.getOrDefault(e, e.tag() == null ? "enum" : e.tag());
        for (int i = 0; i < values.length; i++) {
            Ast.Enumerator v = e.values().get(i);
            if (v.value() != null) {
                OptionalLong x = constant(v.value(), ExprScope.constant("value of enumerator " + v.name(), v.location()));
                next = x.orElse(next);
            }
            values[i] = next;
            if (constDefs.get(v.name()) != null && constDefs.get(v.name()).enumSpec() == e) {
                constValues.put(v.name(), next);
                Type enumType = canonical.containsKey(e) ? new TypeReference(typeName, table) : PrimitiveType.LONG;
                constants.put(v.name(), new Constant(v.name(), enumType,
                        new Expression.IntegerLiteral(next), v.location()));
            }
            next++;
        }
        enumsEvaluating.remove(e);
        enumCache.put(e, values);
        return values;
    }

    // ------------------------------------------------------------------ interfaces and operations

    private Interface buildInterface(Ast.InterfaceDecl decl) {
        Scope scope = interfaceScope(decl);
        Optional<UUID> uuid = Optional.empty();
        Version version = new Version(0, 0);
        List<String> endpoints = new ArrayList<>();
        for (Attr a : decl.attrs()) {
            switch (a.name()) {
                case "uuid" -> uuid = parseUuid(a);
                case "version" -> version = parseVersion(a, version);
                case "endpoint" -> a.args().forEach(e -> e.ifPresent(x -> endpoints.add(
                        x instanceof Expression.StringLiteral s ? s.value() : x.render())));
                default -> {
                }
            }
        }
        List<TypeDef> types = new ArrayList<>();
        List<Constant> ifConstants = new ArrayList<>();
        List<Operation> operations = new ArrayList<>();
        for (Item item : decl.body()) {
            switch (item) {
                case Ast.Operation o -> operations.add(buildOperation(o, operations.size(), scope));
                case Ast.Const c -> Optional.ofNullable(constants.get(c.declarator().name())).ifPresent(ifConstants::add);
                default -> types.addAll(typeDefsOf(item));
            }
        }
        return new Interface(decl.name(), uuid, version, scope.pointerDefault(), scope.msUnion(), endpoints,
                Optional.ofNullable(decl.base()), attributes(decl.attrs()), types, ifConstants, operations,
                decl.location());
    }

    private List<TypeDef> typeDefsOf(Item item) {
        List<TypeDef> out = new ArrayList<>();
        for (String name : declaredBy.getOrDefault(item, List.of())) {
            Type t = table.apply(name);
            if (t != null) {
                out.add(new TypeDef(name, t, names.get(name).location()));
            }
        }
        return out;
    }

    private Optional<UUID> parseUuid(Attr a) {
        String text = a.raw().strip();
        if (text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2) {
            text = text.substring(1, text.length() - 1);
        }
        if (!UUID_TEXT.matcher(text).matches()) {
            diagnostics.error(a.location(), "malformed uuid '" + text + "': expected 8-4-4-4-12 hexadecimal digits");
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }

    private Version parseVersion(Attr a, Version fallback) {
        String text = a.raw().strip();
        String[] parts = text.split("\\.", -1);
        try {
            if (parts.length <= 2) {
                int major = Integer.parseInt(parts[0]);
                int minor = parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
                if (major >= 0 && major <= 0xFFFF && minor >= 0 && minor <= 0xFFFF) {
                    return new Version(major, minor);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        diagnostics.error(a.location(), "malformed version '" + text + "': expected major.minor, each 0..65535");
        return fallback;
    }

    private Operation buildOperation(Ast.Operation o, int opnum, Scope scope) {
        Set<String> paramNames = new HashSet<>();
        o.params().forEach(p -> {
            if (p.declarator().name() != null && !paramNames.add(p.declarator().name())) {
                diagnostics.error(p.declarator().location(), "duplicate parameter '" + p.declarator().name()
                        + "' in operation '" + o.name() + "'");
            }
        });
        List<Parameter> params = new ArrayList<>();
        for (int i = 0; i < o.params().size(); i++) {
            params.add(buildParam(o.params().get(i), i, scope, paramNames, o.name()));
        }
        Type returnType = buildUse(o.returnType(), new Declarator(null, o.returnPointers(), List.of(), o.location()),
                o.attrs(), Position.RETURN, scope,
                new ExprScope(paramNames, null, "return value", "operation '" + o.name() + "'", "parameter",
                        o.location()));
        return new Operation(o.name(), opnum, returnType, params, has(o.attrs(), "callback"), attributes(o.attrs()),
                o.location());
    }

    // ------------------------------------------------------------------ checks

    /** A struct or union that contains itself other than through a pointer has no finite size. */
    private void checkByValueCycles() {
        Map<String, Integer> state = new HashMap<>();
        for (String name : names.keySet()) {
            visitByValue(name, state, new ArrayList<>());
        }
    }

    private void visitByValue(String name, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            int from = path.indexOf(name);
            List<String> cycle = new ArrayList<>(path.subList(from, path.size()));
            cycle.add(name);
            diagnostics.error(names.get(name).location(), "type '" + name + "' contains itself by value ("
                    + String.join(" -> ", cycle) + "); use a pointer");
            return;
        }
        state.put(name, 1);
        path.add(name);
        Type t = table.apply(name);
        if (t != null) {
            for (String next : byValueNames(t)) {
                if (names.containsKey(next)) {
                    visitByValue(next, state, path);
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
    }

    private static List<String> byValueNames(Type t) {
        List<String> out = new ArrayList<>();
        collectByValue(t, out);
        return out;
    }

    private static void collectByValue(Type t, List<String> out) {
        switch (t) {
            case TypeReference r -> out.add(r.name());
            case StructType s -> s.members().forEach(m -> collectByValue(m.type(), out));
            case UnionType u -> u.arms().forEach(a -> a.field().ifPresent(f -> collectByValue(f.type(), out)));
            case ArrayType a -> collectByValue(a.element(), out);
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ attributes

    private static boolean has(List<Attr> attrs, String name) {
        for (Attr a : attrs) {
            if (a.is(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<Attribute> attributes(List<Attr> attrs) {
        List<Attribute> out = new ArrayList<>();
        for (Attr a : attrs) {
            List<String> args = new ArrayList<>();
            if (a.raw() != null) {
                args.add(a.raw());
            } else if (a.typeArg() != null) {
                args.add(specText(a.typeArg()));
            } else {
                a.args().forEach(e -> args.add(e.map(Expression::render).orElse("")));
            }
            out.add(new Attribute(a.name(), args, a.location()));
        }
        return out;
    }

    private static String specText(TypeSpec spec) {
        return switch (spec) {
            case Builtin b -> b.word();
            case Named n -> n.tagKind() == null ? n.name() : n.tagKind() + " " + n.name();
            case PipeSpec p -> "pipe " + specText(p.element());
            default -> kindOf(spec);
        };
    }
}
