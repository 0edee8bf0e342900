package dev.weft.idl;

import dev.weft.idl.model.ArrayKind;
import dev.weft.idl.model.ArrayType;
import dev.weft.idl.model.ContextHandleType;
import dev.weft.idl.model.Direction;
import dev.weft.idl.model.EnumType;
import dev.weft.idl.model.Expression;
import dev.weft.idl.model.HandleType;
import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.Interface;
import dev.weft.idl.model.Operation;
import dev.weft.idl.model.Parameter;
import dev.weft.idl.model.PointerKind;
import dev.weft.idl.model.PointerType;
import dev.weft.idl.model.PrimitiveType;
import dev.weft.idl.model.StructType;
import dev.weft.idl.model.Syntax;
import dev.weft.idl.model.TypeReference;
import dev.weft.idl.model.UnionType;
import dev.weft.idl.model.Version;
import dev.weft.idl.model.VoidType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.weft.idl.Idl.compileResource;
import static dev.weft.idl.Idl.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole interfaces, end to end: the test interfaces Weft ships and specification IDL taken as published. */
class RealIdlTest {

    private static List<String> names(Interface i) {
        return i.operations().stream().map(Operation::name).toList();
    }

    @Test
    void rpcecho() {
        IdlFile f = compileResource("rpcecho.idl");
        Interface echo = f.singleInterface();
        assertEquals(UUID.fromString("60a15ec5-4de8-11d7-a637-005056a20182"), echo.uuid().orElseThrow());
        assertEquals(new Version(1, 0), echo.version());
        assertEquals(List.of("ncacn_np:[\\pipe\\rpcecho]", "ncacn_ip_tcp:", "ncalrpc:"), echo.endpoints());
        assertEquals(List.of("echo_AddOne", "echo_EchoData", "echo_SinkData", "echo_SourceData", "echo_TestCall",
                "echo_TestCall2", "echo_TestSleep", "echo_TestEnum", "echo_TestSurrounding",
                "echo_TestDoublePointer"), names(echo));
        for (int i = 0; i < 10; i++) {
            assertEquals(i, echo.operations().get(i).opnum());
        }

        Parameter outData = op(f, "echo_EchoData").parameters().get(2);
        assertEquals(Direction.OUT, outData.direction());
        ArrayType data = assertInstanceOf(ArrayType.class, outData.type());
        assertEquals(ArrayKind.CONFORMANT, data.kind());
        assertEquals(new Expression.Identifier("len"), data.dimensions().get(0).sizeIs().orElseThrow());

        // [out, string] wchar_t **s2: a ref pointer to a unique pointer to a conformant varying wide string
        PointerType s2 = assertInstanceOf(PointerType.class, op(f, "echo_TestCall").parameters().get(1).type());
        assertEquals(PointerKind.REF, s2.kind());
        PointerType inner = assertInstanceOf(PointerType.class, s2.target());
        assertEquals(PointerKind.UNIQUE, inner.kind());
        ArrayType string = assertInstanceOf(ArrayType.class, inner.target());
        assertEquals(ArrayKind.CONFORMANT_VARYING, string.kind());
        assertEquals(2, string.string().orElseThrow().characterWidth());

        Operation call2 = op(f, "echo_TestCall2");
        assertEquals("NTSTATUS", call2.returnType().displayName());
        assertEquals(PrimitiveType.LONG, call2.returnType().resolved());
        UnionType info = Idl.union(f, "echo_Info");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L),
                info.arms().stream().flatMap(a -> a.cases().stream()).toList());
        assertEquals(PrimitiveType.USHORT, info.switchType().orElseThrow());
        // arm 7 holds a hyper: the union is aligned 8, and NDR20 aligns the arm on its own (not ms_union)
        assertEquals(8, info.layout().ndr20Alignment());
        assertEquals(1, info.armFor(1).orElseThrow().field().orElseThrow().type().layout().ndr20Alignment());
        assertFalse(info.msUnion());

        Parameter foo3 = op(f, "echo_TestEnum").parameters().get(2);
        assertEquals(new Expression.Deref(new Expression.Identifier("foo1")), foo3.switchIs().orElseThrow());
        EnumType e1 = (EnumType) Idl.type(f, "echo_Enum1").resolved();
        EnumType e132 = (EnumType) Idl.type(f, "echo_Enum1_32").resolved();
        assertEquals(2, e1.layout().ndr20Size());
        assertEquals(4, e1.layout().ndr64Size());
        assertEquals(4, e132.layout().ndr20Size());
        UnionType e3 = Idl.union(f, "echo_Enum3");
        assertEquals(List.of(1L), e3.arms().get(0).cases());
        assertEquals(List.of(2L), e3.arms().get(1).cases());

        StructType surrounding = Idl.struct(f, "echo_Surrounding");
        assertTrue(surrounding.layout().conformant());
        assertEquals(4, surrounding.layout().ndr20Alignment());
        // What smbtorture rpc.echo sends over NDR64: 8 (max_count) + 4 (x) + 2x, no trailing padding to 8.
        assertEquals(4, surrounding.layout().ndr64Alignment());

        // unsigned short ***data: ref -> unique -> unique -> unsigned short
        PointerType p1 = (PointerType) op(f, "echo_TestDoublePointer").parameters().get(0).type();
        PointerType p2 = (PointerType) p1.target();
        PointerType p3 = (PointerType) p2.target();
        assertEquals(List.of(PointerKind.REF, PointerKind.UNIQUE, PointerKind.UNIQUE),
                List.of(p1.kind(), p2.kind(), p3.kind()));
        assertEquals(PrimitiveType.USHORT, p3.target());
        assertEquals(PrimitiveType.USHORT, op(f, "echo_TestDoublePointer").returnType());
        assertTrue(op(f, "echo_TestSleep").parameters().get(0).direction().isIn());
    }

    @Test
    void endpointMapper() {
        IdlFile f = compileResource("ept.idl");
        Interface ept = f.singleInterface();
        assertEquals(UUID.fromString("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), ept.uuid().orElseThrow());
        assertEquals(new Version(3, 0), ept.version());
        assertEquals(PointerKind.FULL, ept.pointerDefault());
        assertEquals(List.of("ept_insert", "ept_delete", "ept_lookup", "ept_map", "ept_lookup_handle_free",
                "ept_inq_object", "ept_mgmt_delete"), names(ept));

        Operation map = op(f, "ept_map");
        assertTrue(map.parameters().get(0).bindingHandle());
        assertInstanceOf(HandleType.class, map.parameters().get(0).type());
        // [in] uuid_p_t object: the typedef's [ptr] beats the top-level ref default
        PointerType object = (PointerType) map.parameters().get(1).type();
        assertEquals(PointerKind.FULL, object.kind());
        assertEquals("uuid_t", object.target().displayName());
        assertEquals(16, object.target().layout().ndr20Size());
        assertEquals(4, object.target().layout().ndr64Alignment());

        Parameter handle = map.parameters().get(3);
        assertEquals(Direction.IN_OUT, handle.direction());
        PointerType handlePointer = (PointerType) handle.type();
        assertEquals(PointerKind.REF, handlePointer.kind());
        assertTrue(handle.topLevelRef());
        ContextHandleType ch = assertInstanceOf(ContextHandleType.class, handlePointer.target().resolved());
        assertEquals("ept_lookup_handle_t", ch.name());
        assertEquals(20, ch.layout().ndr64Size());

        assertEquals(new dev.weft.idl.model.Range(0, 500), map.parameters().get(4).range().orElseThrow());

        ArrayType towers = (ArrayType) map.parameters().get(6).type();
        assertEquals(ArrayKind.CONFORMANT_VARYING, towers.kind());
        assertEquals("max_towers", towers.dimensions().get(0).sizeIs().orElseThrow().render());
        assertEquals("*num_towers", towers.dimensions().get(0).lengthIs().orElseThrow().render());
        PointerType tower = (PointerType) towers.element();
        assertEquals(PointerKind.FULL, tower.kind());
        StructType twr = (StructType) tower.target().resolved();
        assertTrue(twr.layout().conformant());
        assertTrue(towers.layout().deferredPointers());

        StructType entry = Idl.struct(f, "ept_entry_t");
        ArrayType annotation = (ArrayType) Idl.field(entry, "annotation").type();
        assertEquals(ArrayKind.VARYING, annotation.kind());
        assertEquals(64, annotation.dimensions().get(0).fixedSize().orElseThrow());
        assertEquals(PointerKind.FULL, ((PointerType) Idl.field(entry, "tower").type()).kind());
        assertTrue(entry.layout().deferredPointers());
        assertEquals(8, entry.layout().ndr64Alignment());
        assertEquals(4, entry.layout().ndr20Alignment());
        assertEquals(3, f.allConstants().get("rpc_c_ep_match_by_both").value().constantValue().orElseThrow());
        assertInstanceOf(VoidType.class, map.returnType());
    }

    @Test
    void mgmt() {
        IdlFile f = compileResource("mgmt.idl");
        Interface mgmt = f.singleInterface();
        assertEquals(UUID.fromString("afa8bd80-7d8a-11c9-bef4-08002b102989"), mgmt.uuid().orElseThrow());
        assertEquals(new Version(1, 0), mgmt.version());
        assertEquals(5, mgmt.operations().size());
        assertEquals(List.of("dce-types.idl"), f.imports());

        StructType vector = Idl.struct(f, "rpc_if_id_vector_t");
        ArrayType ids = (ArrayType) Idl.field(vector, "if_id").type();
        assertEquals(ArrayKind.CONFORMANT, ids.kind());
        assertTrue(vector.layout().conformant());
        assertTrue(vector.layout().deferredPointers());

        Parameter stats = op(f, "rpc__mgmt_inq_stats").parameters().get(2);
        ArrayType statistics = (ArrayType) stats.type();
        assertEquals("*count", statistics.dimensions().get(0).sizeIs().orElseThrow().render());

        ArrayType princ = (ArrayType) op(f, "rpc__mgmt_inq_princ_name").parameters().get(3).type();
        assertEquals(ArrayKind.CONFORMANT_VARYING, princ.kind());
        assertEquals(1, princ.string().orElseThrow().characterWidth());
        assertEquals("boolean32", op(f, "rpc__mgmt_is_server_listening").returnType().displayName());
    }

    /** MS-SWN Appendix A, token for token as published (it repeats MS-DTYP's context handle typedefs). */
    @Test
    void witnessSpecificationIdl() {
        IdlFile f = compileResource("ms-swn.idl");
        Interface w = f.singleInterface();
        assertEquals("Witness", w.name());
        assertEquals(UUID.fromString("ccd8c074-d0e5-4a40-92b4-d074faa6ba28"), w.uuid().orElseThrow());
        assertEquals(new Version(1, 1), w.version());
        assertEquals(List.of("WitnessrGetInterfaceList", "WitnessrRegister", "WitnessrUnRegister",
                "WitnessrAsyncNotify", "WitnessrRegisterEx", "WitnessrUnRegisterEx"), names(w));
        assertTrue(f.warnings().stream().anyMatch(d -> d.message().equals(
                "identical redefinition of 'PCONTEXT_HANDLE' ignored")));

        // [size_is(Length)] [unique] PBYTE MessageBuffer: the typedef's pointer becomes a sized unique pointer
        StructType resp = Idl.struct(f, "RESP_ASYNC_NOTIFY");
        PointerType buffer = (PointerType) Idl.field(resp, "MessageBuffer").type();
        assertEquals(PointerKind.UNIQUE, buffer.kind());
        ArrayType bytes = (ArrayType) buffer.target();
        assertEquals(ArrayKind.CONFORMANT, bytes.kind());
        assertEquals("Length", bytes.dimensions().get(0).sizeIs().orElseThrow().render());
        assertEquals(PrimitiveType.UCHAR, bytes.element().resolved());

        StructType info = Idl.struct(f, "WITNESS_INTERFACE_INFO");
        assertEquals(260 * 2 + 2 + 4 + 2 + 4 + 16 + 4, info.layout().ndr20Size());
        assertFalse(info.layout().deferredPointers());

        Operation register = op(f, "WitnessrRegisterEx");
        assertEquals(9, register.parameters().size());
        PointerType ppContext = (PointerType) register.parameters().get(1).type();
        assertEquals(PointerKind.REF, ppContext.kind());
        assertInstanceOf(ContextHandleType.class, ppContext.target().resolved());
        PointerType netName = (PointerType) register.parameters().get(3).type();
        assertEquals(PointerKind.UNIQUE, netName.kind());
        assertEquals(2, ((ArrayType) netName.target()).string().orElseThrow().characterWidth());

        Parameter shared = op(f, "WitnessrAsyncNotify").parameters().get(1);
        ContextHandleType sharedHandle = (ContextHandleType) shared.type().resolved();
        assertEquals("PCONTEXT_HANDLE_SHARED", sharedHandle.name());
        assertEquals("DWORD", register.returnType().displayName());

        // [out] PWITNESS_INTERFACE_LIST *InterfaceList: ref to unique (the typedef's default) to the struct
        PointerType list = (PointerType) op(f, "WitnessrGetInterfaceList").parameters().get(1).type();
        assertEquals(PointerKind.REF, list.kind());
        assertEquals(PointerKind.UNIQUE, ((PointerType) list.target()).kind());
        assertEquals(Direction.IN_OUT, op(f, "WitnessrUnRegisterEx").parameters().get(1).direction());
    }

    /** MS-DSSP Appendix A as published, stray spaces and line breaks included. */
    @Test
    void dssetupSpecificationIdl() {
        IdlFile f = compileResource("ms-dssp.idl");
        Interface d = f.singleInterface();
        assertEquals(UUID.fromString("3919286a-b10c-11d0-9ba8-00c04fd92ef5"), d.uuid().orElseThrow());
        assertEquals(new Version(0, 0), d.version());
        assertEquals(12, d.operations().size());
        assertEquals("Opnum11NotUsedOnWire", d.operations().get(11).name());
        assertTrue(d.operations().get(11).parameters().isEmpty());

        UnionType info = Idl.union(f, "DSROLER_PRIMARY_DOMAIN_INFORMATION");
        assertEquals("DSROLE_PRIMARY_DOMAIN_INFO_LEVEL", info.switchType().orElseThrow().displayName());
        assertEquals(List.of(1L), info.arms().get(0).cases());
        assertEquals(List.of(3L), info.arms().get(2).cases());
        assertTrue(info.layout().deferredPointers());
        // the basic info arm holds pointers: 8-aligned in NDR64, 4 in NDR20
        assertEquals(8, info.armAlignment(Syntax.NDR64));
        assertEquals(4, info.armAlignment(Syntax.NDR20));

        Parameter domainInfo = op(f, "DsRolerGetPrimaryDomainInformation").parameters().get(2);
        assertEquals("InfoLevel", domainInfo.switchIs().orElseThrow().render());
        PointerType outer = (PointerType) domainInfo.type();
        assertEquals(PointerKind.REF, outer.kind());
        PointerType innerPointer = (PointerType) outer.target();
        assertEquals(PointerKind.UNIQUE, innerPointer.kind());
        assertEquals(new TypeReference("DSROLER_PRIMARY_DOMAIN_INFORMATION", n -> null), innerPointer.target());

        StructType basic = Idl.struct(f, "DSROLER_PRIMARY_DOMAIN_INFO_BASIC");
        assertEquals(PrimitiveType.ULONG, Idl.field(basic, "Flags").type());
        assertEquals(5, f.allConstants().get("DsRole_RolePrimaryDomainController").value().constantValue()
                .orElseThrow());
    }
}
