package dev.weft.pdu;

import dev.weft.ndr.SyntaxId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The verification trailer of MS-RPCE 2.2.2.13: an 8-byte signature and commands that let a server check what the
 * security provider does not protect. It sits in the last request fragment after the stub data, 4-aligned, before
 * the auth padding, so it is part of the stub the records carry. The last command carries
 * {@link #SEC_VT_COMMAND_END}; the encoder sets it.
 *
 * <p>Receivers search for the signature backwards from the end of the stub in 4-byte steps within a bounded
 * window (Samba uses 1024 bytes), since clients may pad between stub and trailer.
 */
public record VerificationTrailer(List<Command> commands) {

    /** SEC_VT_COMMAND_BITMASK_1 (MS-RPCE 2.2.2.13.2). */
    public static final int SEC_VT_COMMAND_BITMASK_1 = 0x0001;
    /** SEC_VT_COMMAND_PCONTEXT (MS-RPCE 2.2.2.13.4). */
    public static final int SEC_VT_COMMAND_PCONTEXT = 0x0002;
    /** SEC_VT_COMMAND_HEADER2 (MS-RPCE 2.2.2.13.3). */
    public static final int SEC_VT_COMMAND_HEADER2 = 0x0003;
    /** Command flag: the last command. */
    public static final int SEC_VT_COMMAND_END = 0x4000;
    /** Command flag: a receiver that does not understand the command MUST reject the request. */
    public static final int SEC_VT_MUST_PROCESS_COMMAND = 0x8000;
    /** The one BITMASK_1 bit: the client set PFC_SUPPORT_HEADER_SIGN in its bind (MS-RPCE 2.2.2.13.2). */
    public static final int CLIENT_SUPPORT_HEADER_SIGNING = 0x00000001;
    /** Default search window, as Samba's receiver. */
    public static final int DEFAULT_SEARCH_WINDOW = 1024;

    private static final byte[] SIGNATURE = {(byte) 0x8A, (byte) 0xE3, 0x13, 0x71, 0x02, (byte) 0xF4, 0x36, 0x71};
    private static final int COMMAND_TYPE_MASK = 0x3FFF;

    /** A verification trailer command. */
    public sealed interface Command permits Bitmask1, PContext, Header2, Unknown {
        /** The command type, the low 14 bits. */
        int type();

        /** Whether {@link #SEC_VT_MUST_PROCESS_COMMAND} is set. */
        boolean mustProcess();
    }

    /** {@code rpc_sec_vt_bitmask}: length 4, a u32 of bits. */
    public record Bitmask1(int bits, boolean mustProcess) implements Command {
        @Override
        public int type() {
            return SEC_VT_COMMAND_BITMASK_1;
        }
    }

    /** {@code rpc_sec_vt_pcontext}: length 40, the context's interface and transfer syntax. */
    public record PContext(SyntaxId interfaceId, SyntaxId transferSyntax, boolean mustProcess) implements Command {
        /** Requires both syntaxes. */
        public PContext {
            if (interfaceId == null || transferSyntax == null) throw new NullPointerException("syntax");
        }

        @Override
        public int type() {
            return SEC_VT_COMMAND_PCONTEXT;
        }
    }

    /** {@code rpc_sec_vt_header2}: length 16, copies of the request header's fields. */
    public record Header2(int ptype, int drep, int callId, int contextId, int opnum, boolean mustProcess)
            implements Command {
        /** The HEADER2 command describing {@code request}. */
        public static Header2 of(Request request, boolean mustProcess) {
            return new Header2(PType.REQUEST, request.drep(), request.callId(), request.contextId(),
                    request.opnum(), mustProcess);
        }

        /** Whether this command matches the request header it arrived in. */
        public boolean matches(Request request) {
            return ptype == PType.REQUEST && drep == request.drep() && callId == request.callId()
                    && contextId == request.contextId() && opnum == request.opnum();
        }

        @Override
        public int type() {
            return SEC_VT_COMMAND_HEADER2;
        }
    }

    /** A command this implementation does not know; a server rejects the request if it must be processed. */
    public record Unknown(int type, boolean mustProcess, byte[] body) implements Command {
    }

    /** A trailer found in a stub: where it starts (the stub data proper ends there) and what it says. */
    public record Found(int offset, VerificationTrailer trailer) {
    }

    /** Copies the command list, which must not be empty. */
    public VerificationTrailer {
        commands = List.copyOf(commands);
        if (commands.isEmpty()) throw new IllegalArgumentException("a verification trailer has commands");
    }

    /** A trailer of these commands. */
    public static VerificationTrailer of(Command... commands) {
        return new VerificationTrailer(List.of(commands));
    }

    /** The 8-byte signature (a copy). */
    public static byte[] signature() {
        return SIGNATURE.clone();
    }

    /** Whether a command that MUST be processed is one this implementation does not understand. */
    public boolean hasUnknownMustProcess() {
        for (Command c : commands) if (c instanceof Unknown u && u.mustProcess()) return true;
        return false;
    }

    /** The first command of this class, or {@code null}. */
    public <C extends Command> C command(Class<C> type) {
        for (Command c : commands) if (type.isInstance(c)) return type.cast(c);
        return null;
    }

    /** Encoded size. */
    public int encodedLength() {
        int n = SIGNATURE.length;
        for (Command c : commands) n += 4 + bodyLength(c);
        return n;
    }

    /** The little-endian encoding. */
    public byte[] encode() {
        return encode(false);
    }

    byte[] encode(boolean bigEndian) {
        byte[] out = new byte[encodedLength()];
        WireWriter w = new WireWriter(out, 0, bigEndian);
        w.bytes(SIGNATURE);
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            int cmd = c.type() & COMMAND_TYPE_MASK
                    | (i == commands.size() - 1 ? SEC_VT_COMMAND_END : 0)
                    | (c.mustProcess() ? SEC_VT_MUST_PROCESS_COMMAND : 0);
            w.u16(cmd);
            w.u16(bodyLength(c));
            switch (c) {
                case Bitmask1 b -> w.u32(b.bits());
                case PContext p -> {
                    w.syntax(p.interfaceId());
                    w.syntax(p.transferSyntax());
                }
                case Header2 h -> {
                    w.u8(h.ptype());
                    w.u8(0);
                    w.u16(0);
                    w.u8(h.drep() >>> 24); // drep is four single bytes, copied as in the header
                    w.u8(h.drep() >>> 16);
                    w.u8(h.drep() >>> 8);
                    w.u8(h.drep());
                    w.u32(h.callId());
                    w.u16(h.contextId());
                    w.u16(h.opnum());
                }
                case Unknown u -> w.bytes(u.body());
            }
        }
        return out;
    }

    private static int bodyLength(Command c) {
        return switch (c) {
            case Bitmask1 b -> 4;
            case PContext p -> 2 * SyntaxId.SIZE;
            case Header2 h -> 16;
            case Unknown u -> u.body().length;
        };
    }

    /**
     * {@code stub}, zero-padded to a multiple of 4 (the trailer MUST be 4-aligned relative to the PDU, and request
     * headers are 24 or 40 bytes), followed by this trailer: the stub to fragment for a request's last fragment.
     */
    public byte[] appendTo(byte[] stub) {
        int at = (stub.length + 3) & ~3;
        byte[] t = encode();
        byte[] out = Arrays.copyOf(stub, at + t.length);
        System.arraycopy(t, 0, out, at, t.length);
        return out;
    }

    /** {@link #find(byte[], int, boolean)} with the default 1024-byte window, little-endian. */
    public static Found find(byte[] stub) {
        return find(stub, DEFAULT_SEARCH_WINDOW, false);
    }

    /**
     * Searches the last {@code window} bytes of a whole request stub, backwards in 4-byte steps from the end, for
     * the trailer signature and decodes the trailer there.
     *
     * @param bigEndian the request's drep byte order (a big-endian request's trailer may be little-endian, as
     *                  Samba's client writes it)
     * @return the trailer, or {@code null} when there is none
     * @throws ProtocolException fault 0x5 (as Windows answers a failed trailer check, RPCE-FACTS §3.1) when the
     *                           signature is found but the commands are malformed
     */
    public static Found find(byte[] stub, int window, boolean bigEndian) {
        int lowest = Math.max(0, stub.length - window);
        // a trailer holds the signature and at least one 4-byte command header
        for (int p = (stub.length - SIGNATURE.length - 4) & ~3; p >= lowest; p -= 4) {
            if (Arrays.equals(stub, p, p + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                if (!bigEndian) return new Found(p, decode(stub, p + SIGNATURE.length, false));
                // Samba's client writes the trailer little-endian in a big-endian request too, syntax UUIDs
                // included (captured: interfaces' samba-4.17-samr-tcp.txt), and Samba's server takes it: the
                // drep's order first, then little-endian.
                try {
                    return new Found(p, decode(stub, p + SIGNATURE.length, true));
                } catch (ProtocolException e) {
                    try {
                        return new Found(p, decode(stub, p + SIGNATURE.length, false));
                    } catch (ProtocolException ignored) {
                        throw e;
                    }
                }
            }
        }
        return null;
    }

    private static VerificationTrailer decode(byte[] stub, int from, boolean bigEndian) {
        // PTYPE is irrelevant: failures are mapped to the trailer's own answer below.
        WireReader r = new WireReader(stub, from, stub.length, bigEndian, PType.REQUEST);
        List<Command> commands = new ArrayList<>(4);
        int seen = 0;
        boolean end = false;
        while (!end) {
            if (r.remaining() < 4) throw bad("verification trailer without SEC_VT_COMMAND_END");
            int cmd = r.u16();
            int length = r.u16();
            if (r.remaining() < length) throw bad("command length " + length + " beyond the stub");
            int type = cmd & COMMAND_TYPE_MASK;
            boolean must = (cmd & SEC_VT_MUST_PROCESS_COMMAND) != 0;
            end = (cmd & SEC_VT_COMMAND_END) != 0;
            if (type < 32) {
                if ((seen & 1 << type) != 0) throw bad("command " + type + " appears twice");
                seen |= 1 << type;
            }
            commands.add(switch (type) {
                case SEC_VT_COMMAND_BITMASK_1 -> {
                    expect(length, 4, type);
                    yield new Bitmask1(r.u32(), must);
                }
                case SEC_VT_COMMAND_PCONTEXT -> {
                    expect(length, 2 * SyntaxId.SIZE, type);
                    yield new PContext(r.syntax(), r.syntax(), must);
                }
                case SEC_VT_COMMAND_HEADER2 -> {
                    expect(length, 16, type);
                    int ptype = r.u8();
                    r.skip(3, "reserved");
                    int drep = (r.u8() << 24) | (r.u8() << 16) | (r.u8() << 8) | r.u8();
                    yield new Header2(ptype, drep, r.u32(), r.u16(), r.u16(), must);
                }
                default -> new Unknown(type, must, r.bytes(length, "command"));
            });
        }
        return new VerificationTrailer(commands);
    }

    private static void expect(int length, int wanted, int type) {
        if (length != wanted) throw bad("command " + type + " has length " + length + ", not " + wanted);
    }

    private static ProtocolException bad(String message) {
        return ProtocolException.fault(FaultStatus.ERROR_ACCESS_DENIED, "verification trailer: " + message);
    }
}
