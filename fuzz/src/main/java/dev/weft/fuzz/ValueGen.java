package dev.weft.fuzz;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random values of the generated types (records, sealed unions, open enums as records with named constants,
 * strings, arrays, lists, UUIDs, context handles), for seeds. Generated code checks sizes against counts
 * ({@code size_is}, fixed arrays), so sequences are made first with lengths from a small set (0, 1, 2, 3, 8, 260)
 * and integers mostly take one of those lengths: most samples then encode, and the ones that don't are retried.
 */
final class ValueGen {
    private static final int[] LENGTHS = {0, 1, 1, 2, 3, 8, 260};
    private final Random r;

    ValueGen(Random r) {
        this.r = r;
    }

    /** Arguments for parameters of these types, sharing one pool of lengths. */
    Object[] values(Type[] types, List<Integer> pool) {
        Object[] out = new Object[types.length];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < types.length; i++) {
                if (isSequence(types[i]) == (pass == 0)) out[i] = value(types[i], pool, 0);
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
        Class<?> c = raw(type);
        boolean boxed = c == Integer.class || c == Short.class || c == Long.class || c == Byte.class
                || c == Character.class || c == Boolean.class;
        if (boxed && r.nextInt(4) == 0) return null;
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
            if (r.nextInt(8) == 0) return null;
            int n = length(pool);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) b.append((char) ('a' + r.nextInt(26)));
            return b.toString();
        }
        if (c.isArray()) {
            if (r.nextInt(8) == 0) return null;
            int n = length(pool);
            Class<?> e = c.getComponentType();
            Object a = java.lang.reflect.Array.newInstance(e, n);
            for (int i = 0; i < n; i++) java.lang.reflect.Array.set(a, i, value(e, new ArrayList<>(), depth + 1));
            return a;
        }
        if (List.class.isAssignableFrom(c)) {
            int n = depth > 4 ? 0 : Math.min(length(pool), 4);
            pool.add(n);
            Type e = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < n; i++) l.add(value(e, new ArrayList<>(), depth + 1));
            return l;
        }
        if (c.isSealed() && c.isInterface()) {
            Class<?>[] arms = c.getPermittedSubclasses();
            return value(arms[r.nextInt(arms.length)], pool, depth + 1);
        }
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
        for (int i = 0; i < rc.length; i++) {
            types[i] = rc[i].getGenericType();
            raws[i] = rc[i].getType();
        }
        List<Integer> pool = new ArrayList<>();
        if (r.nextBoolean()) pool.addAll(outer);
        Object[] args = depth > 6 ? new Object[rc.length] : values(types, pool);
        try {
            Constructor<?> k = c.getDeclaredConstructor(raws);
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a compact constructor refused: the caller's encode fails and the sample is retried
        }
    }

    private int length(List<Integer> pool) {
        int n = LENGTHS[r.nextInt(LENGTHS.length)];
        pool.add(n);
        return n;
    }

    private long scalar(List<Integer> pool) {
        if (!pool.isEmpty() && r.nextInt(10) < 7) return pool.get(r.nextInt(pool.size()));
        return switch (r.nextInt(5)) {
            case 0 -> 0;
            case 1 -> 1 + r.nextInt(3);
            case 2 -> r.nextInt(100);
            case 3 -> r.nextInt(65536);
            default -> r.nextInt();
        };
    }
}
