package dev.weft.idl.model;

import java.util.List;

/**
 * An interface operation.
 *
 * @param name       operation name
 * @param opnum      operation number: its position in the interface, from 0
 * @param returnType the return type ({@link VoidType} when none); it is marshalled last in the response
 * @param parameters parameters in declaration order
 * @param callback   {@code [callback]}: the server calls the client
 * @param attributes every operation attribute as written
 * @param location   where it was declared
 */
public record Operation(String name, int opnum, Type returnType, List<Parameter> parameters, boolean callback,
                        List<Attribute> attributes, Location location) {
    public Operation {
        parameters = List.copyOf(parameters);
    }
}
