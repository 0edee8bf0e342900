package dev.weft.cli;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.epmapper.Epmapper;
import dev.weft.interfaces.epmapper.Epmapper.EptLookupHandle;
import dev.weft.interfaces.epmapper.Epmapper.MapResult;
import dev.weft.interfaces.epmapper.Epmapper.Twr;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import dev.weft.pdu.ProtocolTower;
import dev.weft.transport.Protseq;
import dev.weft.transport.StringBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code weft map BINDING IFUUID[/MAJOR.MINOR]}: where an interface listens, by {@code ept_map} with a tower for
 * the interface, NDR and the chosen protocol sequence, as a Windows client resolves a binding without endpoint.
 */
final class MapCommand implements Command {
    static final int MAX_TOWERS = 16;

    @Override
    public String name() {
        return "map";
    }

    @Override
    public String summary() {
        return "resolve one interface to its endpoints (ept_map)";
    }

    @Override
    public String help() {
        return """
                usage: weft map BINDING INTERFACE[/MAJOR[.MINOR]] [--protseq ncacn_ip_tcp|ncalrpc] [--timeout S] [--json]

                Asks the endpoint mapper at BINDING (port 135 if it names no endpoint) where INTERFACE listens.
                INTERFACE is a UUID or a well-known name (rpcecho, samr, netlogon, ...); the version defaults
                to the name's or 1.0. Exits 5 when the endpoint mapper does not know the interface.

                  --protseq P     the protocol sequence asked for (default ncacn_ip_tcp)
                %s
                example: weft map ncacn_ip_tcp:127.0.0.1[1350] 60a15ec5-4de8-11d7-a637-005056a20182/1.0
                """.formatted(Target.OPTIONS_HELP);
    }

    @Override
    public int run(String[] argv, Io io) {
        Args args = Args.parse(name(), argv, union(Target.VALUED, "protseq"), Target.FLAGS);
        List<String> pos = args.positional(2, 2, "BINDING and INTERFACE");
        StringBinding binding = Target.binding(name(), pos.get(0), "135");
        SyntaxId iface = parseInterface(pos.get(1));
        Protseq protseq = switch (args.value("protseq", "ncacn_ip_tcp")) {
            case "ncacn_ip_tcp" -> Protseq.NCACN_IP_TCP;
            case "ncalrpc" -> Protseq.NCALRPC;
            default -> throw CliException.usage("map: --protseq must be ncacn_ip_tcp or ncalrpc");
        };
        ProtocolTower query = protseq == Protseq.NCALRPC
                ? ProtocolTower.ncalrpc(iface, SyntaxId.NDR20, "")
                : ProtocolTower.tcp(iface, SyntaxId.NDR20, "0.0.0.0", 0);
        byte[] octets = query.encode();

        List<String> found = new ArrayList<>();
        int status;
        try (RpcClient client = Target.connect(io, binding, args)) {
            Epmapper.Client epm = Epmapper.client(client.bind(Epmapper.INTERFACE_ID));
            MapResult r = epm.map(Uuid.NIL, new Twr(octets.length, octets), EptLookupHandle.NULL, MAX_TOWERS);
            status = r.status();
            for (Twr t : r.towers()) {
                if (t == null) continue;
                try {
                    found.add(Towers.binding(ProtocolTower.decode(t.towerOctetString())));
                } catch (IllegalArgumentException bad) {
                    found.add("(unreadable tower: " + bad.getMessage() + ")");
                }
            }
            if (!r.entryHandleOut().isNull()) epm.lookupHandleFree(r.entryHandleOut());
        }
        if (found.isEmpty() && status != 0 && status != EpmCommand.EPT_S_NOT_REGISTERED) {
            throw new CliException(ExitCode.REFUSED, String.format("map: ept_map failed with status 0x%08x", status));
        }
        if (args.has("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interface", iface.uuid().toString());
            m.put("major", iface.major());
            m.put("minor", iface.minor());
            m.put("status", status);
            m.put("bindings", found);
            io.out().println(Json.write(m));
        } else if (found.isEmpty()) {
            io.err().println("weft map: " + Interfaces.format(iface) + " is not registered at " + binding
                    + String.format(" (status 0x%08x)", status));
        } else {
            for (String f : found) io.out().println(f);
        }
        return found.isEmpty() ? ExitCode.NOT_FOUND : ExitCode.OK;
    }

    /** {@code UUID[/MAJOR[.MINOR]]} or a well-known name with the same optional version. */
    static SyntaxId parseInterface(String text) {
        int slash = text.indexOf('/');
        String id = slash < 0 ? text : text.substring(0, slash);
        SyntaxId known = Interfaces.byName(id);
        Uuid uuid;
        if (known != null) {
            uuid = known.uuid();
        } else {
            try {
                uuid = Uuid.parse(id);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("map: '" + id + "' is neither an interface UUID nor a known name "
                        + Interfaces.names());
            }
        }
        int major = known == null ? 1 : known.major();
        int minor = known == null ? 0 : known.minor();
        if (slash >= 0) {
            String v = text.substring(slash + 1);
            int dot = v.indexOf('.');
            major = Args.parseInt("map", "the interface version", dot < 0 ? v : v.substring(0, dot), 0, 65535);
            minor = dot < 0 ? 0 : Args.parseInt("map", "the interface version", v.substring(dot + 1), 0, 65535);
        }
        return new SyntaxId(uuid, major, minor);
    }

    private static Set<String> union(Set<String> a, String b) {
        var s = new java.util.HashSet<>(a);
        s.add(b);
        return Set.copyOf(s);
    }
}
