package dev.weft.fuzz;

import java.io.IOException;
import java.util.List;

/** The targets by name. */
public final class Targets {
    private Targets() {
    }

    /** Every target name, in the order {@code all} runs them. */
    public static final List<String> NAMES = List.of("pdu", "reassembly", "stubs", "ntlm", "spnego", "krb", "server");

    /** A new instance of the target called {@code name}. */
    public static Target create(String name) throws IOException {
        return switch (name) {
            case "pdu" -> new PduTarget();
            case "reassembly" -> new ReassemblyTarget();
            case "stubs" -> new StubTarget();
            case "ntlm" -> SecurityTarget.ntlm();
            case "spnego" -> SecurityTarget.spnego();
            case "krb" -> new KerberosTarget();
            case "server" -> new ServerTarget();
            default -> throw new IllegalArgumentException("no target " + name + "; targets: " + NAMES + " or all");
        };
    }
}
