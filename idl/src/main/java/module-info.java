/**
 * The Weft IDL compiler: a MIDL-syntax parser ({@link dev.weft.idl.IdlParser}), the resolved interface model
 * ({@link dev.weft.idl.model}) and the Java generator ({@link dev.weft.idl.gen.JavaGenerator}), with the
 * {@code weft-idl} command as a {@link java.util.spi.ToolProvider}.
 */
module dev.weft.idl {
    requires java.compiler;  // javax.lang.model.SourceVersion: which names are Java keywords

    exports dev.weft.idl;
    exports dev.weft.idl.model;
    exports dev.weft.idl.gen;

    provides java.util.spi.ToolProvider with dev.weft.idl.gen.WeftIdl;
}
