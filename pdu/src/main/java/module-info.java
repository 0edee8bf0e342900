/**
 * The connection-oriented PDUs of C706 chapter 12 and MS-RPCE 2.2.2 as records, their codec, the framer that
 * reads exactly one fragment, fragmentation and reassembly, the sec_trailer, the verification trailer and
 * bind-time feature negotiation, and the protector that signs and seals PDUs with a security context.
 */
module dev.weft.pdu {
    requires transitive dev.weft.ndr;
    requires transitive dev.weft.security;
    exports dev.weft.pdu;
}
