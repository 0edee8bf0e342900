package dev.weft.idl.model;

import java.util.List;

/**
 * A structure (C706 14.3.6, 14.3.7).
 *
 * <p>Layout: the alignment is the largest among the members as they lie inside the structure; NDR64 pads the
 * size to it. A conformant structure (whose last member is a conformant array) has its max_count hoisted in
 * front of it, aligned on its own (4 in NDR20, 8 in NDR64), but that count is not a member: {@code {long x;
 * [size_is(x)] short a[];}} aligns 4 in NDR64 and has no trailing padding after 4 + 2x octets. This is what
 * Samba's NDR64 peers send (smbtorture {@code rpc.echo} TestSurrounding) and what the 64-bit memory layout NDR64
 * mirrors gives; RPCE-FACTS §11 said 8.
 *
 * @param name    the typedef name, or the tag when there is none
 * @param tag     the struct tag ({@code _FOO} in {@code typedef struct _FOO {...} FOO}), or empty
 * @param members members in declaration order
 */
public record StructType(String name, String tag, List<Field> members) implements Type {
    public StructType {
        members = List.copyOf(members);
    }

    @Override
    public TypeLayout layout() {
        int align20 = 1;
        int align64 = 1;
        long size20 = 0;
        long size64 = 0;
        boolean fixed = true;
        boolean deferred = false;
        for (int i = 0; i < members.size(); i++) {
            TypeLayout m = inlineLayout(members.get(i), i == members.size() - 1);
            align20 = Math.max(align20, m.ndr20Alignment());
            align64 = Math.max(align64, m.ndr64Alignment());
            deferred |= m.deferredPointers();
            if (fixed && m.fixedSize()) {
                size20 = TypeLayout.roundUp(size20, m.ndr20Alignment()) + m.ndr20Size();
                size64 = TypeLayout.roundUp(size64, m.ndr64Alignment()) + m.ndr64Size();
            } else {
                fixed = false;
            }
        }
        boolean conformant = !members.isEmpty() && members.get(members.size() - 1).type().layout().conformant();
        return new TypeLayout(align20, align64, fixed ? size20 : TypeLayout.NOT_FIXED,
                fixed ? TypeLayout.roundUp(size64, align64) : TypeLayout.NOT_FIXED, deferred, conformant);
    }

    /**
     * What a member occupies inside the structure. A trailing conformant array leaves its max_count at the front
     * of the structure, so only its elements are inline and they align as elements do; a conformant varying one
     * keeps offset and actual_count inline (u32 in NDR20, u64 in NDR64).
     */
    private static TypeLayout inlineLayout(Field member, boolean last) {
        TypeLayout m = member.type().layout();
        if (last && member.type().resolved() instanceof ArrayType a && a.kind() == ArrayKind.CONFORMANT) {
            TypeLayout e = a.element().layout();
            return new TypeLayout(e.ndr20Alignment(), e.ndr64Alignment(), m.ndr20Size(), m.ndr64Size(),
                    m.deferredPointers(), true);
        }
        return m;
    }

    @Override
    public String displayName() {
        return name;
    }
}
