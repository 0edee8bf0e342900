package dev.weft.idl.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of compiling one IDL file: its interfaces and declarations, resolved against everything it
 * imports (and the implicit MS-DTYP base).
 *
 * @param path       the file compiled (for an in-memory source, its name as a path)
 * @param imports    import names in the order written in this file
 * @param interfaces interfaces declared in this file (not in its imports)
 * @param types      types declared in this file outside any interface, in declaration order
 * @param constants  constants declared in this file outside any interface
 * @param allTypes   every named type visible to the file (its own, its imports', the base types), by name
 * @param allConstants every constant and enum value visible, by name
 * @param warnings   warnings in source order across the file and its imports
 */
public record IdlFile(Path path, List<String> imports, List<Interface> interfaces, List<TypeDef> types,
                      List<Constant> constants, Map<String, TypeDef> allTypes, Map<String, Constant> allConstants,
                      List<Diagnostic> warnings) {
    public IdlFile {
        imports = List.copyOf(imports);
        interfaces = List.copyOf(interfaces);
        types = List.copyOf(types);
        constants = List.copyOf(constants);
        allTypes = Map.copyOf(allTypes);
        allConstants = Map.copyOf(allConstants);
        warnings = List.copyOf(warnings);
    }

    /** The named type, if visible. */
    public Optional<TypeDef> type(String name) {
        return Optional.ofNullable(allTypes.get(name));
    }

    /** The interface with the given name, if this file declares it. */
    public Optional<Interface> interfaceNamed(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The only interface this file declares; fails when there are none or several. */
    public Interface singleInterface() {
        if (interfaces.size() != 1) {
            throw new IllegalStateException(path + " declares " + interfaces.size() + " interfaces");
        }
        return interfaces.get(0);
    }
}
