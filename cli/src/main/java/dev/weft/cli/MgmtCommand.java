package dev.weft.cli;

import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.mgmt.Mgmt;
import dev.weft.ndr.NdrException;
import dev.weft.ndr.SyntaxId;
import dev.weft.transport.StringBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code weft mgmt BINDING}: what the remote management interface (C706 Appendix Q) tells about a server: its
 * interfaces, its statistics, whether it listens and its principal name. Every DCE/RPC endpoint answers mgmt,
 * so this works against Weft, Samba and Windows alike.
 */
final class MgmtCommand implements Command {
    /** rpc_c_authn_winnt: the principal name of NTLM, the one every server has. */
    static final int RPC_C_AUTHN_WINNT = 10;
    static final int PRINC_NAME_SIZE = 1024;
    static final String[] STAT_NAMES = {"calls_in", "calls_out", "packets_in", "packets_out"};

    @Override
    public String name() {
        return "mgmt";
    }

    @Override
    public String summary() {
        return "a server's interfaces, statistics, listening state and principal name (mgmt)";
    }

    @Override
    public String help() {
        return """
                usage: weft mgmt BINDING [--timeout S] [--json]

                Calls mgmt inq_if_ids, inq_stats, is_server_listening and inq_princ_name at BINDING
                (port 135 if it names no endpoint), always in NDR (inq_stats has two IDL forms that differ only
                in NDR64). Only inq_if_ids must succeed; another call the server refuses is reported, not fatal.

                %s
                example: weft mgmt ncacn_ip_tcp:127.0.0.1[1350]
                """.formatted(Target.OPTIONS_HELP);
    }

    @Override
    public int run(String[] argv, Io io) {
        Args args = Args.parse(name(), argv, Target.VALUED, Target.FLAGS);
        StringBinding binding = Target.binding(name(), args.positional(1, 1, "BINDING").get(0), "135");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("binding", binding.toString());
        // NDR only: C706's IDL (and Weft's server) put inq_stats' [in,out] count before the conformant array;
        // Samba's IDL hoists the array's conformance first, as in a conformant struct. In NDR the two are the same
        // bytes (two u32 equal to n); in NDR64 they would differ, so NDR is the form every server answers alike.
        try (RpcClient client = Target.connect(io, binding, Target.options(args).withPreferNdr64(false))) {
            Mgmt.Client mgmt = Mgmt.client(client.bind(Mgmt.INTERFACE_ID));
            // inq_if_ids is the one call that must work: a failure there is the command's failure.
            Mgmt.InqIfIdsResult ids = mgmt.inqIfIds();
            if (ids.status() != 0) {
                throw new CliException(ExitCode.REFUSED, String.format("mgmt: inq_if_ids failed with status 0x%08x", ids.status()));
            }
            List<Map<String, Object>> ifaces = new ArrayList<>();
            if (ids.ifIdVector() != null) {
                for (Mgmt.RpcIfId id : ids.ifIdVector().ifId()) {
                    if (id == null) continue;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("uuid", id.uuid().toString());
                    m.put("major", Short.toUnsignedInt(id.versMajor()));
                    m.put("minor", Short.toUnsignedInt(id.versMinor()));
                    m.put("name", Interfaces.name(id.uuid()));
                    ifaces.add(m);
                }
            }
            result.put("interfaces", ifaces);
            result.put("stats", optional(() -> {
                Mgmt.InqStatsResult s = mgmt.inqStats(STAT_NAMES.length);
                if (s.status() != 0) return status(s.status());
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < s.statistics().length && i < STAT_NAMES.length; i++) {
                    m.put(STAT_NAMES[i], Integer.toUnsignedLong(s.statistics()[i]));
                }
                return m;
            }));
            result.put("listening", optional(() -> {
                Mgmt.IsServerListeningResult l = mgmt.isServerListening();
                return l.status() != 0 ? status(l.status()) : l.result() != 0;
            }));
            result.put("principal", optional(() -> {
                Mgmt.InqPrincNameResult p = mgmt.inqPrincName(RPC_C_AUTHN_WINNT, PRINC_NAME_SIZE);
                return p.status() != 0 ? status(p.status()) : p.princName();
            }));
        }
        if (args.has("json")) {
            io.out().println(Json.write(result));
        } else {
            print(io, result);
        }
        return ExitCode.OK;
    }

    /** The value, or {"error": ...} when the server faults on this one call. */
    private static Object optional(Supplier<Object> call) {
        try {
            return call.get();
        } catch (RpcFaultException e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", e.getMessage());
            m.put("fault", e.status());
            return m;
        } catch (NdrException e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", "undecodable answer: " + e.getMessage());
            return m;
        }
    }

    private static Map<String, Object> status(int status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", String.format("status 0x%08x", status));
        m.put("status", status);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void print(Io io, Map<String, Object> r) {
        List<Map<String, Object>> ifaces = (List<Map<String, Object>>) r.get("interfaces");
        io.out().println("interfaces (" + ifaces.size() + "):");
        for (Map<String, Object> m : ifaces) {
            SyntaxId id = new SyntaxId(dev.weft.ndr.Uuid.parse((String) m.get("uuid")), (int) m.get("major"), (int) m.get("minor"));
            io.out().printf("  %-44s %s%n", Interfaces.format(id), m.get("name") == null ? "" : m.get("name"));
        }
        Object stats = r.get("stats");
        io.out().print("stats:");
        if (stats instanceof Map<?, ?> s && !s.containsKey("error")) {
            s.forEach((k, v) -> io.out().print(" " + k + "=" + v));
            io.out().println();
        } else {
            io.out().println(" " + describe(stats));
        }
        Object listening = r.get("listening");
        io.out().println("listening: " + (listening instanceof Boolean b ? (b ? "yes" : "no") : describe(listening)));
        Object p = r.get("principal");
        io.out().println("principal name: " + (p instanceof String s ? (s.isEmpty() ? "(none)" : s) : describe(p)));
    }

    private static String describe(Object error) {
        return error instanceof Map<?, ?> m ? "unavailable (" + m.get("error") + ")" : String.valueOf(error);
    }
}
