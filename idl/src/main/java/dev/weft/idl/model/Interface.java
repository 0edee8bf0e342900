package dev.weft.idl.model;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An RPC interface.
 *
 * @param name           interface name
 * @param uuid           the interface UUID ({@code uuid(...)}); empty for a local interface without one
 * @param version        {@code version(M.m)}, 0.0 when not given
 * @param pointerDefault {@code pointer_default}; {@code unique} when not given (MS-RPCE 2.2.4.9)
 * @param msUnion        {@code [ms_union]} on the interface
 * @param endpoints      {@code endpoint(...)} strings
 * @param baseInterface  the interface inherited with {@code interface X : Base}, or empty
 * @param attributes     every interface attribute as written
 * @param types          types declared inside the interface body, in declaration order
 * @param constants      constants declared inside the interface body
 * @param operations     operations with opnums in declaration order
 * @param location       where it was declared
 */
public record Interface(String name, Optional<UUID> uuid, Version version, PointerKind pointerDefault,
                        boolean msUnion, List<String> endpoints, Optional<String> baseInterface,
                        List<Attribute> attributes, List<TypeDef> types, List<Constant> constants,
                        List<Operation> operations, Location location) {
    public Interface {
        endpoints = List.copyOf(endpoints);
        attributes = List.copyOf(attributes);
        types = List.copyOf(types);
        constants = List.copyOf(constants);
        operations = List.copyOf(operations);
    }

    /** The operation with the given name. */
    public Optional<Operation> operation(String operationName) {
        return operations.stream().filter(o -> o.name().equals(operationName)).findFirst();
    }
}
