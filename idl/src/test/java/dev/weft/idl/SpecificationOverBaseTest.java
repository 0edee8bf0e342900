package dev.weft.idl;

import dev.weft.idl.gen.JavaGenerator;
import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.PrimitiveType;
import dev.weft.idl.model.StructType;
import dev.weft.idl.model.PointerType;
import dev.weft.idl.model.TypeReference;
import org.junit.jupiter.api.Test;

import static dev.weft.idl.Idl.failure;
import static dev.weft.idl.Idl.field;
import static dev.weft.idl.Idl.inInterface;
import static dev.weft.idl.Idl.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two things MS-NRPC's published IDL needs: its own STRING (a counted 8-bit string, in MS-NRPC and
 * MS-LSAD) over the MS-DTYP base's {@code typedef UCHAR *STRING}, and union arms named like the types they hold
 * (NETLOGON_CONTROL_QUERY_INFORMATION's arm NetlogonInfo1 holds a PNETLOGON_INFO_1).
 */
class SpecificationOverBaseTest {
    static final String NRPC_STRING = """
            typedef struct _STRING {
                USHORT Length;
                USHORT MaximumLength;
                [size_is(MaximumLength), length_is(Length)] CHAR* Buffer;
            } STRING, *PSTRING;
            typedef struct { STRING Response; ULONG After; } USES;
            """;

    /**
     * The specification's STRING is the struct: USHORT, USHORT, then a unique pointer's referent id (4 bytes in
     * NDR, 8 and aligned to 8 in NDR64), so 8 bytes aligned 4 in NDR and 16 aligned 8 in NDR64; a struct that
     * embeds it puts the following ULONG at offset 8 in both. The base's UCHAR* would have been a lone pointer.
     */
    @Test
    void aSpecificationsStringReplacesTheBaseOne() {
        IdlFile f = inInterface(NRPC_STRING);
        StructType string = struct(f, "STRING");
        assertEquals(3, string.members().size());
        assertEquals(4, string.layout().ndr20Alignment());
        assertEquals(8, string.layout().ndr20Size());
        assertEquals(8, string.layout().ndr64Alignment());
        assertEquals(16, string.layout().ndr64Size());
        StructType uses = struct(f, "USES");
        assertSame(string, field(uses, "Response").type().resolved());
        assertEquals(12, uses.layout().ndr20Size(), "8 for STRING, then the ULONG");
        assertEquals(24, uses.layout().ndr64Size(), "16 for STRING, the ULONG, padding to 8");
        assertTrue(f.warnings().stream().anyMatch(d -> d.message().contains("'STRING' replaces the base type")),
                f.warnings().toString());
        // The rest of the base is untouched.
        assertEquals(PrimitiveType.ULONG, Idl.type(f, "DWORD").resolved());
        PointerType pstring = assertInstanceOf(PointerType.class, Idl.type(f, "PSTRING").resolved());
        assertSame(string, pstring.target().resolved(), "PSTRING points to the specification's STRING");
    }

    @Test
    void withoutARedeclarationTheBaseStringStays() {
        IdlFile f = inInterface("typedef struct { STRING s; } T;");
        assertInstanceOf(PointerType.class, field(struct(f, "T"), "s").type().resolved());
    }

    /** Only the base can be shadowed, and only once: a specification declaring a name twice is still wrong. */
    @Test
    void aSecondDeclarationIsStillADuplicate() {
        IdlException e = failure("[uuid(12345678-1234-abcd-ef00-0123456789ab), pointer_default(unique)]\n"
                + "interface t {\n" + NRPC_STRING + "typedef long STRING;\n}\n");
        assertTrue(e.getMessage().contains("duplicate definition of 'STRING'"), e.getMessage());
    }

    /**
     * A union arm's record is nested in the union's interface: named NetlogonInfo1 it would shadow the top-level
     * record NetlogonInfo1 it holds, and the generated code would not compile. It is called NetlogonInfo1Arm;
     * arms whose names collide with nothing keep their names.
     */
    @Test
    void anArmNamedLikeTheTypeItHoldsGetsTheSuffixArm() {
        IdlFile f = inInterface("""
                typedef struct _NETLOGON_INFO_1 { DWORD netlog1_flags; } NETLOGON_INFO_1, *PNETLOGON_INFO_1;
                typedef [switch_type(DWORD)] union _NETLOGON_CONTROL_QUERY_INFORMATION {
                    [case(1)] PNETLOGON_INFO_1 NetlogonInfo1;
                    [case(3)] DWORD Other;
                    [default] ;
                } NETLOGON_CONTROL_QUERY_INFORMATION;
                void Query([in] DWORD level,
                           [out, switch_is(level)] NETLOGON_CONTROL_QUERY_INFORMATION *buffer);
                """);
        String java = JavaGenerator.generate(f, f.singleInterface(), "p", "T");
        assertTrue(java.contains("record NetlogonInfo1Arm(NetlogonInfo1 netlogonInfo1)"), java);
        assertTrue(java.contains("record Other(int other)"), java);
        assertTrue(java.contains("public record NetlogonInfo1(int netlog1Flags)"), java);
    }

    /**
     * An anonymous union in a struct member takes the member's switch_type (MS-NRPC LSA_FOREST_TRUST_RECORD): its
     * discriminant is the enum, 2 bytes aligned 2 in NDR, not a 4-byte long.
     */
    @Test
    void anInPlaceUnionSwitchesOnTheMembersSwitchType() {
        IdlFile f = inInterface("""
                typedef enum _KIND { First = 0, Second = 1 } KIND;
                typedef struct _RECORD {
                    KIND Kind;
                    [switch_type(KIND), switch_is(Kind)] union {
                        [case(First)] ULONG A;
                        [default] ;
                    } Data;
                } RECORD;
                """);
        dev.weft.idl.model.UnionType data = assertInstanceOf(dev.weft.idl.model.UnionType.class,
                field(struct(f, "RECORD"), "Data").type().resolved());
        dev.weft.idl.model.Type discriminant = data.switchType().orElseThrow();
        assertEquals("KIND", assertInstanceOf(TypeReference.class, discriminant).name());
        assertEquals(2, discriminant.resolved().layout().ndr20Size());
        assertEquals(4, discriminant.resolved().layout().ndr64Size());
    }
}
