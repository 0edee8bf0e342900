package dev.weft.idl;

import dev.weft.idl.gen.JavaGenerator;
import dev.weft.idl.model.EnumType;
import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.StructType;
import dev.weft.idl.model.Syntax;
import dev.weft.idl.model.UnionType;
import org.junit.jupiter.api.Test;

import static dev.weft.idl.Idl.field;
import static dev.weft.idl.Idl.inInterface;
import static dev.weft.idl.Idl.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The constructs MS-LSAD's IDL (interfaces/src/main/idl/ms-lsad.idl) needed beyond what the other shipped
 * interfaces use. The bytes these produce are checked, derived by hand, in the interfaces module
 * (LsarpcCodecTest), where the generated code runs.
 */
class LsadConstructTest {

    /** MS-LSAD 2.2.2.3 declares STRING as a counted structure; MS-DTYP 2.2.54 as a pointer to UCHAR. */
    @Test
    void aProtocolTypeReplacesTheBaseTypeOfTheSameName() {
        IdlFile f = inInterface("""
                typedef struct _STRING {
                    unsigned short Length;
                    unsigned short MaximumLength;
                    [size_is(MaximumLength), length_is(Length)] char * Buffer;
                } STRING, *PSTRING;
                """);
        StructType s = assertInstanceOf(StructType.class, f.type("STRING").orElseThrow().type().resolved());
        assertEquals(3, s.members().size());
        assertTrue(f.warnings().stream().anyMatch(w -> w.toString()
                .equals("test.idl:3:9: warning: 'STRING' replaces the base type declared at ms-dtyp.idl:50:16")),
                f.warnings().toString());
    }

    /**
     * LSA_FOREST_TRUST_RECORD (2.2.7.21) and LSA_FOREST_TRUST_RECORD2 (2.2.7.32) each hold an inline union named
     * ForestTrustData, with different arms, switched by [switch_type(LSA_FOREST_TRUST_RECORD_TYPE)] written on the
     * member: two distinct unions, each with the enum as its discriminant (2 bytes in NDR, 4 in NDR64), not long.
     */
    @Test
    void inlineUnionsTakeTheMembersSwitchTypeAndStayDistinct() {
        IdlFile f = inInterface("""
                typedef enum _KIND { KindA = 0, KindB = 1, KindC = 2 } KIND;
                typedef struct _R1 {
                    KIND Type;
                    [switch_type(KIND), switch_is(Type)] union {
                        [case(KindA, KindB)] long Name;
                        [default] hyper Data;
                    } Body;
                } R1;
                typedef struct _R2 {
                    KIND Type;
                    [switch_type(KIND), switch_is(Type)] union {
                        [case(KindA)] long Name;
                        [case(KindC)] short Other;
                    } Body;
                } R2;
                """);
        UnionType u1 = assertInstanceOf(UnionType.class, field(struct(f, "R1"), "Body").type().resolved());
        UnionType u2 = assertInstanceOf(UnionType.class, field(struct(f, "R2"), "Body").type().resolved());
        assertNotEquals(u1.name(), u2.name());
        assertEquals(2, u1.arms().size());
        assertEquals(2, u2.arms().size());
        assertEquals("Other", u2.arms().get(1).field().orElseThrow().name());
        EnumType kind = assertInstanceOf(EnumType.class, u1.switchType().orElseThrow().resolved());
        assertEquals("KIND", kind.name());
        assertEquals(kind, u2.switchType().orElseThrow().resolved());
        assertEquals(2, kind.layout().ndr20Size());
        assertEquals(8, u1.armAlignment(Syntax.NDR20));
    }

    /**
     * LSAPR_POLICY_INFORMATION's arm PolicyAuditLogInfo holds a POLICY_AUDIT_LOG_INFO, whose Java name is also
     * PolicyAuditLogInfo: inside the sealed interface the arm record would shadow it, so the arm is renamed.
     */
    @Test
    void anArmNamedLikeTheTypeItHoldsIsSuffixed() {
        IdlFile f = inInterface("""
                typedef struct _POLICY_AUDIT_LOG_INFO { long Percent; } POLICY_AUDIT_LOG_INFO;
                typedef struct _OTHER_INFO { long X; } OTHER_INFO;
                typedef [switch_type(long)] union _INFO {
                    [case(1)] POLICY_AUDIT_LOG_INFO PolicyAuditLogInfo;
                    [case(2)] OTHER_INFO Other;
                } INFO;
                void Op([in] long level, [in, switch_is(level)] INFO *info);
                """);
        String java = JavaGenerator.generate(f, f.singleInterface(), "p", "T");
        assertTrue(java.contains("record PolicyAuditLogInfoArm(PolicyAuditLogInfo policyAuditLogInfo) implements Info"), java);
        assertTrue(java.contains("record Other(OtherInfo other) implements Info"), java);
    }
}
