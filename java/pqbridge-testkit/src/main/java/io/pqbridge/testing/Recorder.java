package io.pqbridge.testing;

import io.pqbridge.Conninfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records clients' conversations with a server: a forwarding proxy on the loopback interface that
 * logs, for every connection a client opens through it, each message the client sends and each
 * piece the server sends, in the order they pass, then turns the log into a {@link Recording}.
 *
 * <pre>{@code
 * try (Recorder recorder = Recorder.start(dsn)) {
 *     try (Connection conn = Connection.connect(recorder.conninfo())) {
 *         ... what fails ...
 *     }
 *     recorder.finish(false, "scenario", MyScenario.class.getName()).write(Path.of("failure.recording"));
 * }
 * }</pre>
 *
 * <p>Encryption requests never reach the server: the proxy answers them "no" itself, so what it
 * logs is plaintext (the proxy's own connection to the server is plaintext too, so the server must
 * accept that). A client message is logged before it is forwarded and server bytes as soon as
 * they are read, so an answer is always logged after its question. One thread per direction per
 * connection; {@link #close()} ends them all.
 */
public final class Recorder implements AutoCloseable {

    /** The options a recording leaves out: where the server is, secrets, and TLS/GSS settings. */
    static final Set<String> NOT_RECORDED = Set.of("host", "hostaddr", "port", "password", "passfile",
            "sslmode", "sslnegotiation", "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslcrldir", "sslpassword",
            "sslsni", "sslcertmode", "sslkeylogfile", "gssencmode", "gsslib", "krbsrvname", "require_auth",
            "channel_binding", "service", "servicefile", "load_balance_hosts", "target_session_attrs");

    /** The proxy's own answer to an encryption request. */
    private static final byte[] NO_ENCRYPTION = {'N'};

    private final ServerSocketChannel listener;
    private final SocketAddress upstream;
    private final String serverConninfo;
    private final ConversationLog log = new ConversationLog();
    /** The threads that copy a connection's bytes, two per connection; guarded by this. */
    private final List<Thread> pumps = new ArrayList<>();
    private final List<SocketChannel> channels = new ArrayList<>();

    private Recorder(String serverConninfo) {
        this.serverConninfo = serverConninfo;
        this.upstream = serverAddress(Conninfo.conninfoToDict(serverConninfo));
        try {
            listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the loopback interface for a recording", e);
        }
        daemon(this::acceptLoop, "recording-proxy-accept").start();
    }

    /**
     * Starts recording in front of the server a conninfo names: its first host and port (a host
     * that is a directory is a Unix socket there, as in libpq; none means {@code PGHOST} and
     * {@code PGPORT}, then libpq's defaults).
     *
     * @param conninfo the server's conninfo, in libpq's key=value form or as a URI
     * @return the recorder, listening on 127.0.0.1
     * @throws IllegalArgumentException when the conninfo cannot be parsed
     * @throws java.io.UncheckedIOException when the loopback interface cannot be listened on
     */
    public static Recorder start(String conninfo) {
        return new Recorder(conninfo);
    }

    /** {@return the port the recorder listens on, on 127.0.0.1} */
    public int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@return the server's conninfo with its host and port replaced by the recorder's and
     * encryption off: what a client connects with to be recorded}
     */
    public String conninfo() {
        Map<String, String> options = new LinkedHashMap<>(Conninfo.conninfoToDict(serverConninfo));
        options.remove("hostaddr");
        options.put("host", "127.0.0.1");
        options.put("port", Integer.toString(port()));
        options.put("sslmode", "disable");
        options.put("gssencmode", "disable");
        return Conninfo.makeConninfo(options);
    }

    /** What a recording keeps of a conninfo: everything but where the server is, secrets and TLS. */
    static String recordedConninfo(String conninfo) {
        Map<String, String> options = new LinkedHashMap<>(Conninfo.conninfoToDict(conninfo));
        options.keySet().removeAll(NOT_RECORDED);
        return Conninfo.makeConninfo(options);
    }

    /**
     * Stops recording and returns what was recorded, once every connection's traffic has ended
     * (waiting up to 10 s for that).
     *
     * @param keepAuthentication false (the usual) to take the authentication exchange out, so the
     *     recording holds no password hash or SCRAM proof and replays as a trust login; true to
     *     keep it (a SCRAM exchange then cannot be replayed: the client's nonce is random)
     * @param scenario what was recorded, for the replay: {@code builtin NAME}, {@code scenario CLASS},
     *     {@code main CLASS ARGS...}, {@code program COMMAND ARGS...}, or any words of your own
     * @return the recording
     * @throws InterruptedException when interrupted while waiting
     */
    public Recording finish(boolean keepAuthentication, String... scenario) throws InterruptedException {
        return finish(keepAuthentication, List.of(scenario), List.of());
    }

    Recording finish(boolean keepAuthentication, List<String> scenario, List<String> notes)
            throws InterruptedException {
        List<Thread> running;
        synchronized (this) {
            running = new ArrayList<>(pumps);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Thread t : running) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        close();
        List<String> allNotes = new ArrayList<>(notes);
        List<Recording.Event> events = RecordedEvents.of(log.events(), keepAuthentication, allNotes);
        return new Recording(scenario, recordedConninfo(serverConninfo), allNotes, events);
    }

    @Override
    public void close() {
        Sockets.closeQuietly(listener);
        synchronized (this) {
            channels.forEach(Sockets::closeQuietly);
        }
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            SocketChannel client;
            SocketChannel server;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            try {
                server = SocketChannel.open(upstream instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX
                        : StandardProtocolFamily.INET);
                server.connect(upstream);
            } catch (IOException e) {
                refuse(client, e); // the recording has no connection
                continue;
            }
            int number = log.opened();
            Thread toServer = daemon(() -> clientToServer(number, client, server), "recording-proxy-client-" + number);
            Thread toClient = daemon(() -> serverToClient(number, server, client), "recording-proxy-server-" + number);
            synchronized (this) {
                channels.add(client);
                channels.add(server);
                pumps.add(toServer);
                pumps.add(toClient);
            }
            toServer.start();
            toClient.start();
        }
    }

    private void clientToServer(int number, SocketChannel client, SocketChannel server) {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        try {
            while (client.read(buffer.clear()) > 0) {
                java.io.ByteArrayOutputStream forward = new java.io.ByteArrayOutputStream();
                for (byte[] m : log.client(number, buffer.array(), 0, buffer.position())) {
                    if (MessageFramer.isEncryptionRequest(m)) {
                        log.server(number, NO_ENCRYPTION, 0, 1);
                        writeFully(client, NO_ENCRYPTION);
                    } else {
                        forward.writeBytes(m);
                    }
                }
                writeFully(server, forward.toByteArray());
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            log.clientClosed(number);
            Sockets.shutdownOutputQuietly(server);
        }
    }

    private void serverToClient(int number, SocketChannel server, SocketChannel client) {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        try {
            while (server.read(buffer.clear()) > 0) {
                byte[] piece = java.util.Arrays.copyOf(buffer.array(), buffer.position());
                log.server(number, piece, 0, piece.length);
                writeFully(client, piece);
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            log.serverClosed(number);
            Sockets.shutdownOutputQuietly(client);
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Tells the client why it is not recorded (as a FATAL error it shows), then closes. */
    private void refuse(SocketChannel client, IOException why) {
        try {
            writeFully(client, ReplayServer.fatal("08006", "pqbridge recorder: cannot reach the server at " + upstream
                    + ": " + why.getMessage() + "; is it running, and does it accept plaintext connections?"));
        } catch (IOException e) {
            // the client is gone
        }
        Sockets.closeQuietly(client);
    }

    /** The server's address as libpq would find it: first host and port, Unix socket for a directory. */
    static SocketAddress serverAddress(Map<String, String> options) {
        String host = first(options.getOrDefault("hostaddr", options.get("host")));
        if (host == null) {
            host = first(System.getenv("PGHOST"));
        }
        String portText = first(options.get("port"));
        if (portText == null) {
            portText = first(System.getenv("PGPORT"));
        }
        int port = portText == null ? 5432 : Integer.parseInt(portText);
        if (host == null) {
            host = "/var/run/postgresql";
        }
        if (host.startsWith("/")) {
            return UnixDomainSocketAddress.of(Path.of(host, ".s.PGSQL." + port));
        }
        return new InetSocketAddress(host, port);
    }

    private static String first(String list) {
        if (list == null || list.isEmpty()) {
            return null;
        }
        int comma = list.indexOf(',');
        return comma < 0 ? list : list.substring(0, comma);
    }
}
