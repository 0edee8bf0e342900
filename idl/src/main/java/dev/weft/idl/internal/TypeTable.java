package dev.weft.idl.internal;

import dev.weft.idl.model.Type;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The named types of one compilation. {@link dev.weft.idl.model.TypeReference}s hold this table, not the
 * resolver, so a finished model keeps only the types alive. It is filled by one thread during resolution
 * and then frozen; after that it is read-only and safe to share.
 */
final class TypeTable implements Function<String, Type> {
    private volatile Map<String, Type> types = new LinkedHashMap<>();
    private volatile boolean frozen;

    void put(String name, Type type) {
        if (frozen) {
            throw new IllegalStateException("type table is frozen");
        }
        types.put(name, type);
    }

    boolean contains(String name) {
        return types.containsKey(name);
    }

    void freeze() {
        types = Map.copyOf(types);
        frozen = true;
    }

    @Override
    public Type apply(String name) {
        return types.get(name);
    }
}
