package dev.weft.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP relay in front of a server that keeps what its one client sent: the raw bytes a test then cuts into
 * fragments and checks (what the client put on the wire, not what it meant to).
 */
final class Relay implements AutoCloseable {
    private final ServerSocket listener;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final ReentrantLock lock = new ReentrantLock();
    private Socket client;
    private Socket server;

    Relay(int targetPort) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                client = listener.accept();
                server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                var fromServer = server.getInputStream();
                var toClient = client.getOutputStream();
                Thread.ofVirtual().start(() -> copy(fromServer, toClient, false));
                copy(client.getInputStream(), server.getOutputStream(), true);
            } catch (IOException e) {
                close();
            }
        });
    }

    String binding() {
        return "ncacn_ip_tcp:127.0.0.1[" + listener.getLocalPort() + "]";
    }

    /** Everything the client sent so far. */
    byte[] sent() {
        lock.lock();
        try {
            return sent.toByteArray();
        } finally {
            lock.unlock();
        }
    }

    private void copy(InputStream in, OutputStream out, boolean keep) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (keep) {
                    lock.lock();
                    try {
                        sent.write(buf, 0, n);
                    } finally {
                        lock.unlock();
                    }
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // one side closed
        }
        close();
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {listener, client, server}) {
            try {
                if (c != null) c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
