package dev.weft.pdu;

import java.util.HashMap;
import java.util.Map;

/**
 * Fault status codes with their spec names (C706 Appendix E; MS-RPCE 3.1.1.5.5; RPCE-FACTS §3.2). A fault PDU
 * carries the raw {@code int}; {@link #of(int)} names it when it is known. Typed client exceptions are meant to be
 * chosen from this enum.
 */
public enum FaultStatus {
    NCA_S_COMM_FAILURE(0x1C010001, "nca_s_comm_failure"),
    /** Opnum out of range; Win32 RPC_S_PROCNUM_OUT_OF_RANGE. */
    NCA_S_OP_RNG_ERROR(0x1C010002, "nca_s_op_rng_error"),
    /** Unknown or unbound presentation context; Win32 RPC_S_UNKNOWN_IF. */
    NCA_S_UNK_IF(0x1C010003, "nca_s_unk_if"),
    NCA_S_WRONG_BOOT_TIME(0x1C010006, "nca_s_wrong_boot_time"),
    NCA_S_YOU_CRASHED(0x1C010009, "nca_s_you_crashed"),
    /** Protocol error; Win32 RPC_S_PROTOCOL_ERROR. */
    NCA_S_PROTO_ERROR(0x1C01000B, "nca_s_proto_error"),
    NCA_S_OUT_ARGS_TOO_BIG(0x1C010013, "nca_s_out_args_too_big"),
    NCA_S_SERVER_TOO_BUSY(0x1C010014, "nca_s_server_too_busy"),
    NCA_S_FAULT_STRING_TOO_LONG(0x1C010015, "nca_s_fault_string_too_long"),
    NCA_S_UNSUPPORTED_TYPE(0x1C010017, "nca_s_unsupported_type"),
    NCA_S_FAULT_INT_DIV_BY_ZERO(0x1C000001, "nca_s_fault_int_div_by_zero"),
    NCA_S_FAULT_ADDR_ERROR(0x1C000002, "nca_s_fault_addr_error"),
    NCA_S_FAULT_FP_DIV_ZERO(0x1C000003, "nca_s_fault_fp_div_zero"),
    NCA_S_FAULT_FP_UNDERFLOW(0x1C000004, "nca_s_fault_fp_underflow"),
    NCA_S_FAULT_FP_OVERFLOW(0x1C000005, "nca_s_fault_fp_overflow"),
    NCA_S_FAULT_INVALID_TAG(0x1C000006, "nca_s_fault_invalid_tag"),
    NCA_S_FAULT_INVALID_BOUND(0x1C000007, "nca_s_fault_invalid_bound"),
    NCA_RPC_VERSION_MISMATCH(0x1C000008, "nca_rpc_version_mismatch"),
    NCA_UNSPEC_REJECT(0x1C000009, "nca_unspec_reject"),
    NCA_S_BAD_ACTID(0x1C00000A, "nca_s_bad_actid"),
    NCA_WHO_ARE_YOU_FAILED(0x1C00000B, "nca_who_are_you_failed"),
    NCA_MANAGER_NOT_ENTERED(0x1C00000C, "nca_manager_not_entered"),
    NCA_S_FAULT_CANCEL(0x1C00000D, "nca_s_fault_cancel"),
    NCA_S_FAULT_ILL_INST(0x1C00000E, "nca_s_fault_ill_inst"),
    NCA_S_FAULT_FP_ERROR(0x1C00000F, "nca_s_fault_fp_error"),
    NCA_S_FAULT_INT_OVERFLOW(0x1C000010, "nca_s_fault_int_overflow"),
    NCA_S_FAULT_UNSPEC(0x1C000012, "nca_s_fault_unspec"),
    NCA_S_FAULT_REMOTE_COMM_FAILURE(0x1C000013, "nca_s_fault_remote_comm_failure"),
    NCA_S_FAULT_PIPE_EMPTY(0x1C000014, "nca_s_fault_pipe_empty"),
    NCA_S_FAULT_PIPE_CLOSED(0x1C000015, "nca_s_fault_pipe_closed"),
    NCA_S_FAULT_PIPE_ORDER(0x1C000016, "nca_s_fault_pipe_order"),
    NCA_S_FAULT_PIPE_DISCIPLINE(0x1C000017, "nca_s_fault_pipe_discipline"),
    NCA_S_FAULT_PIPE_COMM_ERROR(0x1C000018, "nca_s_fault_pipe_comm_error"),
    NCA_S_FAULT_PIPE_MEMORY(0x1C000019, "nca_s_fault_pipe_memory"),
    /** A context handle was not recognised. */
    NCA_S_FAULT_CONTEXT_MISMATCH(0x1C00001A, "nca_s_fault_context_mismatch"),
    NCA_S_FAULT_REMOTE_NO_MEMORY(0x1C00001B, "nca_s_fault_remote_no_memory"),
    NCA_S_INVALID_PRES_CONTEXT_ID(0x1C00001C, "nca_s_invalid_pres_context_id"),
    NCA_S_UNSUPPORTED_AUTHN_LEVEL(0x1C00001D, "nca_s_unsupported_authn_level"),
    NCA_S_INVALID_CHECKSUM(0x1C00001F, "nca_s_invalid_checksum"),
    NCA_S_INVALID_CRC(0x1C000020, "nca_s_invalid_crc"),
    NCA_S_FAULT_USER_DEFINED(0x1C000021, "nca_s_fault_user_defined"),
    NCA_S_FAULT_TX_OPEN_FAILED(0x1C000022, "nca_s_fault_tx_open_failed"),
    NCA_S_FAULT_CODESET_CONV_ERROR(0x1C000023, "nca_s_fault_codeset_conv_error"),
    NCA_S_FAULT_OBJECT_NOT_FOUND(0x1C000024, "nca_s_fault_object_not_found"),
    NCA_S_FAULT_NO_CLIENT_STUB(0x1C000025, "nca_s_fault_no_client_stub"),
    /** DCE numbering of a cancelled call. */
    RPC_S_CALL_CANCELLED_DCE(0x16C9A031, "rpc_s_call_cancelled"),
    /** The usual Windows "access denied" fault (oversized request, failed verification trailer, auth failure). */
    ERROR_ACCESS_DENIED(0x00000005, "ERROR_ACCESS_DENIED"),
    RPC_S_OUT_OF_RESOURCES(0x000006B9, "RPC_S_OUT_OF_RESOURCES"),
    RPC_S_SERVER_UNAVAILABLE(0x000006BA, "RPC_S_SERVER_UNAVAILABLE"),
    /** A first request fragment arrived with PFC_PENDING_CANCEL (RPCE-FACTS §8). */
    RPC_S_NO_CALL_ACTIVE(0x000006BD, "RPC_S_NO_CALL_ACTIVE"),
    RPC_S_INVALID_BOUND(0x000006C6, "RPC_S_INVALID_BOUND"),
    EPT_S_CANT_PERFORM_OP(0x000006D8, "EPT_S_CANT_PERFORM_OP"),
    /** Samba's IDL mislabels this value DCERPC_FAULT_OUT_OF_RESOURCES (RPCE-FACTS §14.6). */
    EPT_S_NOT_REGISTERED(0x000006D9, "EPT_S_NOT_REGISTERED"),
    RPC_S_CANNOT_SUPPORT(0x000006E4, "RPC_S_CANNOT_SUPPORT"),
    /** Undecodable stub; mandatory for an invalid octet stream (MS-RPCE 3.1.3.5.2). Also nca_s_fault_ndr. */
    RPC_X_BAD_STUB_DATA(0x000006F7, "RPC_X_BAD_STUB_DATA"),
    /** Windows' own value for a cancelled call (1818). */
    RPC_S_CALL_CANCELLED(0x0000071A, "RPC_S_CALL_CANCELLED"),
    /** Security package error; also nca_s_fault_sec_pkg_error. */
    RPC_S_SEC_PKG_ERROR(0x00000721, "RPC_S_SEC_PKG_ERROR"),
    /** Samba's generic fault. */
    DCERPC_FAULT_OTHER(0x00000001, "DCERPC_FAULT_OTHER");

    private static final Map<Integer, FaultStatus> BY_CODE = new HashMap<>();

    static {
        for (FaultStatus s : values()) BY_CODE.put(s.code, s);
    }

    private final int code;
    private final String specName;

    FaultStatus(int code, String specName) {
        this.code = code;
        this.specName = specName;
    }

    /** The 32-bit status as it goes in a fault PDU. */
    public int code() {
        return code;
    }

    /** The name the spec (or winerror) gives this status. */
    public String specName() {
        return specName;
    }

    /** The known status with this code, or {@code null}. */
    public static FaultStatus of(int code) {
        return BY_CODE.get(code);
    }

    /** A readable form of any status: the spec name and hex value, or just the hex value when unknown. */
    public static String describe(int code) {
        FaultStatus s = of(code);
        String hex = String.format("0x%08X", code);
        return s == null ? hex : s.specName + " (" + hex + ")";
    }
}
