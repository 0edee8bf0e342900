package dev.weft.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportsTest {

    @Test
    void defaultsHaveTcpAndNcalrpcOnly() {
        Transports t = Transports.defaults();
        assertEquals(Protseq.NCACN_IP_TCP, t.get(Protseq.NCACN_IP_TCP).protseq());
        assertEquals(Protseq.NCALRPC, t.get(Protseq.NCALRPC).protseq());
        assertFalse(t.find(Protseq.NCACN_NP).isPresent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.get(Protseq.NCACN_NP));
        assertEquals("no transport for ncacn_np (registered: ncacn_ip_tcp, ncalrpc)", e.getMessage());
        assertEquals(2, t.all().size());
    }

    @Test
    void oneTransportPerProtseq(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> Transports.of(Transports.tcp(), Transports.tcp()));
        Transport mine = Transports.ncalrpc(dir);
        Transports replaced = Transports.defaults().with(mine);
        assertSame(mine, replaced.get(Protseq.NCALRPC));
        assertFalse(Transports.of().find(Protseq.NCACN_IP_TCP).isPresent());
    }

    @Test
    void connectsAndListensByProtseq(@TempDir Path dir) throws IOException {
        Transports t = Transports.of(Transports.tcp(), Transports.ncalrpc(dir));
        for (String where : List.of("ncacn_ip_tcp:127.0.0.1[0]", "ncalrpc:[registry]")) {
            try (Listener listener = t.listen(Endpoint.parse(where));
                 Connection c = t.connect(listener.endpoint().toBinding().withOption("seal", ""), Duration.ofSeconds(30));
                 Connection s = listener.accept()) {
                c.output().write(new byte[] {5, 0, 11});
                assertArrayEquals(new byte[] {5, 0, 11}, s.input().readNBytes(3), where);
            }
        }
    }

    /** Rule of the house: no {@code synchronized} (it pins virtual threads on 21). */
    @Test
    void mainSourcesNeverUseSynchronized() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the module directory");
        Pattern word = Pattern.compile("\\bsynchronized\\b");
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        try {
                            return word.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
            assertEquals(List.of(), offenders);
        }
    }
}
