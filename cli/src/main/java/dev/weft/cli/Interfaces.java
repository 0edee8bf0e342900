package dev.weft.cli;

import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names and usual versions of interfaces a Windows or Samba server commonly lists, so {@code epm} and
 * {@code mgmt} print "samr" beside the UUID and {@code map samr} works. One table, for display and input only.
 */
final class Interfaces {
    private static final Map<String, SyntaxId> BY_NAME = new LinkedHashMap<>();
    private static final Map<Uuid, String> BY_UUID = new LinkedHashMap<>();

    static {
        add("epmapper", "e1af8308-5d1f-11c9-91a4-08002b14a0fa", 3, 0);
        add("mgmt", "afa8bd80-7d8a-11c9-bef4-08002b102989", 1, 0);
        add("rpcecho", "60a15ec5-4de8-11d7-a637-005056a20182", 1, 0);
        add("witness", "ccd8c074-d0e5-4a40-92b4-d074faa6ba28", 1, 1);
        add("frstrans", "897e2e5f-93f3-4376-9c9c-fd2277495c27", 1, 0);
        add("dssetup", "3919286a-b10c-11d0-9ba8-00c04fd92ef5", 0, 0);
        add("lsarpc", "12345778-1234-abcd-ef00-0123456789ab", 0, 0);
        add("samr", "12345778-1234-abcd-ef00-0123456789ac", 1, 0);
        add("netlogon", "12345678-1234-abcd-ef00-01234567cffb", 1, 0);
        add("spoolss", "12345678-1234-abcd-ef00-0123456789ab", 1, 0);
        add("drsuapi", "e3514235-4b06-11d1-ab04-00c04fc2dcd2", 4, 0);
        add("srvsvc", "4b324fc8-1670-01d3-1278-5a47bf6ee188", 3, 0);
        add("wkssvc", "6bffd098-a112-3610-9833-46c3f87e345a", 1, 0);
        add("winreg", "338cd001-2244-31f1-aaaa-900038001003", 1, 0);
        add("svcctl", "367abb81-9844-35f1-ad32-98f038001003", 2, 0);
        add("backupkey", "3dde7c30-165d-11d1-ab8f-00805f14db40", 1, 0);
        add("dnsserver", "50abc2a4-574d-40b3-9d66-ee4fd5fba076", 5, 0);
        add("eventlog6", "f6beaff7-1e19-4fbb-9f8f-b89e2018337c", 1, 0);
        add("unixinfo", "9c54e310-a955-4885-bd31-78787147dfa6", 0, 0);
    }

    private Interfaces() {
    }

    private static void add(String name, String uuid, int major, int minor) {
        SyntaxId id = new SyntaxId(Uuid.parse(uuid), major, minor);
        BY_NAME.put(name, id);
        BY_UUID.put(id.uuid(), name);
    }

    /** The common name of an interface, or {@code null}. */
    static String name(Uuid uuid) {
        return BY_UUID.get(uuid);
    }

    /** The interface and usual version a name stands for, or {@code null}. */
    static SyntaxId byName(String name) {
        return BY_NAME.get(name);
    }

    static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** {@code uuid vMAJOR.MINOR}. */
    static String format(SyntaxId id) {
        return id.uuid() + " v" + id.major() + "." + id.minor();
    }
}
