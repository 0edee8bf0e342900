package dev.weft.idl.model;

import java.util.List;

/**
 * A structure (C706 14.3.6, 14.3.7).
 *
 * <p>Layout: the alignment is the largest among the members; a conformant structure (whose last member is a
 * conformant array, or a conformant structure) is aligned at least 4 in NDR20 and 8 in NDR64 because of its
 * hoisted max_count. NDR64 pads the size to the alignment.
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
        for (Field member : members) {
            TypeLayout m = member.type().layout();
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
        if (conformant) {
            align20 = Math.max(align20, 4);
            align64 = Math.max(align64, 8);
        }
        return new TypeLayout(align20, align64, fixed ? size20 : TypeLayout.NOT_FIXED,
                fixed ? TypeLayout.roundUp(size64, align64) : TypeLayout.NOT_FIXED, deferred, conformant);
    }

    @Override
    public String displayName() {
        return name;
    }
}
