package dev.weft.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.transport.AbstractTransportContractTest;
import dev.weft.transport.Connection;
import dev.weft.transport.Endpoint;
import dev.weft.transport.Listener;
import dev.weft.transport.Protseq;
import dev.weft.transport.Transport;
import dev.weft.transport.Transports;
import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract over ncalrpc (Unix domain sockets), plus the socket-file rules. */
class NcalrpcTransportTest extends AbstractTransportContractTest {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @TempDir
    Path dir;

    private final AtomicInteger names = new AtomicInteger();

    @Override
    protected Transport newTransport() {
        return Transports.ncalrpc(dir);
    }

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.ncalrpc("ep" + names.incrementAndGet());
    }

    @Override
    protected void assertAddresses(Listener listener, Connection serverSide, Connection clientSide) {
        String identity = serverSide.remoteAddress().identity();
        assertTrue(identity.startsWith("user=" + System.getProperty("user.name") + ",group=")
                || identity.equals("local"), "peer credentials: " + identity);
        assertEquals(listener.endpoint(), serverSide.localEndpoint());
        assertEquals(listener.endpoint().toString(), clientSide.remoteAddress().identity());
        assertEquals(new Endpoint(Protseq.NCALRPC, "", null), clientSide.localEndpoint());
    }

    @Test
    void theSocketFileLivesAsLongAsTheListener() throws Exception {
        Path socket = dir.resolve("weft");
        Listener listener = transport.listen(Endpoint.ncalrpc("weft"));
        assertEquals("ncalrpc:[weft]", listener.endpoint().toString());
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "socket file while listening");
        listener.close();
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "socket file deleted on close");
    }

    @Test
    void aNullNameListensOnAGeneratedOne() throws Exception {
        try (Listener listener = transport.listen(Endpoint.ncalrpc(null))) {
            String name = listener.endpoint().name();
            assertTrue(name.startsWith("LRPC-"), name);
            assertTrue(Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS));
            try (Connection c = transport.connect(listener.endpoint(), CONNECT_TIMEOUT); Connection s = listener.accept()) {
                c.output().write(9);
                assertEquals(9, s.input().read());
            }
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path socket = dir.resolve("stale");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket)); // closing does not delete the file: a crash leftover
        }
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        try (Listener listener = transport.listen(Endpoint.ncalrpc("stale"));
             Connection c = transport.connect(Endpoint.ncalrpc("stale"), CONNECT_TIMEOUT);
             Connection s = listener.accept()) {
            c.output().write(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, s.input().readNBytes(3));
        }
    }

    @Test
    void aLiveSocketIsNotStolen() throws Exception {
        Path socket = dir.resolve("live");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            BindException e = assertThrows(BindException.class, () -> transport.listen(Endpoint.ncalrpc("live")));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the other listener's file is untouched");
        }
    }

    @Test
    void aFileThatIsNotASocketIsNotReplaced() throws Exception {
        Path file = dir.resolve("precious");
        Files.writeString(file, "data");
        BindException e = assertThrows(BindException.class, () -> transport.listen(Endpoint.ncalrpc("precious")));
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        assertEquals("data", Files.readString(file));
    }

    @Test
    void namesThatEscapeTheDirectoryAreRejected() {
        for (String bad : new String[] {"..", ".", "../evil", "a/b", "a\\b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> transport.listen(Endpoint.ncalrpc(bad)), bad);
            assertTrue(e.getMessage().contains("bad ncalrpc endpoint name"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> transport.connect(Endpoint.ncalrpc(bad), CONNECT_TIMEOUT));
        }
    }

    @Test
    void aTooLongSocketPathIsExplained() {
        SocketException e = assertThrows(SocketException.class, () -> transport.listen(Endpoint.ncalrpc("n".repeat(200))));
        assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
    }

    @Test
    void theAddressIsIgnored() throws Exception {
        try (Listener listener = transport.listen(Endpoint.ncalrpc("addr"));
             Connection c = transport.connect(Endpoint.parse("ncalrpc:thismachine[addr]"), CONNECT_TIMEOUT);
             Connection s = listener.accept()) {
            c.output().write(5);
            assertEquals(5, s.input().read());
        }
    }

    @Test
    void aMissingDirectoryIsCreatedOwnerOnly() throws Exception {
        assumeTrue(POSIX, "POSIX permissions only");
        Path sockets = dir.resolve("sub/sockets");
        Transport t = Transports.ncalrpc(sockets);
        try (Listener listener = t.listen(Endpoint.ncalrpc("x"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sockets)));
            assertEquals("x", listener.endpoint().name());
        }
    }

    @Test
    void theSharedDefaultDirectoryMustBePrivate() throws Exception {
        assumeTrue(POSIX, "POSIX permissions only");
        Path shared = dir.resolve("weft-ncalrpc");
        NcalrpcTransport strict = new NcalrpcTransport(shared, true);
        try (Listener listener = strict.listen(Endpoint.ncalrpc("ok"));
             Connection c = strict.connect(listener.endpoint(), CONNECT_TIMEOUT)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
            assertTrue(c.isOpen());
        }
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException listen = assertThrows(IOException.class, () -> strict.listen(Endpoint.ncalrpc("no")));
        assertTrue(listen.getMessage().contains("open to other users"), listen.getMessage());
        IOException connect = assertThrows(IOException.class, () -> strict.connect(Endpoint.ncalrpc("no"), CONNECT_TIMEOUT));
        assertTrue(connect.getMessage().contains("open to other users"), connect.getMessage());
        // an explicitly configured directory is the user's choice
        try (Listener listener = Transports.ncalrpc(shared).listen(Endpoint.ncalrpc("fine"))) {
            assertEquals("fine", listener.endpoint().name());
        }
    }

    @Test
    void theDefaultDirectoryIsUnderTmpdirOrConfigured() {
        String saved = System.getProperty(NcalrpcTransport.DIRECTORY_PROPERTY);
        try {
            System.clearProperty(NcalrpcTransport.DIRECTORY_PROPERTY);
            assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "weft-ncalrpc"), NcalrpcTransport.defaultDirectory());
            System.setProperty(NcalrpcTransport.DIRECTORY_PROPERTY, dir.toString());
            assertEquals(dir, NcalrpcTransport.defaultDirectory());
            assertEquals(dir.toAbsolutePath(), new NcalrpcTransport().directory());
        } finally {
            if (saved == null) {
                System.clearProperty(NcalrpcTransport.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(NcalrpcTransport.DIRECTORY_PROPERTY, saved);
            }
        }
    }
}
