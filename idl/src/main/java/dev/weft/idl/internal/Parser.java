package dev.weft.idl.internal;

import dev.weft.idl.internal.Ast.Arm;
import dev.weft.idl.internal.Ast.Attr;
import dev.weft.idl.internal.Ast.Builtin;
import dev.weft.idl.internal.Ast.Const;
import dev.weft.idl.internal.Ast.Declarator;
import dev.weft.idl.internal.Ast.EnumSpec;
import dev.weft.idl.internal.Ast.Enumerator;
import dev.weft.idl.internal.Ast.Import;
import dev.weft.idl.internal.Ast.InterfaceDecl;
import dev.weft.idl.internal.Ast.Item;
import dev.weft.idl.internal.Ast.Member;
import dev.weft.idl.internal.Ast.Named;
import dev.weft.idl.internal.Ast.Param;
import dev.weft.idl.internal.Ast.PipeSpec;
import dev.weft.idl.internal.Ast.StructSpec;
import dev.weft.idl.internal.Ast.TagDecl;
import dev.weft.idl.internal.Ast.TypeSpec;
import dev.weft.idl.internal.Ast.Typedef;
import dev.weft.idl.internal.Ast.UnionSpec;
import dev.weft.idl.internal.Token.Kind;
import dev.weft.idl.model.Expression;
import dev.weft.idl.model.Location;
import dev.weft.idl.model.PrimitiveType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recursive-descent parser for MIDL-syntax IDL (the MIDL language reference, C706 chapter 4, and the
 * extensions of MS-RPCE 2.2.4), producing an {@link Ast.File}. Stops at the first syntax error.
 */
final class Parser {
    /** Words that start or continue a built-in type. */
    private static final Set<String> TYPE_WORDS = Set.of("unsigned", "signed", "short", "long", "int", "small",
            "hyper", "char", "byte", "boolean", "float", "double", "wchar_t", "__int8", "__int16", "__int32",
            "__int64", "__int3264", "void", "handle_t", "error_status_t");
    /** Qualifiers and decorations that carry nothing for NDR. */
    private static final Set<String> IGNORED_QUALIFIERS = Set.of("const", "volatile", "__RPC_FAR", "__RPC_USER",
            "__RPC_API", "__stdcall", "__cdecl", "_stdcall", "__far", "far", "__near");

    /**
     * Attributes this compiler knows. Those the model does not interpret are still kept; anything else is
     * kept with a warning, because a misspelt attribute (say {@code sizeis}) would otherwise change the wire
     * format silently.
     */
    private static final Set<String> KNOWN_ATTRIBUTES = Set.of("in", "out", "ref", "unique", "ptr", "string",
            "size_is", "length_is", "max_is", "min_is", "first_is", "last_is", "switch_is", "switch_type", "case",
            "default", "range", "context_handle", "context_handle_noserialize", "context_handle_serialize",
            "strict_context_handle", "type_strict_context_handle", "retval", "callback", "v1_enum", "ms_union",
            "uuid", "version", "pointer_default", "endpoint", "helpstring", "helpcontext", "local", "object",
            "public", "idempotent", "broadcast", "maybe", "async", "iid_is", "transmit_as", "represent_as",
            "wire_marshal", "user_marshal", "handle", "ignore", "notify", "notify_flag", "message", "comm_status",
            "fault_status", "annotation", "partial_ignore", "force_allocate", "disable_consistency_check",
            "optimize", "implicit_handle", "auto_handle", "explicit_handle", "encode", "decode", "allocate",
            "byte_count", "nocode", "code", "call_as", "async_uuid", "hidden", "restricted", "id", "source",
            "defaultvalue", "optional", "readonly", "dual", "oleautomation", "propget", "propput", "propputref",
            "lcid", "unsigned_bytes");

    private final Lexer lexer;
    private final Diagnostics diagnostics;
    private final java.util.function.Consumer<Import> onImport;
    private final Set<String> typeNames;
    private final List<Token> lookahead = new ArrayList<>();
    private StringBuilder recording;

    /**
     * @param onImport  called for each import as it is read
     * @param typeNames typedef names known so far, shared across the files of one compilation; the parser
     *                  adds the names it declares. It only uses them to tell a cast {@code (DWORD) x} from a
     *                  parenthesised expression.
     */
    Parser(String fileName, String source, Diagnostics diagnostics, Set<String> typeNames,
           java.util.function.Consumer<Import> onImport) {
        this.lexer = new Lexer(fileName, source, diagnostics);
        this.onImport = onImport;
        this.diagnostics = diagnostics;
        this.typeNames = typeNames;
    }

    // ---------------------------------------------------------------- token plumbing

    private Token peek(int n) {
        while (lookahead.size() <= n) {
            lookahead.add(lexer.next());
        }
        return lookahead.get(n);
    }

    private Token peek() {
        return peek(0);
    }

    private Token advance() {
        Token t = peek();
        lookahead.remove(0);
        if (recording != null && t.kind() != Kind.EOF) {
            if (!recording.isEmpty()) {
                recording.append(' ');
            }
            recording.append(t.kind() == Kind.STRING ? "\"" + t.text() + "\"" : t.text());
        }
        return t;
    }

    private boolean at(String text) {
        return peek().is(text);
    }

    private boolean accept(String text) {
        if (at(text)) {
            advance();
            return true;
        }
        return false;
    }

    private Token expect(String text, String context) {
        if (!at(text)) {
            throw error("expected '" + text + "' " + context + ", found " + peek().describe());
        }
        return advance();
    }

    private String expectIdentifier(String what) {
        if (peek().kind() != Kind.IDENTIFIER) {
            throw error("expected " + what + ", found " + peek().describe());
        }
        return advance().text();
    }

    private SyntaxError error(String message) {
        return new SyntaxError(peek().location(), message);
    }

    // ---------------------------------------------------------------- file and interface

    Ast.File parseFile(String name) {
        List<Item> items = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            parseItem(items, false);
        }
        return new Ast.File(name, items);
    }

    /** One top-level or interface-body item, appended to {@code items} (directives append nothing). */
    private void parseItem(List<Item> items, boolean inInterface) {
        Token t = peek();
        if (accept(";")) {
            return;
        }
        if (t.is("import")) {
            parseImport(items);
        } else if (t.is("cpp_quote")) {
            advance();
            skipParenthesised("cpp_quote");
            accept(";");
            diagnostics.warn(t.location(), "cpp_quote ignored");
        } else if (t.is("midl_pragma")) {
            advance();
            expectIdentifier("a pragma name after midl_pragma");
            skipParenthesised("midl_pragma");
            accept(";");
            diagnostics.warn(t.location(), "midl_pragma ignored");
        } else if (t.is("typedef")) {
            items.add(parseTypedef());
        } else if (t.is("const")) {
            items.add(parseConst());
        } else if (!inInterface && (t.is("[") || t.is("interface") || t.is("object") || t.is("local"))) {
            parseInterfaceOrForward(items);
        } else if (!inInterface && (t.is("library") || t.is("coclass") || t.is("dispinterface") || t.is("module"))) {
            throw error("'" + t.text() + "' is not supported: Weft compiles RPC interfaces, not type libraries");
        } else if (inInterface) {
            parseOperationOrTagDecl(items);
        } else if (t.is("struct") || t.is("union") || t.is("enum")) {
            TypeSpec spec = parseTypeSpec();
            expect(";", "after " + t.text() + " declaration");
            items.add(new TagDecl(spec, t.location()));
        } else {
            throw error("expected 'import', 'typedef', 'const' or an interface, found " + t.describe());
        }
    }

    private void parseImport(List<Item> items) {
        advance();
        do {
            Token name = peek();
            if (name.kind() != Kind.STRING) {
                throw error("expected a file name string after 'import', found " + name.describe());
            }
            advance();
            Import i = new Import(name.text(), name.location());
            onImport.accept(i); // load it now, so its type names are known for the rest of this file
            items.add(i);
        } while (accept(","));
        expect(";", "after import");
    }

    private void parseInterfaceOrForward(List<Item> items) {
        Location start = peek().location();
        List<Attr> attrs = parseAttributeLists();
        // MIDL also accepts the DCE keyword-style "object"/"local" only inside brackets; here we insist on it.
        if (!at("interface")) {
            throw error("expected 'interface' after attribute list, found " + peek().describe());
        }
        advance();
        String name = expectIdentifier("an interface name");
        if (accept(";")) {
            return; // forward declaration: nothing to record
        }
        String base = null;
        if (accept(":")) {
            base = expectIdentifier("a base interface name after ':'");
        }
        expect("{", "to open interface " + name);
        List<Item> body = new ArrayList<>();
        while (!at("}")) {
            if (peek().kind() == Kind.EOF) {
                throw error("expected '}' to close interface " + name + ", found end of file");
            }
            parseItem(body, true);
        }
        advance();
        accept(";");
        items.add(new InterfaceDecl(attrs, name, base, body, start));
    }

    private void parseOperationOrTagDecl(List<Item> items) {
        Location start = peek().location();
        List<Attr> attrs = parseAttributeLists();
        TypeSpec type = parseTypeSpec();
        if (accept(";")) {
            if (!attrs.isEmpty()) {
                diagnostics.warn(start, "attributes on a type declaration without typedef ignored");
            }
            items.add(new TagDecl(type, start));
            return;
        }
        int pointers = 0;
        while (true) {
            if (accept("*")) {
                pointers++;
            } else if (!skipQualifier()) {
                break;
            }
        }
        String name = expectIdentifier("an operation name");
        expect("(", "after operation name " + name);
        List<Param> params = new ArrayList<>();
        if (at("void") && peek(1).is(")")) {
            advance();
        } else if (!at(")")) {
            do {
                params.add(parseParam());
            } while (accept(","));
        }
        expect(")", "after the parameters of " + name);
        expect(";", "after operation " + name);
        items.add(new Ast.Operation(attrs, type, pointers, name, params, start));
    }

    private Param parseParam() {
        Location start = peek().location();
        List<Attr> attrs = parseAttributeLists();
        TypeSpec type = parseTypeSpec();
        Declarator d = parseDeclarator(true);
        return new Param(attrs, type, d, start);
    }

    // ---------------------------------------------------------------- declarations

    private Typedef parseTypedef() {
        Location start = peek().location();
        recording = new StringBuilder();
        try {
            advance();
            List<Attr> attrs = parseAttributeLists();
            TypeSpec type = parseTypeSpec();
            List<Declarator> declarators = new ArrayList<>();
            do {
                declarators.add(parseDeclarator(false));
            } while (accept(","));
            if (!at(";")) {
                throw error("expected ';' after typedef, found " + peek().describe());
            }
            advance();
            for (Declarator d : declarators) {
                typeNames.add(d.name());
            }
            return new Typedef(attrs, type, declarators, recording.toString(), start);
        } finally {
            recording = null;
        }
    }

    private Const parseConst() {
        Location start = peek().location();
        advance();
        TypeSpec type = parseTypeSpec();
        Declarator d = parseDeclarator(false);
        expect("=", "after constant name " + d.name());
        Expression value = parseExpression();
        expect(";", "after constant " + d.name());
        return new Const(type, d, value, start);
    }

    /** {@code [a, b(x)] [c]}: any number of bracketed lists, flattened. */
    private List<Attr> parseAttributeLists() {
        List<Attr> attrs = new ArrayList<>();
        while (at("[")) {
            advance();
            if (!at("]")) {
                do {
                    attrs.add(parseAttribute());
                } while (accept(","));
            }
            expect("]", "to close attribute list");
        }
        return attrs;
    }

    private Attr parseAttribute() {
        Token nameToken = peek();
        String name = expectIdentifier("an attribute name");
        Location at = nameToken.location();
        if (!KNOWN_ATTRIBUTES.contains(name)) {
            diagnostics.warn(at, "unknown attribute '" + name + "' ignored");
        }
        if (!at("(")) {
            return new Attr(name, List.of(), null, null, at);
        }
        switch (name) {
            case "uuid" -> {
                advance();
                return new Attr(name, List.of(), null, rawUntilCloseParen(), at);
            }
            case "version" -> {
                advance();
                String raw = rawUntilCloseParen();
                return new Attr(name, List.of(), null, raw, at);
            }
            case "switch_type", "transmit_as", "represent_as", "wire_marshal", "user_marshal" -> {
                advance();
                TypeSpec type = parseTypeSpec();
                while (accept("*")) {
                    // transmit_as(T *) is legal; the pointer does not matter to the model
                }
                expect(")", "after " + name + " type");
                return new Attr(name, List.of(), type, null, at);
            }
            default -> {
                advance();
                List<Optional<Expression>> args = new ArrayList<>();
                if (!at(")")) {
                    while (true) {
                        if (at(",") || at(")")) {
                            args.add(Optional.empty());
                        } else {
                            args.add(Optional.of(parseConditional()));
                        }
                        if (!accept(",")) {
                            break;
                        }
                    }
                }
                expect(")", "after the arguments of attribute " + name);
                return new Attr(name, args, null, null, at);
            }
        }
    }

    /** The text of the tokens up to the matching ')', glued together: for uuid(...) and version(...). */
    private String rawUntilCloseParen() {
        StringBuilder b = new StringBuilder();
        while (!at(")")) {
            Token t = peek();
            if (t.kind() == Kind.EOF || t.is(";") || t.is("]")) {
                throw error("expected ')' to close the attribute, found " + t.describe());
            }
            b.append(advance().text());
        }
        advance();
        return b.toString();
    }

    private void skipParenthesised(String what) {
        expect("(", "after " + what);
        int depth = 1;
        while (depth > 0) {
            Token t = advance();
            if (t.kind() == Kind.EOF) {
                throw new SyntaxError(t.location(), "expected ')' to close " + what + ", found end of file");
            }
            if (t.is("(")) {
                depth++;
            } else if (t.is(")")) {
                depth--;
            }
        }
    }

    private boolean skipQualifier() {
        if (peek().kind() == Kind.IDENTIFIER && IGNORED_QUALIFIERS.contains(peek().text())) {
            advance();
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- types

    TypeSpec parseTypeSpec() {
        while (skipQualifier()) {
            // const wchar_t *: const says nothing about the wire
        }
        Token t = peek();
        TypeSpec spec;
        if (t.is("struct")) {
            spec = parseStruct();
        } else if (t.is("union")) {
            spec = parseUnion();
        } else if (t.is("enum")) {
            spec = parseEnum();
        } else if (t.is("pipe")) {
            advance();
            spec = new PipeSpec(parseTypeSpec(), t.location());
        } else if (t.kind() == Kind.IDENTIFIER && TYPE_WORDS.contains(t.text())) {
            spec = parseBuiltin();
        } else if (t.kind() == Kind.IDENTIFIER) {
            advance();
            spec = new Named(t.text(), null, t.location());
        } else {
            throw error("expected a type, found " + t.describe());
        }
        while (skipQualifier()) {
            // wchar_t const *
        }
        return spec;
    }

    private TypeSpec parseBuiltin() {
        Location at = peek().location();
        String sign = null;
        List<String> words = new ArrayList<>();
        while (peek().kind() == Kind.IDENTIFIER && TYPE_WORDS.contains(peek().text())) {
            String w = advance().text();
            if (w.equals("unsigned") || w.equals("signed")) {
                sign = w;
            } else {
                words.add(w);
            }
            if (w.equals("void") || w.equals("handle_t") || w.equals("error_status_t")) {
                break;
            }
        }
        words.remove("int");
        boolean unsigned = "unsigned".equals(sign);
        String key = String.join(" ", words);
        if (words.isEmpty()) {
            key = "int"; // "unsigned", "signed int", "int"
        }
        PrimitiveType p = switch (key) {
            case "int", "long", "__int32", "long int" -> unsigned ? PrimitiveType.ULONG : PrimitiveType.LONG;
            case "short", "__int16" -> unsigned ? PrimitiveType.USHORT : PrimitiveType.SHORT;
            case "small", "__int8" -> unsigned ? PrimitiveType.USMALL : PrimitiveType.SMALL;
            case "char" -> unsigned ? PrimitiveType.UCHAR : "signed".equals(sign) ? PrimitiveType.SMALL
                    : PrimitiveType.CHAR;
            case "hyper", "__int64", "long long", "hyper int" -> unsigned ? PrimitiveType.UHYPER : PrimitiveType.HYPER;
            case "__int3264" -> unsigned ? PrimitiveType.UINT3264 : PrimitiveType.INT3264;
            case "byte" -> PrimitiveType.BYTE;
            case "boolean" -> PrimitiveType.BOOLEAN;
            case "float" -> PrimitiveType.FLOAT;
            case "double" -> PrimitiveType.DOUBLE;
            case "wchar_t" -> PrimitiveType.WCHAR;
            case "error_status_t" -> PrimitiveType.ERROR_STATUS_T;
            case "void", "handle_t" -> null;
            default -> throw new SyntaxError(at, "'" + (sign == null ? "" : sign + " ") + key
                    + "' is not a valid type");
        };
        boolean signable = p != null && switch (p) {
            case FLOAT, DOUBLE, BOOLEAN, BYTE, WCHAR, ERROR_STATUS_T -> false;
            default -> true;
        };
        if (sign != null && !signable) {
            throw new SyntaxError(at, "'" + sign + " " + key + "' is not a valid type");
        }
        return new Builtin(p, p == null ? key : p.idlName(), at);
    }

    private TypeSpec parseStruct() {
        Location at = advance().location();
        String tag = peek().kind() == Kind.IDENTIFIER ? advance().text() : null;
        if (!at("{")) {
            if (tag == null) {
                throw error("expected a struct tag or '{' after 'struct', found " + peek().describe());
            }
            return new Named(tag, "struct", at);
        }
        advance();
        List<Member> members = new ArrayList<>();
        while (!accept("}")) {
            parseMembers(members, "struct member");
        }
        return new StructSpec(tag, members, at);
    }

    /** One member declaration line, which may declare several members: {@code long a, *b;}. */
    private void parseMembers(List<Member> into, String what) {
        Location start = peek().location();
        if (peek().kind() == Kind.EOF) {
            throw error("expected '}' to close the struct, found end of file");
        }
        List<Attr> attrs = parseAttributeLists();
        TypeSpec type = parseTypeSpec();
        do {
            into.add(new Member(attrs, type, parseDeclarator(false), start));
        } while (accept(","));
        if (!at(";")) {
            throw error("expected ';' after " + what + ", found " + peek().describe());
        }
        advance();
    }

    private TypeSpec parseUnion() {
        Location at = advance().location();
        String tag = peek().kind() == Kind.IDENTIFIER && !at("switch") ? advance().text() : null;
        TypeSpec switchType = null;
        String discriminant = null;
        String armsName = null;
        if (accept("switch")) {
            expect("(", "after 'switch'");
            switchType = parseTypeSpec();
            discriminant = expectIdentifier("a discriminant name");
            expect(")", "after the discriminant");
            if (peek().kind() == Kind.IDENTIFIER) {
                armsName = advance().text();
            }
        }
        if (!at("{")) {
            if (tag == null || switchType != null) {
                throw error("expected '{' to open the union, found " + peek().describe());
            }
            return new Named(tag, "union", at);
        }
        advance();
        List<Arm> arms = new ArrayList<>();
        while (!accept("}")) {
            arms.add(parseArm());
        }
        return new UnionSpec(tag, switchType, discriminant, armsName, arms, at);
    }

    /** An arm: C706 {@code case 1: case 2: T x;} labels or MIDL {@code [case(1, 2)] T x;}, or empty. */
    private Arm parseArm() {
        Location start = peek().location();
        List<Expression> cases = new ArrayList<>();
        boolean isDefault = false;
        while (at("case") || at("default")) {
            if (advance().text().equals("default")) {
                isDefault = true;
            } else {
                cases.add(parseConditional());
            }
            expect(":", "after case label");
        }
        List<Attr> attrs = new ArrayList<>();
        for (Attr a : parseAttributeLists()) {
            if (a.is("case")) {
                for (Optional<Expression> e : a.args()) {
                    cases.add(e.orElseThrow(() -> new SyntaxError(a.location(), "empty case value")));
                }
            } else if (a.is("default")) {
                isDefault = true;
            } else {
                attrs.add(a);
            }
        }
        if (cases.isEmpty() && !isDefault) {
            throw new SyntaxError(start, "expected a case label or [default] on union arm, found "
                    + peek().describe());
        }
        if (accept(";")) {
            return new Arm(cases, isDefault, null, start);
        }
        List<Member> one = new ArrayList<>();
        parseMembers(one, "union arm");
        if (one.size() != 1) {
            throw new SyntaxError(start, "a union arm declares exactly one member");
        }
        Member m = one.get(0);
        return new Arm(cases, isDefault, new Member(attrs, m.type(), m.declarator(), m.location()), start);
    }

    private TypeSpec parseEnum() {
        Location at = advance().location();
        String tag = peek().kind() == Kind.IDENTIFIER ? advance().text() : null;
        if (!at("{")) {
            if (tag == null) {
                throw error("expected an enum tag or '{' after 'enum', found " + peek().describe());
            }
            return new Named(tag, "enum", at);
        }
        advance();
        List<Enumerator> values = new ArrayList<>();
        while (!accept("}")) {
            Token name = peek();
            String n = expectIdentifier("an enumerator name");
            Expression value = accept("=") ? parseConditional() : null;
            values.add(new Enumerator(n, value, name.location()));
            if (!accept(",")) {
                expect("}", "after enumerator " + n);
                break;
            }
        }
        return new EnumSpec(tag, values, at);
    }

    /** {@code * const * name [N][]}; the name is optional for parameters ({@code nameOptional}). */
    private Declarator parseDeclarator(boolean nameOptional) {
        Location at = peek().location();
        int pointers = 0;
        while (true) {
            if (accept("*")) {
                pointers++;
            } else if (!skipQualifier()) {
                break;
            }
        }
        String name = null;
        if (peek().kind() == Kind.IDENTIFIER) {
            at = peek().location();
            name = advance().text();
        } else if (!nameOptional) {
            throw error("expected a name, found " + peek().describe());
        }
        List<Expression> bounds = new ArrayList<>();
        while (accept("[")) {
            if (accept("]")) {
                bounds.add(null);
            } else if (at("*") && peek(1).is("]")) {
                advance();
                advance();
                bounds.add(null);
            } else {
                bounds.add(parseExpression());
                expect("]", "after array bound");
            }
        }
        return new Declarator(name, pointers, bounds, at);
    }

    // ---------------------------------------------------------------- expressions (C precedence)

    Expression parseExpression() {
        return parseConditional();
    }

    private Expression parseConditional() {
        Expression c = parseBinary(0);
        if (accept("?")) {
            Expression then = parseConditional();
            expect(":", "in conditional expression");
            return new Expression.Conditional(c, then, parseConditional());
        }
        return c;
    }

    private static final List<Set<String>> LEVELS = List.of(Set.of("||"), Set.of("&&"), Set.of("|"),
            Set.of("^"), Set.of("&"), Set.of("==", "!="), Set.of("<", ">", "<=", ">="), Set.of("<<", ">>"),
            Set.of("+", "-"), Set.of("*", "/", "%"));

    private Expression parseBinary(int level) {
        if (level == LEVELS.size()) {
            return parseUnary();
        }
        Expression left = parseBinary(level + 1);
        while (peek().kind() == Kind.PUNCT && LEVELS.get(level).contains(peek().text())) {
            String op = advance().text();
            left = new Expression.Binary(op, left, parseBinary(level + 1));
        }
        return left;
    }

    private Expression parseUnary() {
        Token t = peek();
        if (t.kind() == Kind.PUNCT) {
            switch (t.text()) {
                case "-", "+", "!", "~" -> {
                    advance();
                    return new Expression.Unary(t.text(), parseUnary());
                }
                case "*" -> {
                    advance();
                    return new Expression.Deref(parseUnary());
                }
                case "(" -> {
                    if (isCastAhead()) {
                        advance();
                        StringBuilder type = new StringBuilder();
                        while (!at(")")) {
                            if (!type.isEmpty()) {
                                type.append(' ');
                            }
                            type.append(advance().text());
                        }
                        advance();
                        return new Expression.Cast(type.toString(), parseUnary());
                    }
                }
                default -> {
                }
            }
        }
        return parsePostfix();
    }

    /** Whether '(' starts a cast: a built-in type word, or a known typedef name followed by ')' or '*'. */
    private boolean isCastAhead() {
        Token next = peek(1);
        if (next.kind() != Kind.IDENTIFIER) {
            return false;
        }
        if (TYPE_WORDS.contains(next.text()) || next.is("const")) {
            return true;
        }
        return typeNames.contains(next.text()) && (peek(2).is(")") || peek(2).is("*"));
    }

    private Expression parsePostfix() {
        Expression e = parsePrimary();
        while (at(".") || at("->")) {
            boolean arrow = advance().text().equals("->");
            e = new Expression.Member(e, expectIdentifier("a member name"), arrow);
        }
        return e;
    }

    private Expression parsePrimary() {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                advance();
                return new Expression.IntegerLiteral(parseNumber(t));
            }
            case CHARACTER -> {
                advance();
                return new Expression.IntegerLiteral(t.text().charAt(0));
            }
            case STRING -> {
                advance();
                StringBuilder s = new StringBuilder(t.text());
                while (peek().kind() == Kind.STRING) {
                    s.append(advance().text()); // "a" "b" concatenates, as in C
                }
                return new Expression.StringLiteral(s.toString());
            }
            case IDENTIFIER -> {
                advance();
                return switch (t.text()) {
                    case "TRUE", "true" -> new Expression.IntegerLiteral(1);
                    case "FALSE", "false" -> new Expression.IntegerLiteral(0);
                    default -> new Expression.Identifier(t.text());
                };
            }
            default -> {
                if (accept("(")) {
                    Expression e = parseExpression();
                    expect(")", "to close parenthesised expression");
                    return e;
                }
                throw error("expected an expression, found " + t.describe());
            }
        }
    }

    static long parseNumber(Token t) {
        String s = t.text();
        String digits = s.replaceAll("[uUlL]+$", "");
        try {
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                return Long.parseUnsignedLong(digits.substring(2), 16);
            }
            if (digits.length() > 1 && digits.startsWith("0")) {
                return Long.parseLong(digits.substring(1), 8);
            }
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new SyntaxError(t.location(), "malformed number '" + s + "'");
        }
    }
}
