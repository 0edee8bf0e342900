package dev.weft.fuzz;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.Pointer;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random values of the generated types (records, sealed unions, open enums as records with named constants,
 * strings, arrays, lists, UUIDs, context handles), for seeds. Generated code checks sizes against counts
 * ({@code size_is}, fixed arrays), so sequences are made first with lengths from a small set (0, 1, 2, 3, 8, 260)
 * and integers mostly take one of those lengths, or twice one (a byte count of UTF-16 characters): most samples
 * then encode, and the ones that don't are retried.
 *
 * <p>The generated types do not say how long a fixed array is ({@code BYTE Value[6]} is a {@code byte[]}), nor which
 * pointers are {@code [ref]}. So the generator {@link #learn learns} from the encoder's refusals: "valueValue: 2
 * elements where the IDL gives 6" makes a record component named {@code valueValue} six long from then on more often
 * than not, and a {@code NullPointerException} naming a component makes it non-null.
 */
final class ValueGen {
    private static final int[] LENGTHS = {0, 1, 1, 2, 3, 8, 260};
    private static final Pattern SIZE = Pattern.compile("([A-Za-z0-9_]+)(?:\\(\\))?: (\\d+) (?:elements where the IDL gives|characters with the terminator, room for) (\\d+)");
    private static final Pattern NULL = Pattern.compile("\"(?:this\\.)?([A-Za-z0-9_]+)\" is null");
    private final Random r;
    /** Lengths the encoder asked for, by record component name. */
    private final Map<String, Integer> fixedLengths = new HashMap<>();
    /** Component names the encoder gave different lengths for: counts, not fixed sizes. */
    private final Set<String> variable = new HashSet<>();
    /** Record components the encoder refused to find null. */
    private final Set<String> nonNull = new HashSet<>();

    ValueGen(Random r) {
        this.r = r;
    }

    /**
     * Takes what an encoder's refusal tells about a type's sizes or required pointers. The component is named by its
     * record class (the frame that checked it) and its name, since "data" in one structure is not "data" in another.
     */
    void learn(Throwable t) {
        for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
            String m = t.getMessage();
            String where = checkingClass(t);
            if (m == null || where == null) continue;
            Matcher size = SIZE.matcher(m);
            if (size.find()) {
                long want = Long.parseLong(size.group(3));
                // A result's component is checked by the skeleton ("result.digest()"): known by its name alone.
                boolean inRecord = !where.endsWith("$Service") && !where.endsWith("$ClientStub");
                String name = inRecord ? where + "." + size.group(1) : size.group(1);
                Integer before = fixedLengths.get(name);
                if (want > 1024 || before != null && before != want) variable.add(name);
                if (variable.contains(name)) fixedLengths.remove(name);
                else fixedLengths.put(name, (int) want);
            }
            Matcher nul = NULL.matcher(m);
            if (t instanceof NullPointerException && nul.find()) nonNull.add(where + "." + nul.group(1));
        }
    }

    /** The generated class whose code refused a value: the first frame of the interfaces other than a check helper. */
    private static String checkingClass(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (!e.getClassName().startsWith("dev.weft.interfaces.")) continue;
            if (e.getMethodName().startsWith("check")) continue;
            return e.getClassName();
        }
        return null;
    }

    /** Arguments for parameters of these types, sharing one pool of lengths. */
    Object[] values(Type[] types, List<Integer> pool) {
        return values(types, new String[types.length], pool, 0);
    }

    private Object[] values(Type[] types, String[] names, List<Integer> pool, int depth) {
        Object[] out = new Object[types.length];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < types.length; i++) {
                if (isSequence(types[i]) == (pass == 0)) out[i] = value(types[i], names[i], pool, depth);
            }
        }
        return out;
    }

    private static boolean isSequence(Type t) {
        Class<?> c = raw(t);
        return c == String.class || c.isArray() || List.class.isAssignableFrom(c) || c.isRecord() || c.isSealed();
    }

    static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }

    Object value(Type type, List<Integer> pool, int depth) {
        return value(type, null, pool, depth);
    }

    private Object value(Type type, String name, List<Integer> pool, int depth) {
        Class<?> c = raw(type);
        boolean boxed = c == Integer.class || c == Short.class || c == Long.class || c == Byte.class
                || c == Character.class || c == Boolean.class;
        boolean mayBeNull = name == null || !nonNull.contains(name);
        if (boxed && mayBeNull && r.nextInt(4) == 0) return null;
        if (c == int.class || c == Integer.class) return (int) scalar(pool);
        if (c == short.class || c == Short.class) return (short) scalar(pool);
        if (c == byte.class || c == Byte.class) return (byte) scalar(pool);
        if (c == long.class || c == Long.class) return scalar(pool);
        if (c == char.class || c == Character.class) return (char) ('a' + r.nextInt(26));
        if (c == boolean.class || c == Boolean.class) return r.nextBoolean();
        if (c == float.class) return r.nextFloat();
        if (c == double.class) return r.nextDouble();
        if (c == Uuid.class) return r.nextInt(5) == 0 ? Uuid.NIL : new Uuid(r.nextLong(), r.nextLong());
        if (c == ContextHandle.class) return r.nextInt(4) == 0 ? ContextHandle.NULL : new ContextHandle(0, new Uuid(r.nextLong(), r.nextLong()));
        if (c == SyntaxId.class) return new SyntaxId(new Uuid(r.nextLong(), r.nextLong()), r.nextInt(3), r.nextInt(3));
        if (c == String.class) {
            if (mayBeNull && r.nextInt(8) == 0) return null;
            int n = length(name, pool);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) b.append((char) ('a' + r.nextInt(26)));
            return b.toString();
        }
        if (c.isArray()) {
            if (mayBeNull && r.nextInt(8) == 0) return null;
            int n = length(name, pool);
            Class<?> e = c.getComponentType();
            Object a = java.lang.reflect.Array.newInstance(e, n);
            for (int i = 0; i < n; i++) java.lang.reflect.Array.set(a, i, value(e, new ArrayList<>(), depth + 1));
            return a;
        }
        if (List.class.isAssignableFrom(c)) {
            int n = depth > 4 ? 0 : Math.min(length(name, pool), 4);
            pool.add(n);
            Type e = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < n; i++) l.add(value(e, new ArrayList<>(), depth + 1));
            return l;
        }
        if (c == Pointer.class) {
            // A pointer to a nullable pointer (T **): absent, present and pointing at nothing, or at a value.
            if (mayBeNull && r.nextInt(4) == 0) return null;
            Type target = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            return r.nextInt(4) == 0 ? Pointer.toNull() : Pointer.to(value(target, pool, depth + 1));
        }
        if (c.isSealed() && c.isInterface()) {
            Class<?>[] arms = c.getPermittedSubclasses();
            return value(arms[r.nextInt(arms.length)], pool, depth + 1);
        }
        // A structure behind a [unique] pointer may be null; learned non-null ones ([ref]) never are.
        if (c.isRecord() && mayBeNull && r.nextInt(name == null ? 8 : 4) == 0) return null;
        if (c.isRecord()) return record(c, pool, depth);
        return null;
    }

    private Object record(Class<?> c, List<Integer> outer, int depth) {
        List<Object> constants = new ArrayList<>();
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == c) {
                try {
                    constants.add(f.get(null));
                } catch (IllegalAccessException e) {
                    // not ours to read
                }
            }
        }
        if (!constants.isEmpty() && r.nextInt(10) < 7) return constants.get(r.nextInt(constants.size()));
        RecordComponent[] rc = c.getRecordComponents();
        Type[] types = new Type[rc.length];
        Class<?>[] raws = new Class<?>[rc.length];
        String[] names = new String[rc.length];
        for (int i = 0; i < rc.length; i++) {
            types[i] = rc[i].getGenericType();
            raws[i] = rc[i].getType();
            names[i] = c.getName() + "." + rc[i].getName();
        }
        List<Integer> pool = new ArrayList<>();
        if (r.nextBoolean()) pool.addAll(outer);
        Object[] args = depth > 6 ? new Object[rc.length] : values(types, names, pool, depth + 1);
        try {
            Constructor<?> k = c.getDeclaredConstructor(raws);
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a compact constructor refused: the caller's encode fails and the sample is retried
        }
    }

    /** Zero to three non-empty chunks of a pipe whose chunks are arrays of {@code chunkType}'s elements. */
    List<Object> chunks(Type chunkType) {
        List<Object> chunks = new ArrayList<>();
        for (int n = r.nextInt(4), tries = 0; chunks.size() < n && tries < 32; tries++) {
            Object c = value(chunkType, new ArrayList<>(), 1);
            if (c != null && java.lang.reflect.Array.getLength(c) > 0) chunks.add(c);
        }
        return chunks;
    }

    private int length(String name, List<Integer> pool) {
        Integer fixed = name == null ? null : fixedLengths.get(name);
        if (fixed == null && name != null) fixed = fixedLengths.get(name.substring(name.lastIndexOf('.') + 1));
        int n = fixed != null && r.nextInt(16) != 0 ? fixed : LENGTHS[r.nextInt(LENGTHS.length)];
        pool.add(n);
        return n;
    }

    private long scalar(List<Integer> pool) {
        if (!pool.isEmpty() && r.nextInt(10) < 7) return pool.get(r.nextInt(pool.size())) * (r.nextInt(3) == 0 ? 2L : 1L);
        return switch (r.nextInt(5)) {
            case 0 -> 0;
            case 1 -> 1 + r.nextInt(3);
            case 2 -> r.nextInt(100);
            case 3 -> r.nextInt(65536);
            default -> r.nextInt();
        };
    }
}
