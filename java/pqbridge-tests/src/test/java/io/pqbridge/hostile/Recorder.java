package io.pqbridge.hostile;

import io.pqbridge.Connection;
import io.pqbridge.errors.PqException;
import io.pqbridge.hostile.Script.Delivery;
import io.pqbridge.hostile.Script.Turn;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.test.SecuredTestServer;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ThrowawayPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records real sessions through a proxy on 127.0.0.1 in front of the test server: each client
 * connection's bytes in both directions, in the order they passed, then split into turns (the
 * server bytes that followed each group of client messages; see {@link Script}). A CancelRequest
 * connection is recorded apart and left out of the script: the scripted server closes those.
 */
final class Recorder {

    private Recorder() {
    }

    /** Every session the fuzzer replays, recorded now against the test server with {@code backend}. */
    static List<Script> recordAll(PgBackend backend) {
        String tcp = TestDatabase.tcpConninfo();
        String host = keyword(tcp, "host", "127.0.0.1");
        int port = Integer.parseInt(keyword(tcp, "port", "5432"));
        String user = keyword(tcp, "user", System.getProperty("user.name"));
        String db = keyword(tcp, "dbname", user);
        String trust = "user=" + user + " dbname=" + db;
        List<Script> scripts = new ArrayList<>();
        scripts.add(record(backend, host, port, "trust-startup", ClientOp.CONNECT, trust));
        if (TestDatabase.throwaway().isPresent()) {
            SecuredTestServer.get(); // creates the md5 and scram roles
            String pw = " password='" + SecuredTestServer.PASSWORD + "'";
            scripts.add(record(backend, host, port, "md5-startup", ClientOp.CONNECT,
                    "user=" + SecuredTestServer.MD5_USER + " dbname=postgres" + pw));
            scripts.add(record(backend, host, port, "scram-startup", ClientOp.CONNECT,
                    "user=" + SecuredTestServer.SCRAM_USER + " dbname=postgres" + pw));
        }
        scripts.add(record(backend, host, port, "simple-query", ClientOp.SIMPLE_QUERY, trust));
        scripts.add(record(backend, host, port, "extended-query", ClientOp.EXTENDED_QUERY, trust));
        scripts.add(record(backend, host, port, "error-query", ClientOp.ERROR_QUERY, trust));
        scripts.add(record(backend, host, port, "notices", ClientOp.NOTICES, trust));
        scripts.add(record(backend, host, port, "copy-out", ClientOp.COPY_OUT, trust));
        scripts.add(record(backend, host, port, "copy-in", ClientOp.COPY_IN, trust));
        scripts.add(record(backend, host, port, "listen-notify", ClientOp.LISTEN_NOTIFY, trust));
        scripts.add(record(backend, host, port, "cancel", ClientOp.CANCEL, trust));
        return scripts;
    }

    static String keyword(String conninfo, String name, String fallback) {
        Matcher m = Pattern.compile("(?:^|\\s)" + name + "=(\\S+)").matcher(conninfo);
        return m.find() ? m.group(1) : fallback;
    }

    /** Runs {@code op} once through the proxy and turns the main connection's traffic into a script. */
    static Script record(PgBackend backend, String host, int port, String name, ClientOp op, String conninfo) {
        try (Proxy proxy = new Proxy(new InetSocketAddress(host, port))) {
            String through = "host=127.0.0.1 port=" + proxy.port() + " " + conninfo
                    + " sslmode=disable gssencmode=disable connect_timeout=10";
            List<Throwable> side = new ArrayList<>();
            if (op.usesSpi()) {
                try (PgConn conn = backend.connect(through)) {
                    op.runSpi(conn);
                }
            } else {
                try (Connection conn = Connection.connect(backend, through)) {
                    conn.setAutocommit(true);
                    op.run(conn, true, side);
                } catch (PqException e) {
                    if (op != ClientOp.ERROR_QUERY && op != ClientOp.CANCEL) {
                        throw e;
                    }
                }
            }
            if (!side.isEmpty()) {
                throw new IllegalStateException("recording " + name + ": the cancel failed", side.get(0));
            }
            List<Turn> turns = proxy.mainConnectionTurns();
            return new Script(name, op, conninfo, Delivery.WHOLE, 0, null, List.of("recorded " + name), turns);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("recording " + name + " failed", e);
        } catch (Exception e) {
            throw new IllegalStateException("recording " + name + " failed", e);
        }
    }

    /** A forwarding proxy that logs each connection's chunks in the order they passed. */
    private static final class Proxy implements AutoCloseable {
        private final ServerSocket listener;
        private final InetSocketAddress upstream;
        private final List<Recorded> connections = new ArrayList<>();

        Proxy(InetSocketAddress upstream) throws IOException {
            this.upstream = upstream;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptLoop, "recording-proxy-accept");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket server = new Socket();
                    server.connect(upstream, 5000);
                    Recorded r = new Recorded();
                    synchronized (connections) {
                        connections.add(r);
                    }
                    r.pumps.add(pump(client, server, r, true));
                    r.pumps.add(pump(server, client, r, false));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private Thread pump(Socket from, Socket to, Recorded r, boolean fromClient) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[65536];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        // logged before it is forwarded, so an answer is always logged after its question
                        r.log(fromClient, java.util.Arrays.copyOf(buffer, n));
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                    to.shutdownOutput();
                } catch (IOException e) {
                    // one side closed
                }
            }, "recording-proxy-pump");
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** The turns of the one connection that was no CancelRequest, once its traffic ended. */
        List<Turn> mainConnectionTurns() throws InterruptedException {
            List<Recorded> all;
            synchronized (connections) {
                all = new ArrayList<>(connections);
            }
            Recorded main = null;
            for (Recorded r : all) {
                for (Thread t : r.pumps) {
                    t.join(10_000);
                }
                if (!r.isCancel()) {
                    if (main != null) {
                        throw new IllegalStateException("more than one connection was recorded");
                    }
                    main = r;
                }
            }
            if (main == null) {
                throw new IllegalStateException("no connection was recorded");
            }
            return main.turns();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    private record Chunk(boolean fromClient, byte[] bytes) {
    }

    /** One connection's traffic. */
    private static final class Recorded {
        final List<Thread> pumps = new ArrayList<>();
        private final List<Chunk> chunks = new ArrayList<>();

        synchronized void log(boolean fromClient, byte[] bytes) {
            chunks.add(new Chunk(fromClient, bytes));
        }

        synchronized boolean isCancel() {
            for (Chunk c : chunks) {
                if (c.fromClient()) {
                    return c.bytes().length >= 8
                            && ByteBuffer.wrap(c.bytes()).getInt(4) == ScriptedServer.CANCEL_REQUEST;
                }
            }
            return false;
        }

        /**
         * Turns: each run of server chunks, with the number of client messages completed since the
         * previous run (the first client message is the startup packet, which has no type byte).
         */
        synchronized List<Turn> turns() {
            List<Turn> turns = new ArrayList<>();
            ByteArrayOutputStream client = new ByteArrayOutputStream();
            int framed = 0; // client bytes already counted as whole messages
            int messages = 0; // whole client messages so far
            int messagesBefore = 0; // at the start of the current server run
            ByteArrayOutputStream server = null;
            for (Chunk c : chunks) {
                if (c.fromClient()) {
                    if (server != null) {
                        turns.add(new Turn(messagesBefore, server.toByteArray()));
                        server = null;
                    }
                    client.writeBytes(c.bytes());
                    byte[] all = client.toByteArray();
                    while (true) {
                        int end;
                        if (framed == 0 && messages == 0) {
                            if (all.length < 4) {
                                break;
                            }
                            end = ByteBuffer.wrap(all).getInt(0);
                        } else {
                            if (all.length < framed + 5) {
                                break;
                            }
                            end = framed + 1 + ByteBuffer.wrap(all).getInt(framed + 1);
                        }
                        if (all.length < end) {
                            break;
                        }
                        framed = end;
                        messages++;
                    }
                } else {
                    if (server == null) {
                        server = new ByteArrayOutputStream();
                        messagesBefore = messages - turns.stream().mapToInt(Turn::clientMessages).sum();
                    }
                    server.writeBytes(c.bytes());
                }
            }
            if (server != null) {
                turns.add(new Turn(messagesBefore, server.toByteArray()));
            }
            return turns;
        }
    }
}
