package dev.weft.pdu;

import dev.weft.ndr.Bytes;

/**
 * The 16-byte common header of every connection-oriented PDU (C706 12.6; MS-RPCE 2.2.2.3; RPCE-FACTS §1), as
 * received. {@link Framer} reads it to know how many bytes follow; {@link PduCodec} to decode the rest.
 *
 * @param rpcVers      must be 5
 * @param rpcVersMinor must be 0 (MS-RPCE 1.7)
 * @param ptype        a {@link PType}
 * @param flags        {@link PfcFlags} bits
 * @param drep         the {@link Drep} label, wire byte 0 in the most significant byte
 * @param fragLength   total fragment length
 * @param authLength   length of the auth_value only (excludes the 8-byte sec_trailer and the padding)
 * @param callId       the call id
 */
public record PduHeader(int rpcVers, int rpcVersMinor, int ptype, int flags, int drep, int fragLength,
                        int authLength, int callId) {

    /** Size of the common header. */
    public static final int SIZE = 16;
    /** {@code rpc_vers} of connection-oriented RPC. */
    public static final int RPC_VERS = 5;
    /** {@code rpc_vers_minor} of connection-oriented RPC. */
    public static final int RPC_VERS_MINOR = 0;

    /**
     * Parses the header at {@code off}. Integer fields follow the drep's byte order; an undefined byte-order nibble
     * is reported as malformed.
     *
     * @throws ProtocolException when fewer than 16 bytes remain or the drep is undefined
     */
    public static PduHeader parse(byte[] b, int off) {
        if (off < 0 || b.length - off < SIZE) throw ProtocolException.disconnect("short PDU header");
        int ptype = b[off + 2] & 0xFF;
        int drep = Bytes.getIntBE(b, off + 4);
        if (!Drep.isValid(drep)) {
            throw ProtocolException.malformed(ptype, String.format("undefined packed_drep %08x", drep));
        }
        boolean be = Drep.isBigEndian(drep);
        return new PduHeader(b[off] & 0xFF, b[off + 1] & 0xFF, ptype, b[off + 3] & 0xFF, drep,
                Bytes.getU16(b, off + 8, be), Bytes.getU16(b, off + 10, be), Bytes.getI32(b, off + 12, be));
    }

    /** Whether integers in this PDU are big-endian. */
    public boolean bigEndian() {
        return Drep.isBigEndian(drep);
    }

    /**
     * The checks that need only the header (RPCE-FACTS §15): version 5.0, {@code frag_length} at least the header
     * and at most {@code maxFragLength}, and room for the sec_trailer and auth_value when {@code auth_length} is
     * not 0.
     *
     * @throws ProtocolException with the answer Windows gives: bind_nak reason 4 for a bad bind, fault
     *                           proto_error and disconnect for an oversized fragment, otherwise a disconnect or
     *                           fault proto_error
     */
    public void validate(int maxFragLength) {
        if (rpcVers != RPC_VERS || rpcVersMinor != RPC_VERS_MINOR) {
            String m = "unsupported RPC version " + rpcVers + "." + rpcVersMinor;
            // Samba answers a bind of another version with bind_nak reason 4, anything else by closing.
            throw ptype == PType.BIND
                    ? ProtocolException.bindNak(RejectReason.PROTOCOL_VERSION_NOT_SUPPORTED, m)
                    : ProtocolException.disconnect(m);
        }
        if (fragLength < SIZE) throw ProtocolException.disconnect("frag_length " + fragLength + " < 16");
        if (fragLength > maxFragLength) {
            throw ProtocolException.protoError("frag_length " + fragLength + " > limit " + maxFragLength);
        }
        if (authLength != 0 && authLength + SecTrailer.SIZE > fragLength - SIZE) {
            throw ProtocolException.malformed(ptype, "auth_length " + authLength + " does not fit frag_length "
                    + fragLength);
        }
    }
}
