package dev.weft.idl.model;

/**
 * A {@code pipe} of elements ({@code typedef pipe byte BYTE_PIPE;}): a sequence of chunks, each a count
 * and that many elements, ended by an empty chunk. NDR20 counts are u32 (aligned 4); NDR64 chunks carry a
 * u64 count (aligned 8) and a trailing u64 check value (RPCE-FACTS §10.9, §11).
 *
 * @param element the element type
 */
public record PipeType(Type element) implements Type {
    @Override
    public TypeLayout layout() {
        return new TypeLayout(Math.max(4, element.layout().ndr20Alignment()),
                Math.max(8, element.layout().ndr64Alignment()), TypeLayout.NOT_FIXED, TypeLayout.NOT_FIXED,
                false, false);
    }

    @Override
    public String displayName() {
        return "pipe " + element.displayName();
    }
}
