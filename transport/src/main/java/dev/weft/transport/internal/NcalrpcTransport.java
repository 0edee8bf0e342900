package dev.weft.transport.internal;

import dev.weft.transport.Connection;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Listener;
import dev.weft.transport.Protseq;
import dev.weft.transport.RemoteAddress;
import dev.weft.transport.Transport;
import dev.weft.transport.UnresolvedEndpointException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * {@code ncalrpc} over Unix domain sockets: endpoint {@code name} is the socket file {@code <directory>/<name>}.
 *
 * <p>The default directory is {@code ${java.io.tmpdir}/weft-ncalrpc} (or the system property
 * {@value #DIRECTORY_PROPERTY}); it is created owner-only (rwx------), and because {@code java.io.tmpdir} is usually
 * shared, both ends refuse to use it if it belongs to someone else or is open to group or others: a socket there
 * could be someone else's. A directory given explicitly is created owner-only if missing and otherwise used as it is.
 *
 * <p>Listening removes a stale socket file (one nobody accepts on) and refuses to replace a live one or anything
 * that is not a socket; closing the listener deletes its file. Within one process a second listen on a name fails
 * at once; a file left by another process is tested by connecting to it, which a live listener there sees as a
 * connection that closes without a byte (harmless to an RPC server). The server side reports the peer's user and group
 * (SO_PEERCRED) as the client identity.
 */
public final class NcalrpcTransport implements Transport {

    /** System property naming the default socket directory. */
    public static final String DIRECTORY_PROPERTY = "weft.ncalrpc.dir";

    static final int BACKLOG = 512;

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private static final int PENDING = 0;
    private static final int CONNECTED = 1;
    private static final int TIMED_OUT = 2;

    /**
     * Socket files this process listens on. A second listen on one of them fails here, without the probe
     * connection that tells a live socket of another process from a stale one (which its listener would accept).
     */
    private static final Set<Path> BOUND = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final boolean checkPrivate;

    /** The transport on the default directory. */
    public NcalrpcTransport() {
        this(defaultDirectory(), true);
    }

    /** The transport on {@code directory}. */
    public NcalrpcTransport(Path directory) {
        this(directory, false);
    }

    /** {@code checkPrivate}: refuse a directory owned by another user or open to group or others. */
    NcalrpcTransport(Path directory, boolean checkPrivate) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        this.checkPrivate = checkPrivate;
    }

    /** {@code -Dweft.ncalrpc.dir}, else {@code ${java.io.tmpdir}/weft-ncalrpc}. */
    public static Path defaultDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "weft-ncalrpc");
    }

    /** Where the socket files are. */
    public Path directory() {
        return directory;
    }

    @Override
    public Protseq protseq() {
        return Protseq.NCALRPC;
    }

    @Override
    public Connection connect(Endpoint endpoint, Duration timeout) throws IOException {
        IoUtil.checkProtseq(Protseq.NCALRPC, endpoint);
        if (endpoint.name() == null) {
            throw new UnresolvedEndpointException(endpoint);
        }
        long nanos = IoUtil.positiveNanos(timeout);
        Path path = socketPath(endpoint.name());
        if (checkPrivate && Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            checkPrivate();
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        // A Unix domain connect normally completes or fails at once, but it can block on a full backlog: a
        // watchdog closes the channel when the timeout passes (closing is how a blocked socket call is stopped).
        AtomicInteger state = new AtomicInteger(PENDING);
        CountDownLatch finished = new CountDownLatch(1);
        Thread.ofVirtual().name("weft-ncalrpc-connect-watchdog").start(() -> {
            try {
                if (!finished.await(nanos, TimeUnit.NANOSECONDS) && state.compareAndSet(PENDING, TIMED_OUT)) {
                    IoUtil.closeQuietly(channel);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            IoUtil.closeQuietly(channel);
            if (state.get() == TIMED_OUT) {
                throw withCause(new SocketTimeoutException("timed out after " + timeout + " connecting to " + endpoint), e);
            }
            if (e instanceof ConnectException || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw withCause(new ConnectException("cannot connect to " + endpoint + ": nothing listens at " + path
                        + " (" + e.getMessage() + ")"), e);
            }
            throw withCause(new SocketException("cannot connect to " + endpoint + " at " + path + ": "
                    + e.getMessage()), e);
        } finally {
            finished.countDown();
        }
        if (!state.compareAndSet(PENDING, CONNECTED)) {
            IoUtil.closeQuietly(channel);
            throw new SocketTimeoutException("timed out after " + timeout + " connecting to " + endpoint);
        }
        return new ChannelConnection(channel, Protseq.NCALRPC, new Endpoint(Protseq.NCALRPC, "", null),
                new RemoteAddress(Protseq.NCALRPC, endpoint.toString(), "ncalrpc server " + path));
    }

    @Override
    public Listener listen(Endpoint endpoint) throws IOException {
        IoUtil.checkProtseq(Protseq.NCALRPC, endpoint);
        String name = endpoint.name() != null ? endpoint.name() : generatedName();
        Endpoint bound = Endpoint.ncalrpc(name);
        Path path = socketPath(name);
        ensureDirectory();
        if (!BOUND.add(path)) {
            throw new BindException(bound + " is in use: this process already listens at " + path);
        }
        ServerSocketChannel server = null;
        Object fileKey;
        try {
            removeStale(path, bound);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path), BACKLOG);
            fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (BindException e) {
            closeAfterFailure(server, path);
            if (e.getMessage() != null && e.getMessage().startsWith(bound.toString())) {
                throw e; // from removeStale, already explained
            }
            throw withCause(new BindException(bound + " is in use (" + path + ")"), e);
        } catch (IOException e) {
            closeAfterFailure(server, path);
            throw withCause(new SocketException("cannot listen on " + bound + " at " + path + ": " + e.getMessage()
                    + " (a socket path is limited to about 100 bytes: use a shorter directory or name if that is it)"), e);
        } catch (RuntimeException | Error e) {
            closeAfterFailure(server, path);
            throw e;
        }
        return new ChannelListener(server, bound, channel -> accepted(channel, bound), () -> {
            deleteIfOurs(path, fileKey);
            BOUND.remove(path);
        });
    }

    private static void closeAfterFailure(ServerSocketChannel server, Path path) {
        if (server != null) {
            IoUtil.closeQuietly(server);
        }
        BOUND.remove(path);
    }

    private static Connection accepted(SocketChannel channel, Endpoint bound) {
        return new ChannelConnection(channel, Protseq.NCALRPC, bound, peer(channel));
    }

    /** The peer's user and group from SO_PEERCRED; "local" where the platform cannot say. */
    static RemoteAddress peer(SocketChannel channel) {
        try {
            UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String identity = "user=" + principal.user().getName() + ",group=" + principal.group().getName();
            return new RemoteAddress(Protseq.NCALRPC, identity, "ncalrpc peer " + identity);
        } catch (UnsupportedOperationException | IOException e) {
            return new RemoteAddress(Protseq.NCALRPC, "local", "ncalrpc peer (credentials unavailable)");
        }
    }

    /** Validates an endpoint name and maps it to its socket file. */
    Path socketPath(String name) {
        if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad ncalrpc endpoint name '" + name
                    + "': it names a file in " + directory + ", so no '/', '\\', '.' or '..'");
        }
        try {
            return directory.resolve(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("bad ncalrpc endpoint name '" + name + "': " + e.getMessage(), e);
        }
    }

    private static String generatedName() {
        return "LRPC-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("ncalrpc directory " + directory + " exists and is not a directory (or is a link)");
            }
            try {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(directory); // not POSIX: the platform's defaults
            } catch (FileAlreadyExistsException e) {
                // created by someone else meanwhile: checked below like any existing directory
            }
        }
        if (checkPrivate) {
            checkPrivate();
        }
    }

    /** The shared default directory must be ours and closed to others. */
    private void checkPrivate() throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return; // not POSIX
        }
        if (!attributes.isDirectory()) {
            throw new IOException("ncalrpc directory " + directory + " is not a directory (or is a link)");
        }
        UserPrincipal me = currentUser();
        if (me != null && !me.equals(attributes.owner())) {
            throw new IOException("ncalrpc directory " + directory + " belongs to " + attributes.owner().getName()
                    + ", not " + me.getName() + ": set -D" + DIRECTORY_PROPERTY + " to a directory of your own");
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions());
        open.removeAll(OWNER_ONLY);
        if (!open.isEmpty()) {
            throw new IOException("ncalrpc directory " + directory + " is open to other users ("
                    + PosixFilePermissions.toString(attributes.permissions()) + "): remove it, chmod 700 it, or set -D"
                    + DIRECTORY_PROPERTY + " to a private directory");
        }
    }

    private static UserPrincipal currentUser() {
        try {
            return Path.of(".").getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Deletes a stale socket file; refuses a live one (BindException) and anything that is not a socket. */
    private static void removeStale(Path path, Endpoint endpoint) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attributes.isOther()) {
            throw new BindException(endpoint + ": cannot listen, " + path
                    + " exists and is not a socket; not replacing it");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException refused) {
            Files.deleteIfExists(path); // nobody accepts there: left behind by a process that died
            return;
        }
        throw new BindException(endpoint + " is in use: another listener accepts at " + path);
    }

    /** Deletes the socket file unless another listener has replaced it since. */
    private static void deleteIfOurs(Path path, Object fileKey) {
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey == null || fileKey.equals(now)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // already gone
        }
    }

    private static <T extends IOException> T withCause(T e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    @Override
    public String toString() {
        return "ncalrpc transport (" + directory + ")";
    }
}
