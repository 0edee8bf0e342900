package dev.weft.ndr;

/**
 * The referent of a {@code [unique]} or {@code [ptr]} pointer whose target is itself such a pointer (IDL
 * {@code T **}): present, and pointing at a value or at nothing. Generated code gives the outer pointer this type so
 * that its three wire forms are three Java values: {@code null} (referent id 0), {@link #toNull()} (a referent id,
 * then an inner id of 0) and {@link #to to(value)} (two referent ids, then the value).
 *
 * <p>The difference matters: LSA's {@code LsarGetUserName} asks for the domain name with
 * {@code [in, out, unique] PRPC_UNICODE_STRING *DomainName} present and pointing at nothing, and answers in the same
 * place; absent means "do not tell me".
 *
 * @param target the inner pointer's value, {@code null} when it points at nothing
 * @param <T>    the Java type of the inner pointer (itself a {@code Pointer} for {@code T ***})
 */
public record Pointer<T>(T target) {

    /** A present pointer to {@code target} ({@code null}: a present pointer to a null pointer). */
    public static <T> Pointer<T> to(T target) {
        return new Pointer<>(target);
    }

    /** A present pointer whose target is a null pointer. */
    public static <T> Pointer<T> toNull() {
        return new Pointer<>(null);
    }

    /** Whether the inner pointer is null. */
    public boolean isNull() {
        return target == null;
    }
}
