package dev.weft.ndr;

/**
 * The one exception the NDR runtime throws for data it cannot encode or decode: truncated or malformed input, a
 * count beyond a limit or beyond the bytes that remain, a bad union tag, a string without its terminator.
 *
 * <p>It carries the fault status a server answers with (MS-RPCE 3.1.3.5.2 makes {@code RPC_X_BAD_STUB_DATA}
 * mandatory for an invalid octet stream), so the runtime can map it without knowing where it came from.
 */
public class NdrException extends RuntimeException {
    /** {@code RPC_X_BAD_STUB_DATA} (0x6F7), also called {@code nca_s_fault_ndr}. */
    public static final int RPC_X_BAD_STUB_DATA = 0x000006F7;
    /** {@code RPC_X_ENUM_VALUE_OUT_OF_RANGE} (0x6F5, 1781): an enum outside 0..32767 in NDR20. */
    public static final int RPC_X_ENUM_VALUE_OUT_OF_RANGE = 0x000006F5;
    /** {@code RPC_S_INVALID_BOUND} (0x6C6): an array bound that contradicts another. */
    public static final int RPC_S_INVALID_BOUND = 0x000006C6;
    /** {@code nca_s_fault_invalid_tag} (0x1C000006): a union discriminant with no arm and no default. */
    public static final int NCA_S_FAULT_INVALID_TAG = 0x1C000006;

    private final int faultStatus;

    public NdrException(String message) {
        this(RPC_X_BAD_STUB_DATA, message);
    }

    public NdrException(int faultStatus, String message) {
        super(message);
        this.faultStatus = faultStatus;
    }

    /** The status a server puts in the fault PDU when a request fails with this error. */
    public int faultStatus() {
        return faultStatus;
    }
}
