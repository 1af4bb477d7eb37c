package io.robustlab.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of PostgreSQL that can make the server vanish as a restart does: every open
 * connection is reset (the server aborts their transactions) and new ones are refused until
 * {@link #end()}. Code under test connects through {@link #jdbcUrl()}; the test itself keeps a
 * direct connection. Used for fault tests, which must not restart the shared server itself.
 */
public final class DatabaseOutage implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final String jdbcUrl;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private final int port;

    public DatabaseOutage(TestDatabase db) throws IOException {
        // jdbc:postgresql://host:port/database?params
        String rest = db.jdbcUrl().substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        this.targetHost = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        this.targetPort = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)) : 5432;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = listener.getLocalPort();
        this.jdbcUrl = "jdbc:postgresql://127.0.0.1:" + port + rest.substring(rest.indexOf('/'));
        accept(listener);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The server goes away: open connections are reset, new ones refused. */
    public synchronized void begin() throws IOException {
        listener.close();
        for (Socket s : List.copyOf(open)) {
            reset(s);
        }
        open.clear();
    }

    /** The server is back on the same address. */
    public synchronized void end() throws IOException {
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        listener = again;
        accept(again);
    }

    @Override
    public synchronized void close() throws IOException {
        begin();
    }

    private void accept(ServerSocket server) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(targetHost, targetPort);
                    if (!relay(server, client, upstream)) {
                        reset(client);
                        reset(upstream);
                    }
                } catch (IOException e) {
                    return; // closed by begin() or close()
                }
            }
        }, "db-relay-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Starts relaying unless begin() came between accept and here: then the server is already gone. */
    private synchronized boolean relay(ServerSocket acceptedBy, Socket client, Socket upstream) {
        if (acceptedBy.isClosed()) {
            return false;
        }
        open.add(client);
        open.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
        return true;
    }

    /** RST, as a dying server's kernel sends. A pipe thread may have closed the socket already. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException alreadyClosed) {
            // its peer went first; nothing left to reset
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException closed) {
                // one side went away; the other goes with it
            } finally {
                quietlyClose(from);
                quietlyClose(to);
            }
        }, "db-relay");
        t.setDaemon(true);
        t.start();
    }

    private void quietlyClose(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
