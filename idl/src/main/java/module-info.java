/**
 * The Weft IDL compiler: a MIDL-syntax parser ({@link dev.weft.idl.IdlParser}) and the resolved interface
 * model ({@link dev.weft.idl.model}) a generator turns into Java stubs and NDR20/NDR64 codecs.
 */
module dev.weft.idl {
    exports dev.weft.idl;
    exports dev.weft.idl.model;
}
