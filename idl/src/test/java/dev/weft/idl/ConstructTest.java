package dev.weft.idl;

import dev.weft.idl.model.ArrayKind;
import dev.weft.idl.model.ArrayType;
import dev.weft.idl.model.Constant;
import dev.weft.idl.model.ContextHandleType;
import dev.weft.idl.model.Direction;
import dev.weft.idl.model.EnumType;
import dev.weft.idl.model.Expression;
import dev.weft.idl.model.Field;
import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.Interface;
import dev.weft.idl.model.Operation;
import dev.weft.idl.model.Parameter;
import dev.weft.idl.model.PipeType;
import dev.weft.idl.model.PointerKind;
import dev.weft.idl.model.PointerType;
import dev.weft.idl.model.PrimitiveType;
import dev.weft.idl.model.StructType;
import dev.weft.idl.model.Syntax;
import dev.weft.idl.model.TypeReference;
import dev.weft.idl.model.UnionType;
import dev.weft.idl.model.VoidType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.weft.idl.Idl.compile;
import static dev.weft.idl.Idl.field;
import static dev.weft.idl.Idl.inInterface;
import static dev.weft.idl.Idl.op;
import static dev.weft.idl.Idl.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One construct at a time, with assertions on the resolved model. */
class ConstructTest {

    @Test
    void primitiveCombinations() {
        IdlFile f = inInterface("""
                typedef struct {
                    unsigned long a; long b; unsigned short c; short d; unsigned char e; char f; byte g;
                    boolean h; hyper i; unsigned hyper j; unsigned __int64 k; __int64 l; small m;
                    unsigned small n; double o; float p; wchar_t q; __int3264 r; unsigned __int3264 s;
                    unsigned int t; int u; signed char v; long long w; unsigned __int32 x; error_status_t y;
                    short int z; unsigned long int aa; signed long bb;
                } all;
                """);
        StructType all = struct(f, "all");
        List<PrimitiveType> expected = List.of(PrimitiveType.ULONG, PrimitiveType.LONG, PrimitiveType.USHORT,
                PrimitiveType.SHORT, PrimitiveType.UCHAR, PrimitiveType.CHAR, PrimitiveType.BYTE,
                PrimitiveType.BOOLEAN, PrimitiveType.HYPER, PrimitiveType.UHYPER, PrimitiveType.UHYPER,
                PrimitiveType.HYPER, PrimitiveType.SMALL, PrimitiveType.USMALL, PrimitiveType.DOUBLE,
                PrimitiveType.FLOAT, PrimitiveType.WCHAR, PrimitiveType.INT3264, PrimitiveType.UINT3264,
                PrimitiveType.ULONG, PrimitiveType.LONG, PrimitiveType.SMALL, PrimitiveType.HYPER,
                PrimitiveType.ULONG, PrimitiveType.ERROR_STATUS_T, PrimitiveType.SHORT, PrimitiveType.ULONG,
                PrimitiveType.LONG);
        assertEquals(expected, all.members().stream().map(Field::type).toList());
    }

    @Test
    void int3264IsFourBytesInNdrAndEightInNdr64() {
        assertEquals(4, PrimitiveType.INT3264.layout().ndr20Size());
        assertEquals(8, PrimitiveType.INT3264.layout().ndr64Size());
        assertEquals(8, PrimitiveType.UINT3264.layout().ndr64Alignment());
        assertEquals(8, PrimitiveType.HYPER.layout().ndr20Alignment());
    }

    @Test
    void typedefChainsKeepNamesAndResolveToTargets() {
        IdlFile f = compile("typedef DWORD MY_STATUS; typedef MY_STATUS OTHER;");
        TypeReference other = assertInstanceOf(TypeReference.class, Idl.type(f, "OTHER"));
        assertEquals("MY_STATUS", other.name());
        assertEquals(PrimitiveType.ULONG, other.resolved());
        assertEquals(PrimitiveType.LONG, Idl.type(f, "NTSTATUS").resolved());
    }

    @Test
    void structLayoutInBothSyntaxes() {
        IdlFile f = compile("typedef struct { long a; short b; } S; typedef struct { byte x; S s; hyper h; } T;");
        StructType s = struct(f, "S");
        assertEquals(6, s.layout().ndr20Size(), "NDR20 has no trailing padding");
        assertEquals(8, s.layout().ndr64Size(), "NDR64 pads to the struct's alignment");
        assertEquals(4, s.layout().alignment(Syntax.NDR64));
        StructType t = struct(f, "T");
        assertEquals(8, t.layout().ndr20Alignment());
        assertEquals(4 + 6 + 6 + 8, t.layout().ndr20Size()); // byte, pad to 4, S (6), pad to 16, hyper
        assertEquals(24, t.layout().ndr64Size()); // byte, pad 4, S (8) = 12, pad to 16, hyper = 24
        assertFalse(t.layout().deferredPointers());
    }

    @Test
    void pointersMakeStructsDeferredAndEightAlignedInNdr64() {
        IdlFile f = inInterface("typedef struct { short a; long *p; } P;");
        StructType p = struct(f, "P");
        assertTrue(p.layout().deferredPointers());
        assertEquals(4, p.layout().ndr20Alignment());
        assertEquals(8, p.layout().ndr64Alignment());
        assertEquals(8, p.layout().ndr20Size());
        assertEquals(16, p.layout().ndr64Size());
        assertEquals(PointerKind.UNIQUE, ((PointerType) field(p, "p").type()).kind());
    }

    @Test
    void embeddedPointersFollowPointerDefaultTopLevelParametersAreRef() {
        IdlFile f = compile("""
                [uuid(12345678-1234-abcd-ef00-0123456789ab), pointer_default(ptr)]
                interface t {
                    typedef struct { long *p; [ref] long *r; [unique] long *u; } S;
                    void Op([in] long *a, [in, unique] long *b, [out] long **c, [in, ptr] S *d);
                    long *Ret(void);
                }
                """);
        StructType s = struct(f, "S");
        assertEquals(PointerKind.FULL, ((PointerType) field(s, "p").type()).kind());
        assertEquals(PointerKind.REF, ((PointerType) field(s, "r").type()).kind());
        assertEquals(PointerKind.UNIQUE, ((PointerType) field(s, "u").type()).kind());
        List<Parameter> ps = op(f, "Op").parameters();
        assertEquals(PointerKind.REF, ((PointerType) ps.get(0).type()).kind());
        assertEquals(PointerKind.UNIQUE, ((PointerType) ps.get(1).type()).kind());
        PointerType c = (PointerType) ps.get(2).type();
        assertEquals(PointerKind.REF, c.kind());
        assertEquals(PointerKind.FULL, ((PointerType) c.target()).kind(), "second level: pointer_default");
        assertEquals(PointerKind.FULL, ((PointerType) ps.get(3).type()).kind());
        assertEquals(PointerKind.FULL, ((PointerType) op(f, "Ret").returnType()).kind());
        assertEquals(PointerKind.FULL, f.singleInterface().pointerDefault());
    }

    @Test
    void missingPointerDefaultMeansUnique() {
        IdlFile f = compile("[uuid(12345678-1234-abcd-ef00-0123456789ab)] interface t { typedef struct { long *p; } S; }");
        assertEquals(PointerKind.UNIQUE, f.singleInterface().pointerDefault());
        assertEquals(PointerKind.UNIQUE, ((PointerType) field(struct(f, "S"), "p").type()).kind());
    }

    @Test
    void enumsWithExplicitAndConstantExpressionValues() {
        IdlFile f = compile("""
                const long BASE = 0x10;
                typedef enum { A, B = BASE + 2, C, D = (1 << 4) | 3, E = -1, F = 'x' } letters;
                typedef [v1_enum] enum _wide { W1 = 100000 } wide;
                """);
        EnumType letters = (EnumType) Idl.type(f, "letters").resolved();
        assertEquals(List.of(0L, 18L, 19L, 19L, -1L, 120L),
                letters.values().stream().map(EnumType.EnumValue::value).toList());
        assertFalse(letters.v1Enum());
        assertEquals(2, letters.layout().ndr20Alignment());
        assertEquals(4, letters.layout().ndr64Alignment());
        EnumType wide = (EnumType) Idl.type(f, "wide").resolved();
        assertTrue(wide.v1Enum());
        assertEquals(4, wide.layout().ndr20Size());
        assertEquals(19, f.allConstants().get("C").value().constantValue().orElseThrow());
    }

    @Test
    void constants() {
        IdlFile f = compile("""
                const unsigned long MAX = 0x7FFFFFFFUL;
                const short NEG = -(3 * 4) % 5;
                const long COND = MAX > 10 ? 1 : 2;
                const long SHIFTED = (1 << 8) >> 2;
                const wchar_t *NAME = L"witness";
                const long OCT = 010;
                const long CAST = (unsigned long) 7 / 2;
                """);
        Constant max = f.constants().get(0);
        assertEquals("MAX", max.name());
        assertEquals(0x7FFFFFFFL, max.value().constantValue().orElseThrow());
        assertEquals(PrimitiveType.ULONG, max.type());
        assertEquals(-2, f.allConstants().get("NEG").value().constantValue().orElseThrow());
        assertEquals(1, f.allConstants().get("COND").value().constantValue().orElseThrow());
        assertEquals(64, f.allConstants().get("SHIFTED").value().constantValue().orElseThrow());
        assertEquals(new Expression.StringLiteral("witness"), f.allConstants().get("NAME").value());
        assertEquals(8, f.allConstants().get("OCT").value().constantValue().orElseThrow());
        assertEquals(3, f.allConstants().get("CAST").value().constantValue().orElseThrow());
    }

    @Test
    void nonEncapsulatedUnionWithDefaultAndEmptyArms() {
        IdlFile f = inInterface("""
                typedef [switch_type(unsigned long)] union _U {
                    [case(1, 2)] long small_arm;
                    [case(3)] hyper big_arm;
                    [case(4)] ;
                    [default] ;
                } U;
                typedef struct { unsigned long level; [switch_is(level)] U u; } Holder;
                """);
        UnionType u = Idl.union(f, "U");
        assertFalse(u.encapsulated());
        assertEquals(PrimitiveType.ULONG, u.switchType().orElseThrow());
        assertEquals(List.of(1L, 2L), u.arms().get(0).cases());
        assertTrue(u.arms().get(2).field().isEmpty());
        assertTrue(u.arms().get(3).isDefault());
        assertEquals("small_arm", u.armFor(2).orElseThrow().field().orElseThrow().name());
        assertTrue(u.armFor(99).orElseThrow().isDefault());
        assertEquals(8, u.layout().ndr20Alignment());
        assertEquals(8, u.armAlignment(Syntax.NDR20));
        Field holder = field(struct(f, "Holder"), "u");
        assertEquals(new Expression.Identifier("level"), holder.switchIs().orElseThrow());
    }

    @Test
    void encapsulatedUnionBothLabelStyles() {
        IdlFile f = inInterface("""
                typedef union _E switch (short kind) arms {
                    case 1: long l;
                    case 2: case 3: double d;
                    default: ;
                } E;
                typedef union switch (long k) { [case(7)] short s; } E2;
                """);
        UnionType e = Idl.union(f, "E");
        assertTrue(e.encapsulated());
        assertEquals("kind", e.discriminantName().orElseThrow());
        assertEquals("arms", e.armsName().orElseThrow());
        assertEquals(PrimitiveType.SHORT, e.switchType().orElseThrow());
        assertEquals(List.of(2L, 3L), e.arms().get(1).cases());
        assertTrue(e.arms().get(2).isDefault());
        assertEquals(List.of(7L), Idl.union(f, "E2").arms().get(0).cases());
    }

    @Test
    void msUnionOnInterfaceAndType() {
        IdlFile f = compile("""
                [uuid(12345678-1234-abcd-ef00-0123456789ab), ms_union] interface t {
                    typedef [switch_type(long)] union { [case(1)] long a; } U;
                }
                """);
        assertTrue(f.singleInterface().msUnion());
        assertTrue(Idl.union(f, "U").msUnion());
        IdlFile g = compile("typedef [switch_type(long), ms_union] union { [case(1)] long a; } V;");
        assertTrue(Idl.union(g, "V").msUnion());
    }

    @Test
    void arraysFixedConformantVaryingMultiDimensional() {
        IdlFile f = inInterface("""
                const long N = 4;
                typedef struct {
                    long fixed[N * 2];
                    short grid[2][3];
                    long count;
                    long first;
                    [length_is(count)] long varying[10];
                    [first_is(first), last_is(count)] byte window[16];
                    [size_is(count), length_is(first)] long cv[*];
                } A;
                typedef struct { long n; [max_is(n)] long m[]; } M;
                """);
        StructType a = struct(f, "A");
        ArrayType fixed = (ArrayType) field(a, "fixed").type();
        assertEquals(ArrayKind.FIXED, fixed.kind());
        assertEquals(8, fixed.dimensions().get(0).fixedSize().orElseThrow());
        assertEquals(32, fixed.layout().ndr20Size());
        ArrayType grid = (ArrayType) field(a, "grid").type();
        assertEquals(2, grid.dimensions().size());
        assertEquals(12, grid.layout().ndr20Size());
        ArrayType varying = (ArrayType) field(a, "varying").type();
        assertEquals(ArrayKind.VARYING, varying.kind());
        assertEquals(10, varying.dimensions().get(0).fixedSize().orElseThrow());
        assertEquals(-1, varying.layout().ndr20Size());
        assertEquals(8, varying.layout().ndr64Alignment(), "offset and actual_count are u64 in NDR64");
        ArrayType window = (ArrayType) field(a, "window").type();
        assertEquals("first", window.dimensions().get(0).firstIs().orElseThrow().render());
        assertEquals("count", window.dimensions().get(0).lastIs().orElseThrow().render());
        ArrayType cv = (ArrayType) field(a, "cv").type();
        assertEquals(ArrayKind.CONFORMANT_VARYING, cv.kind());
        assertTrue(a.layout().conformant());
        ArrayType m = (ArrayType) field(struct(f, "M"), "m").type();
        assertEquals("n", m.dimensions().get(0).maxIs().orElseThrow().render());
        assertEquals(ArrayKind.CONFORMANT, m.kind());
    }

    @Test
    void arrayOfPointersIsArrayOfEmbeddedPointers() {
        IdlFile f = inInterface("void Op([in] long count, [in, size_is(count)] long *items[]);");
        ArrayType items = (ArrayType) op(f, "Op").parameters().get(1).type();
        PointerType element = (PointerType) items.element();
        assertEquals(PointerKind.UNIQUE, element.kind(), "pointers inside an array are embedded");
        assertTrue(items.layout().deferredPointers());
    }

    @Test
    void multiLevelSizeIsWithEmptyPositions() {
        IdlFile f = inInterface("""
                unsigned long Op(
                    [in] unsigned long size,
                    [out] unsigned long *pcount,
                    [out, size_is(, *pcount)] byte **reply,
                    [in, size_is(size, size + 1)] byte **matrix);
                """);
        PointerType reply = (PointerType) op(f, "Op").parameters().get(2).type();
        assertEquals(PointerKind.REF, reply.kind());
        assertInstanceOf(PointerType.class, reply.target(), "first position is empty: a plain pointer");
        PointerType sized = (PointerType) reply.target();
        ArrayType bytes = (ArrayType) sized.target();
        assertEquals(new Expression.Deref(new Expression.Identifier("pcount")),
                bytes.dimensions().get(0).sizeIs().orElseThrow());
        PointerType matrix = (PointerType) op(f, "Op").parameters().get(3).type();
        ArrayType rows = (ArrayType) matrix.target();
        assertEquals("size", rows.dimensions().get(0).sizeIs().orElseThrow().render());
        ArrayType cols = (ArrayType) ((PointerType) rows.element()).target();
        assertEquals("(size + 1)", cols.dimensions().get(0).sizeIs().orElseThrow().render());
    }

    @Test
    void stringsOnPointersAndFixedArrays() {
        IdlFile f = inInterface("""
                typedef struct { [string] char name[32]; [string] wchar_t *wide; [string] LPWSTR w2; } S;
                """);
        StructType s = struct(f, "S");
        ArrayType name = (ArrayType) field(s, "name").type();
        assertEquals(ArrayKind.VARYING, name.kind());
        assertEquals(1, name.string().orElseThrow().characterWidth());
        PointerType wide = (PointerType) field(s, "wide").type();
        ArrayType wideArray = (ArrayType) wide.target();
        assertEquals(ArrayKind.CONFORMANT_VARYING, wideArray.kind());
        assertEquals(2, wideArray.string().orElseThrow().characterWidth());
        PointerType w2 = (PointerType) field(s, "w2").type();
        assertEquals(wideArray.kind(), ((ArrayType) w2.target()).kind());
    }

    @Test
    void pipesAndContextHandles() {
        IdlFile f = inInterface("""
                typedef pipe byte BYTE_PIPE;
                typedef [context_handle] void *CTX;
                void Op([in] handle_t h, [in] BYTE_PIPE data, [in, out] CTX *ctx,
                        [in, context_handle] void *anon, [in, context_handle_noserialize] CTX plain);
                """);
        PipeType pipe = (PipeType) Idl.type(f, "BYTE_PIPE");
        assertEquals(PrimitiveType.BYTE, pipe.element());
        assertEquals(4, pipe.layout().ndr20Alignment());
        assertEquals(8, pipe.layout().ndr64Alignment());
        List<Parameter> ps = op(f, "Op").parameters();
        assertTrue(ps.get(1).pipe());
        assertFalse(ps.get(2).pipe());
        ContextHandleType anon = (ContextHandleType) ps.get(3).type();
        assertEquals("", anon.name());
        assertEquals(20, anon.layout().ndr20Size());
        assertEquals(4, anon.layout().ndr64Alignment());
        assertEquals("CTX", ((ContextHandleType) ps.get(4).type().resolved()).name());
    }

    @Test
    void directionsOpnumsCallbackAndRetval() {
        IdlFile f = inInterface("""
                error_status_t First([in] long a, [out] long *b, [in, out] long *c, long d);
                [callback] HRESULT Second([out, retval] long *r);
                """);
        Interface i = f.singleInterface();
        Operation first = i.operations().get(0);
        assertEquals(0, first.opnum());
        assertEquals(List.of(Direction.IN, Direction.OUT, Direction.IN_OUT, Direction.IN),
                first.parameters().stream().map(Parameter::direction).toList());
        assertEquals(PrimitiveType.ERROR_STATUS_T, first.returnType());
        Operation second = i.operations().get(1);
        assertEquals(1, second.opnum());
        assertTrue(second.callback());
        assertTrue(second.parameters().get(0).retval());
        assertEquals("HRESULT", second.returnType().displayName());
    }

    @Test
    void selfReferencingStructThroughPointer() {
        IdlFile f = inInterface("typedef struct _node { long v; struct _node *next; } node;");
        StructType node = struct(f, "node");
        PointerType next = (PointerType) field(node, "next").type();
        assertEquals("node", ((TypeReference) next.target()).name());
        assertEquals(node, next.target().resolved());
        assertTrue(node.layout().deferredPointers());
    }

    @Test
    void nestedInlineStructsAndUnions() {
        IdlFile f = inInterface("""
                typedef struct {
                    long level;
                    struct { short a; short b; } pair;
                    [switch_is(level)] union { [case(0)] long x; [default] ; } choice;
                } Outer;
                """);
        StructType outer = struct(f, "Outer");
        StructType pair = (StructType) field(outer, "pair").type();
        assertEquals(4, pair.layout().ndr20Size());
        UnionType choice = (UnionType) field(outer, "choice").type();
        assertEquals(2, choice.arms().size());
    }

    @Test
    void attributesKeptAndUnknownOnesWarned() {
        IdlFile f = inInterface("""
                typedef struct { [frobnicate(3), ignore] long *p; } S;
                """);
        Field p = field(struct(f, "S"), "p");
        assertEquals(List.of("frobnicate", "ignore"), p.attributes().stream().map(a -> a.name()).toList());
        assertEquals(List.of("3"), p.attributes().get(0).arguments());
        assertTrue(f.warnings().stream().anyMatch(w -> w.toString()
                .equals("test.idl:3:19: warning: unknown attribute 'frobnicate' ignored")), f.warnings().toString());
    }

    @Test
    void directivesAndCppQuoteAreIgnoredWithWarnings() {
        IdlFile f = compile("""
                #include "foo.h"
                #define X \\
                    42
                #pragma pack(4)
                cpp_quote("#define EXTRA 1")
                midl_pragma warning (disable: 2111)
                typedef long L;
                """);
        assertEquals(PrimitiveType.LONG, Idl.type(f, "L").resolved());
        List<String> warnings = f.warnings().stream().map(Object::toString).toList();
        assertEquals(List.of("test.idl:1:1: warning: preprocessor directive #include ignored",
                "test.idl:2:1: warning: preprocessor directive #define ignored",
                "test.idl:4:1: warning: preprocessor directive #pragma ignored",
                "test.idl:5:1: warning: cpp_quote ignored",
                "test.idl:6:1: warning: midl_pragma ignored"), warnings);
    }

    @Test
    void interfaceAttributes() {
        IdlFile f = compile("""
                [
                  uuid("12345778-1234-abcd-ef00-0123456789ac"),
                  version(2.3),
                  endpoint("ncacn_np:[\\\\pipe\\\\samr]"),
                  helpstring("Security Account Manager"),
                  pointer_default(ref)
                ] interface samr : base_if { void Nothing(void); };
                """);
        Interface i = f.singleInterface();
        assertEquals("12345778-1234-abcd-ef00-0123456789ac", i.uuid().orElseThrow().toString());
        assertEquals(2, i.version().major());
        assertEquals(3, i.version().minor());
        assertEquals(List.of("ncacn_np:[\\pipe\\samr]"), i.endpoints());
        assertEquals(PointerKind.REF, i.pointerDefault());
        assertEquals("base_if", i.baseInterface().orElseThrow());
        assertEquals(List.of("uuid", "version", "endpoint", "helpstring", "pointer_default"),
                i.attributes().stream().map(a -> a.name()).toList());
        assertInstanceOf(VoidType.class, i.operations().get(0).returnType());
    }

    @Test
    void castsInSizeExpressions() {
        IdlFile f = inInterface("""
                typedef struct { unsigned short len; [size_is((unsigned long) len / 2), length_is((DWORD)(len - 1) % 8)] WCHAR *buf; } S;
                """);
        ArrayType buf = (ArrayType) ((PointerType) field(struct(f, "S"), "buf").type()).target();
        assertEquals("((unsigned long) len / 2)", buf.dimensions().get(0).sizeIs().orElseThrow().render());
        assertInstanceOf(Expression.Binary.class, buf.dimensions().get(0).lengthIs().orElseThrow());
        assertEquals("((DWORD) (len - 1) % 8)", buf.dimensions().get(0).lengthIs().orElseThrow().render());
    }

    @Test
    void constantNamesInBoundsAreConstantRefs() {
        IdlFile f = inInterface("""
                const long LIMIT = 5;
                typedef struct { long n; [size_is(n < LIMIT ? n : LIMIT)] long *items; } S;
                """);
        ArrayType items = (ArrayType) ((PointerType) field(struct(f, "S"), "items").type()).target();
        Expression.Conditional c = (Expression.Conditional) items.dimensions().get(0).sizeIs().orElseThrow();
        assertEquals(new Expression.ConstantRef("LIMIT", 5), c.otherwise());
        assertEquals(new Expression.Identifier("n"), c.then());
    }

    @Test
    void identicalRedefinitionIsAcceptedWithWarning() {
        IdlFile f = compile("typedef long X; typedef long X;");
        assertEquals(PrimitiveType.LONG, Idl.type(f, "X"));
        assertEquals("test.idl:1:17: warning: identical redefinition of 'X' ignored", f.warnings().get(0).toString());
    }

    @Test
    void fileLevelAndInterfaceLevelDeclarationsAreListedSeparately() {
        IdlFile f = compile("""
                typedef long OUTSIDE;
                const long K = 1;
                [uuid(12345678-1234-abcd-ef00-0123456789ab)] interface t { typedef long INSIDE; const long J = 2; }
                """);
        assertEquals(List.of("OUTSIDE"), f.types().stream().map(t -> t.name()).toList());
        assertEquals(List.of("K"), f.constants().stream().map(Constant::name).toList());
        assertEquals(List.of("INSIDE"), f.singleInterface().types().stream().map(t -> t.name()).toList());
        assertEquals(List.of("J"), f.singleInterface().constants().stream().map(Constant::name).toList());
    }

    @Test
    void customizedHandleTypedefAndSpecStyleParameters() {
        IdlFile f = inInterface("""
                typedef [handle] wchar_t *LOGONSRV_HANDLE;
                typedef [context_handle] void *LSAPR_HANDLE;
                NTSTATUS LsarOpen([in, unique, string] LOGONSRV_HANDLE ServerName,
                                  [in] const GUID *Id, [out] LSAPR_HANDLE *Handle);
                """);
        List<Parameter> ps = op(f, "LsarOpen").parameters();
        PointerType server = (PointerType) ps.get(0).type();
        assertEquals(PointerKind.UNIQUE, server.kind());
        assertEquals(2, ((ArrayType) server.target()).string().orElseThrow().characterWidth());
        assertEquals(PointerKind.REF, ((PointerType) ps.get(1).type()).kind());
        assertEquals(16, ((PointerType) ps.get(1).type()).target().layout().ndr20Size());
        assertTrue(ps.get(2).topLevelRef());
        assertTrue(f.warnings().isEmpty(), f.warnings().toString());
    }
}
