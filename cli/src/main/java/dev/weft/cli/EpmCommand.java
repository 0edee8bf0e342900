package dev.weft.cli;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.epmapper.Epmapper;
import dev.weft.interfaces.epmapper.Epmapper.EptEntry;
import dev.weft.interfaces.epmapper.Epmapper.EptLookupHandle;
import dev.weft.interfaces.epmapper.Epmapper.LookupResult;
import dev.weft.ndr.SyntaxId;
import dev.weft.pdu.ProtocolTower;
import dev.weft.transport.StringBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code weft epm BINDING}: every endpoint a server's endpoint mapper knows, paging through {@code ept_lookup}
 * with its context handle, as Windows' rpcdump does.
 */
final class EpmCommand implements Command {
    /** ept_s_not_registered: the end of the listing (Samba answers it after a first full page). */
    static final int EPT_S_NOT_REGISTERED = 0x16C9A0D6;
    /** rpc_c_vers_all (C706 Appendix O). */
    static final int RPC_C_VERS_ALL = 1;
    /** Entries asked for per call; a page bounds what one answer may hold. */
    static final int PAGE = 100;
    /** The most pages read: a server whose handle never ends cannot keep us looping. */
    static final int MAX_PAGES = 10_000;

    @Override
    public String name() {
        return "epm";
    }

    @Override
    public String summary() {
        return "list every endpoint a server's endpoint mapper knows (like rpcdump)";
    }

    @Override
    public String help() {
        return """
                usage: weft epm BINDING [--timeout S] [--ndr] [--json]

                Lists every (interface, endpoint) the endpoint mapper at BINDING knows, through ept_lookup.
                A binding without an endpoint asks port 135.

                %s
                example: weft epm ncacn_ip_tcp:127.0.0.1[1350]
                """.formatted(Target.OPTIONS_HELP);
    }

    /** One row of the listing. */
    record Row(SyntaxId iface, String binding, String annotation, String object) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uuid", iface == null ? null : iface.uuid().toString());
            m.put("major", iface == null ? null : iface.major());
            m.put("minor", iface == null ? null : iface.minor());
            m.put("name", iface == null ? null : Interfaces.name(iface.uuid()));
            m.put("binding", binding);
            m.put("annotation", annotation);
            m.put("object", object);
            return m;
        }
    }

    @Override
    public int run(String[] argv, Io io) {
        Args args = Args.parse(name(), argv, Target.VALUED, Target.FLAGS);
        StringBinding binding = Target.binding(name(), args.positional(1, 1, "BINDING").get(0), "135");
        List<Row> rows = new ArrayList<>();
        try (RpcClient client = Target.connect(io, binding, args);
             Progress progress = io.progress("listing endpoints at " + binding)) {
            Epmapper.Client epm = Epmapper.client(client.bind(Epmapper.INTERFACE_ID));
            EptLookupHandle handle = EptLookupHandle.NULL;
            for (int page = 0; page < MAX_PAGES; page++) {
                LookupResult r = epm.lookup(Epmapper.RPC_C_EP_ALL_ELTS, null, null, RPC_C_VERS_ALL, handle, PAGE);
                for (EptEntry e : r.entries()) rows.add(row(e));
                progress.update("listing endpoints at " + binding + ": " + rows.size() + " so far");
                handle = r.entryHandleOut();
                if (r.status() == EPT_S_NOT_REGISTERED) break;
                if (r.status() != 0) {
                    throw new CliException(ExitCode.REFUSED, String.format("epm: ept_lookup failed with status 0x%08x", r.status()));
                }
                if (handle.isNull() || r.entries().isEmpty()) break;
            }
            if (!handle.isNull()) epm.lookupHandleFree(handle); // we stopped early: let the server drop its cursor
        }
        if (args.has("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("binding", binding.toString());
            m.put("entries", rows.stream().map(Row::json).toList());
            io.out().println(Json.write(m));
        } else {
            for (Row r : rows) {
                String name = r.iface() == null ? null : Interfaces.name(r.iface().uuid());
                io.out().printf("%-44s %-30s %s%n", r.iface() == null ? "(no interface)" : Interfaces.format(r.iface()),
                        r.binding(), r.annotation().isEmpty() ? (name == null ? "" : name) : r.annotation());
            }
            io.out().println(rows.size() + " endpoint" + (rows.size() == 1 ? "" : "s"));
        }
        return rows.isEmpty() ? ExitCode.NOT_FOUND : ExitCode.OK;
    }

    private static Row row(EptEntry e) {
        String object = e.object() == null || e.object().isNil() ? null : e.object().toString();
        String annotation = e.annotation() == null ? "" : e.annotation();
        if (e.tower() == null) return new Row(null, "(no tower)", annotation, object);
        try {
            ProtocolTower t = ProtocolTower.decode(e.tower().towerOctetString());
            return new Row(t.iface(), Towers.binding(t), annotation, object);
        } catch (IllegalArgumentException bad) {
            return new Row(null, "(unreadable tower: " + bad.getMessage() + ")", annotation, object);
        }
    }
}
