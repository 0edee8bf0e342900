/**
 * The NDR20 and NDR64 marshalling runtime (C706 chapter 14, MS-RPCE 2.2.5): {@link dev.weft.ndr.NdrWriter},
 * {@link dev.weft.ndr.NdrReader}, UUIDs and syntax identifiers, context handles, pipe chunk coding and the
 * decoding limits that keep hostile input from allocating more than it sent.
 */
module dev.weft.ndr {
    exports dev.weft.ndr;
}
