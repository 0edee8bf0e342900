package dev.weft.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Samba AD DC the interop tests talk to, on 127.0.0.1 only. The first test that needs it runs
 * {@code tools/interop/samba-up.sh}, which provisions the domain once and starts Samba if it is not running.
 * A missing peer is a failure, never a skip: an interop test that did not run proved nothing.
 */
final class SambaDc {
    static final String HOST = "127.0.0.1";
    /** Where tools/interop/samba-up.sh keeps the DC (its configuration, krb5.conf, sockets and the Weft keytab). */
    static final String DIR = System.getenv().getOrDefault("WEFT_SAMBA_DIR", "/var/lib/weft-samba");
    static final int EPMAPPER_PORT = 135;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static boolean started;

    private SambaDc() {
    }

    /** Makes sure the DC runs; fails with the script's output when it cannot be started. */
    static void ensureRunning() {
        LOCK.lock();
        try {
            if (started) return;
            Path script = repositoryRoot().resolve("tools/interop/samba-up.sh");
            Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("could not start the Samba AD DC (tools/interop/samba-up.sh; install "
                        + "the peers with tools/interop/install.sh as root):\n" + new String(out, StandardCharsets.UTF_8));
            }
            // The JDK's Kerberos (the tests' clients and servers) uses the DC's KDC.
            System.setProperty("java.security.krb5.conf", DIR + "/krb5.conf");
            started = true;
        } catch (IOException e) {
            throw new IllegalStateException("could not run tools/interop/samba-up.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Samba", e);
        } finally {
            LOCK.unlock();
        }
    }

    private static dev.weft.transport.Transports ncalrpc;

    /**
     * Transports that reach Samba's ncalrpc sockets ({@code ncalrpc:[DEFAULT]}). Weft's ncalrpc transport only uses an
     * owner-only directory, and Samba's is world-readable: a private directory holding a link to Samba's DEFAULT
     * socket (connect follows the link) reaches it without touching Samba's. Clients pass these in their options (not
     * the JVM-wide default transport, which other tests share).
     */
    static dev.weft.transport.Transports ncalrpcTransports() {
        LOCK.lock();
        try {
            if (ncalrpc == null) {
                Path dir = Files.createTempDirectory("weft-samba-ncalrpc",
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                Files.createSymbolicLink(dir.resolve("DEFAULT"), Path.of(DIR, "run", "ncalrpc", "DEFAULT"));
                dir.toFile().deleteOnExit();
                dir.resolve("DEFAULT").toFile().deleteOnExit();
                ncalrpc = dev.weft.transport.Transports.defaults().with(dev.weft.transport.Transports.ncalrpc(dir));
            }
            return ncalrpc;
        } catch (IOException e) {
            throw new IllegalStateException("cannot link Samba's ncalrpc socket", e);
        } finally {
            LOCK.unlock();
        }
    }

    /** The DC's smb.conf, which Samba's client tools read ({@code -s}). */
    static String smbConf() {
        return DIR + "/etc/smb.conf";
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("tools/interop/samba-up.sh"))) return d;
        }
        throw new IllegalStateException("no tools/interop/samba-up.sh above " + dir);
    }
}
