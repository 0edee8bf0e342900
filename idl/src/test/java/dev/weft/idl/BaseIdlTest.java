package dev.weft.idl;

import dev.weft.idl.model.ArrayKind;
import dev.weft.idl.model.ArrayType;
import dev.weft.idl.model.ContextHandleType;
import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.PointerKind;
import dev.weft.idl.model.PointerType;
import dev.weft.idl.model.PrimitiveType;
import dev.weft.idl.model.StructType;
import org.junit.jupiter.api.Test;

import static dev.weft.idl.Idl.compile;
import static dev.weft.idl.Idl.field;
import static dev.weft.idl.Idl.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in MS-DTYP base: present without an import, with the wire facts of RPCE-FACTS §10. */
class BaseIdlTest {
    private final IdlFile f = compile("typedef long unused;");

    @Test
    void scalarsResolveToTheirNdrTypes() {
        assertEquals(PrimitiveType.ULONG, Idl.type(f, "DWORD").resolved());
        assertEquals(PrimitiveType.ULONG, Idl.type(f, "ULONG").resolved());
        assertEquals(PrimitiveType.LONG, Idl.type(f, "NTSTATUS").resolved());
        assertEquals(PrimitiveType.LONG, Idl.type(f, "HRESULT").resolved());
        assertEquals(PrimitiveType.UCHAR, Idl.type(f, "BOOLEAN").resolved());
        assertEquals(PrimitiveType.LONG, Idl.type(f, "BOOL").resolved());
        assertEquals(PrimitiveType.WCHAR, Idl.type(f, "WCHAR").resolved());
        assertEquals(PrimitiveType.UHYPER, Idl.type(f, "ULONGLONG").resolved());
        assertEquals(PrimitiveType.UHYPER, Idl.type(f, "DWORD64").resolved());
        assertEquals(PrimitiveType.HYPER, Idl.type(f, "LONG64").resolved());
        assertEquals(PrimitiveType.USHORT, Idl.type(f, "WORD").resolved());
        assertEquals(PrimitiveType.UINT3264, Idl.type(f, "ULONG_PTR").resolved());
    }

    @Test
    void filetimeIsAlignedFourNotEight() {
        StructType ft = struct(f, "FILETIME");
        assertEquals(4, ft.layout().ndr20Alignment());
        assertEquals(4, ft.layout().ndr64Alignment());
        assertEquals(8, ft.layout().ndr20Size());
        assertEquals(8, struct(f, "LARGE_INTEGER").layout().ndr20Alignment());
    }

    @Test
    void guidIsSixteenBytesAlignedFour() {
        StructType guid = struct(f, "GUID");
        assertEquals(16, guid.layout().ndr20Size());
        assertEquals(16, guid.layout().ndr64Size());
        assertEquals(4, guid.layout().ndr64Alignment());
        assertEquals(guid, Idl.type(f, "UUID").resolved());
    }

    @Test
    void rpcSidIsConformant() {
        StructType sid = struct(f, "RPC_SID");
        assertTrue(sid.layout().conformant());
        assertFalse(sid.layout().deferredPointers());
        assertEquals(4, sid.layout().ndr20Alignment());
        // The hoisted max_count is aligned 8 on its own, but it is not a member: the largest member is a ULONG.
        assertEquals(4, sid.layout().ndr64Alignment());
        ArrayType sub = (ArrayType) field(sid, "SubAuthority").type();
        assertEquals("SubAuthorityCount", sub.dimensions().get(0).sizeIs().orElseThrow().render());
        assertEquals(6, struct(f, "SID_IDENTIFIER_AUTHORITY").layout().ndr20Size());
    }

    @Test
    void rpcUnicodeStringIsNotAStringButAConformantVaryingBuffer() {
        StructType us = struct(f, "RPC_UNICODE_STRING");
        PointerType buffer = (PointerType) field(us, "Buffer").type();
        assertEquals(PointerKind.UNIQUE, buffer.kind());
        ArrayType chars = (ArrayType) buffer.target();
        assertEquals(ArrayKind.CONFORMANT_VARYING, chars.kind());
        assertTrue(chars.string().isEmpty());
        assertEquals("(MaximumLength / 2)", chars.dimensions().get(0).sizeIs().orElseThrow().render());
        assertEquals("(Length / 2)", chars.dimensions().get(0).lengthIs().orElseThrow().render());
        assertEquals(8, us.layout().ndr20Size());
        assertEquals(16, us.layout().ndr64Size());
        assertEquals(8, us.layout().ndr64Alignment());
        assertTrue(us.layout().deferredPointers());
    }

    @Test
    void contextHandleTypedefs() {
        ContextHandleType ch = (ContextHandleType) Idl.type(f, "PCONTEXT_HANDLE");
        assertEquals("PCONTEXT_HANDLE", ch.name());
        PointerType pp = (PointerType) Idl.type(f, "PPCONTEXT_HANDLE");
        assertEquals(PointerKind.REF, pp.kind());
    }

    @Test
    void importOfMsDtypNamesTheBuiltInBase() {
        IdlFile g = compile("import \"ms-dtyp.idl\"; typedef DWORD MINE;");
        assertEquals(PrimitiveType.ULONG, Idl.type(g, "MINE").resolved());
        assertTrue(g.warnings().isEmpty(), g.warnings().toString());
        assertTrue(IdlParser.baseIdl().contains("RPC_UNICODE_STRING"));
    }
}
