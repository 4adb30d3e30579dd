package io.pqbridge.fault;

import io.pqbridge.test.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-only TCP proxy between a client and the test server that injects network faults: it
 * forwards both directions byte for byte until told to {@link #cut()} every connection (a reset,
 * as a pulled cable or a crashed middlebox gives), to {@link #stall()} (stop forwarding while
 * keeping the sockets open, as a dead peer without a reset gives), or to do either by itself once
 * a number of bytes has passed in one direction ({@link #cutAfter}, {@link #stallAfter}), which
 * lands the fault in the middle of a protocol message. New connections made after a cut are cut
 * at once; after a stall they are accepted and stalled.
 *
 * <p>Thread-safe; each connection uses two pump threads, all daemons, ended by {@link #close()}.
 */
final class FaultProxy implements AutoCloseable {

    /** A direction of traffic. */
    enum Direction { TO_SERVER, TO_CLIENT }

    private enum Mode { FORWARD, STALL, CUT }

    private final ServerSocket listener;
    private final Thread acceptor;
    private final InetSocketAddress upstream;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong toServer = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();
    private volatile Mode mode = Mode.FORWARD;
    private volatile Direction triggerDirection;
    private volatile long triggerBytes = Long.MAX_VALUE;
    private volatile Mode triggerMode;

    FaultProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
        this.listener = listenBelowEphemeralPorts();
        acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A listener on a port below the kernel's ephemeral range. After {@link #refuseNewConnections()}
     * the port is free; were it an ephemeral one, the kernel could hand it to the very socket that
     * connects to it, which then connects to itself (TCP self-connect) instead of being refused.
     */
    private static ServerSocket listenBelowEphemeralPorts() throws IOException {
        int firstEphemeral = 32768;
        try {
            // read as a stream: procfs reports a size of 0, and Files.readString trusted it (it read "3")
            String range;
            try (InputStream in = java.nio.file.Files.newInputStream(
                    java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                range = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            }
            firstEphemeral = Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: keep the usual first ephemeral port
        }
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200 && firstEphemeral > 11024; attempt++) {
            int port = 10_000 + random.nextInt(firstEphemeral - 11_024);
            try {
                return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            } catch (java.net.BindException taken) {
                // another port
            }
        }
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** A proxy to the test server's TCP address. */
    static FaultProxy toTestServer() throws IOException {
        Matcher port = Pattern.compile("port=(\\d+)").matcher(TestDatabase.tcpConninfo());
        Matcher host = Pattern.compile("host=(\\S+)").matcher(TestDatabase.tcpConninfo());
        if (!port.find() || !host.find()) {
            throw new IllegalStateException("no host and port in " + TestDatabase.tcpConninfo());
        }
        return new FaultProxy(host.group(1), Integer.parseInt(port.group(1)));
    }

    /** {@return the test server's TCP conninfo with this proxy's address instead of the server's} */
    String conninfo() {
        return TestDatabase.tcpConninfo().replaceAll("host=\\S+", "host=127.0.0.1")
                .replaceAll("port=\\d+", "port=" + port());
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection now, and every later one as it arrives. */
    void cut() {
        mode = Mode.CUT;
        for (Socket s : sockets) {
            reset(s);
        }
    }

    /** Stops listening: a new connection is refused (a server host that went away). */
    /**
     * Closes the listener and waits for the accepting thread to leave: the JDK defers the close of
     * a socket a thread is blocked in until that thread returns, and until then the kernel still
     * completes handshakes into its backlog, so a connection made in between would be taken and
     * then dropped instead of refused.
     */
    void refuseNewConnections() throws IOException {
        listener.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the listener to close", e);
        }
    }

    /** Stops forwarding in both directions; the sockets stay open. */
    void stall() {
        mode = Mode.STALL;
    }

    /** Cuts everything once {@code bytes} more bytes have gone in {@code direction}. */
    void cutAfter(Direction direction, long bytes) {
        arm(direction, bytes, Mode.CUT);
    }

    /** Stalls once {@code bytes} more bytes have gone in {@code direction}. */
    void stallAfter(Direction direction, long bytes) {
        arm(direction, bytes, Mode.STALL);
    }

    /** Bytes forwarded so far in a direction. */
    long forwarded(Direction direction) {
        return (direction == Direction.TO_SERVER ? toServer : toClient).get();
    }

    private void arm(Direction direction, long bytes, Mode then) {
        triggerMode = then;
        triggerDirection = direction;
        triggerBytes = forwarded(direction) + bytes;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (mode == Mode.CUT) {
                    reset(client);
                    continue;
                }
                Socket server = new Socket();
                server.connect(upstream, 5000);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, Direction.TO_SERVER);
                pump(server, client, Direction.TO_CLIENT);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    throw new UncheckedIOException("the fault proxy failed to accept", e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, Direction direction) {
        AtomicLong counter = direction == Direction.TO_SERVER ? toServer : toClient;
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        to.shutdownOutput();
                        return;
                    }
                    int off = 0;
                    while (off < n) {
                        waitWhileStalled();
                        if (mode == Mode.CUT) {
                            return;
                        }
                        // forward up to the trigger point, then fault in the middle of whatever is passing
                        int len = n - off;
                        if (triggerDirection == direction) {
                            long room = triggerBytes - counter.get();
                            if (room <= 0) {
                                fire();
                                continue;
                            }
                            len = (int) Math.min(len, room);
                        }
                        out.write(buffer, off, len);
                        out.flush();
                        counter.addAndGet(len);
                        off += len;
                    }
                }
            } catch (IOException e) {
                // a cut, or the peer went away: the other pump notices on its own
            }
        }, "fault-proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private synchronized void fire() {
        Mode then = triggerMode;
        triggerDirection = null;
        triggerBytes = Long.MAX_VALUE;
        if (then == Mode.CUT) {
            cut();
        } else {
            stall();
        }
    }

    private void waitWhileStalled() {
        while (mode == Mode.STALL) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // close with RST, not FIN
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        mode = Mode.CUT; // ends stalled pumps too
        listener.close();
        for (Socket s : sockets) {
            reset(s);
        }
    }
}
