package dev.weft.idl.model;

import java.util.List;
import java.util.Optional;

/**
 * A discriminated union (C706 14.3.8, RPCE-FACTS §10.7).
 *
 * <p>A non-encapsulated union ({@code [switch_type(T)] union}) is selected by a {@code switch_is} on the
 * member or parameter that uses it, and the discriminant is sent again in front of the arm. An encapsulated
 * union ({@code union switch (T d) u {...}}) carries its discriminant as its first member.
 *
 * <p>Alignment: NDR20 aligns the discriminant to its own type and then the chosen arm to that arm's own
 * alignment; with {@code ms_union} the arm is aligned to {@link #armAlignment(Syntax) the largest arm
 * alignment}. NDR64 aligns the union to the largest arm alignment before the discriminant and again before
 * the arm, whatever {@code ms_union} says. {@link #layout()} reports the alignment of the whole union
 * (the maximum of the discriminant and every arm), which is what an enclosing struct's alignment needs.
 *
 * @param name              the typedef name, or the tag when there is none
 * @param encapsulated      whether this is a {@code union switch (...)} union
 * @param switchType        the discriminant type ({@code switch_type}, or the encapsulated discriminant's
 *                          type); empty when a non-encapsulated union did not declare one, in which case the
 *                          type of the {@code switch_is} expression is used and {@code long} is assumed for
 *                          layout
 * @param discriminantName  the encapsulated discriminant's name ({@code d}); empty when not encapsulated
 * @param armsName          the encapsulated union's member name ({@code u}); empty when not encapsulated or
 *                          not named
 * @param arms              the arms in declaration order
 * @param msUnion           {@code [ms_union]} applies (on the type or its interface)
 */
public record UnionType(String name, boolean encapsulated, Optional<Type> switchType,
                        Optional<String> discriminantName, Optional<String> armsName, List<UnionArm> arms,
                        boolean msUnion) implements Type {
    public UnionType {
        arms = List.copyOf(arms);
    }

    /**
     * One arm.
     *
     * @param cases     the case values (empty for the default arm)
     * @param isDefault whether this is the {@code [default]} arm
     * @param field     the arm's member; empty for an empty arm, which sends nothing after the discriminant
     */
    public record UnionArm(List<Long> cases, boolean isDefault, Optional<Field> field) {
        public UnionArm {
            cases = List.copyOf(cases);
        }
    }

    /** The largest alignment among the arms (1 when every arm is empty). */
    public int armAlignment(Syntax syntax) {
        int align = 1;
        for (UnionArm arm : arms) {
            if (arm.field().isPresent()) {
                align = Math.max(align, arm.field().get().type().layout().alignment(syntax));
            }
        }
        return align;
    }

    /** The arm selected by a discriminant value: a matching case, else the default arm, else empty. */
    public Optional<UnionArm> armFor(long discriminant) {
        for (UnionArm arm : arms) {
            if (arm.cases().contains(discriminant)) {
                return Optional.of(arm);
            }
        }
        return arms.stream().filter(UnionArm::isDefault).findFirst();
    }

    @Override
    public TypeLayout layout() {
        TypeLayout discriminant = switchType.map(Type::layout).orElse(PrimitiveType.LONG.layout());
        boolean deferred = arms.stream()
                .anyMatch(a -> a.field().isPresent() && a.field().get().type().layout().deferredPointers());
        return new TypeLayout(Math.max(discriminant.ndr20Alignment(), armAlignment(Syntax.NDR20)),
                Math.max(discriminant.ndr64Alignment(), armAlignment(Syntax.NDR64)), TypeLayout.NOT_FIXED,
                TypeLayout.NOT_FIXED, deferred, false);
    }

    @Override
    public String displayName() {
        return name;
    }
}
