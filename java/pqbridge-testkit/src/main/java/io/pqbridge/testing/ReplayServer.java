package io.pqbridge.testing;

import io.pqbridge.testing.Recording.Event;
import io.pqbridge.testing.Recording.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A server made of a {@link Recording}: it listens on the loopback interface, takes the client's
 * connections in the order the recording has them, checks every message the client sends against
 * the recorded one, byte for byte, and answers with the recorded server bytes. No PostgreSQL is
 * needed, and the client cannot tell it from the server that was recorded, as long as it does what
 * the recorded client did.
 *
 * <p>Order: recorded server bytes are sent once the client messages recorded before them have
 * come and the connections opened before them (a cancel request, say) are open; with timing on,
 * also not before the recorded gap since the previous event has passed (at most 10 s per gap).
 * The first time the client does something else (another message, another byte, a connection the
 * recording does not have, a message not sent for {@value #WAIT_SECONDS} s, a connection closed
 * early), the replay records a {@link Divergence}, answers that connection with a FATAL
 * {@code ErrorResponse} (SQLSTATE 08P01) that says where the client left the recording, and closes
 * it. Each connection has a reading and a writing thread, so a client that does not read cannot
 * stop the replay from seeing what it sends. Thread-safe; {@link #close()} ends everything.
 */
public final class ReplayServer implements AutoCloseable {

    static final int WAIT_SECONDS = 30;
    private static final String PROTOCOL_VIOLATION = "08P01";
    private static final long MAX_GAP_MICROS = 10_000_000;

    private final Recording recording;
    private final boolean timing;
    private final ServerSocket listener;
    private final List<Replayed> connections = new ArrayList<>();
    private final int recordedConnections;
    private Divergence divergence;
    private int opened;

    private ReplayServer(Recording recording, boolean timing) {
        this.recording = recording;
        this.timing = timing;
        this.recordedConnections = recording.connections();
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the loopback interface to replay a recording", e);
        }
        daemon(this::acceptLoop, "replay-accept").start();
    }

    /**
     * Starts replaying, as fast as the client goes.
     *
     * @param recording what to replay
     * @return the server, listening
     */
    public static ReplayServer start(Recording recording) {
        return new ReplayServer(recording, false);
    }

    /**
     * Starts replaying, keeping the recorded gaps between events when {@code timing} is true.
     *
     * @param recording what to replay
     * @param timing true to wait the recorded time before each server answer (at most 10 s each)
     * @return the server, listening
     */
    public static ReplayServer start(Recording recording, boolean timing) {
        return new ReplayServer(recording, timing);
    }

    /** {@return the port it listens on, on 127.0.0.1} */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * {@return a conninfo that reaches this server with the recording's options: the client sends
     * the same startup packet as the recorded one, and asks for TLS first (sslmode=prefer) only
     * when the recorded client did}
     */
    public String conninfo() {
        byte[] first = firstClientMessage(1);
        boolean askedForTls = first != null && first.length == 8
                && java.nio.ByteBuffer.wrap(first).getInt(4) == MessageFramer.SSL_REQUEST;
        return "host=127.0.0.1 port=" + port() + " " + recording.conninfo() + " sslmode="
                + (askedForTls ? "prefer" : "disable") + " gssencmode=disable";
    }

    /**
     * Waits for the client's connections to end, then reports whether it followed the recording.
     * Call it after the client is done; a recorded connection that the client never opened is a
     * divergence.
     *
     * @param wait how long the connections may take to end
     * @return the first divergence, or empty when the client did what the recording has
     * @throws InterruptedException when interrupted while waiting
     */
    public Optional<Divergence> finish(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            while (divergence == null && !connections.stream().allMatch(c -> c.ended)) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                wait(left);
            }
            if (divergence == null && opened < recordedConnections) {
                divergence = new Divergence(0, 0, -1, recordedConnections + " connections", opened
                        + " (connection " + (opened + 1) + " was never opened: "
                        + MessageText.of(firstClientMessage(opened + 1), false) + ")");
            }
            return Optional.ofNullable(divergence);
        }
    }

    /** {@return the first divergence so far, if any} */
    public synchronized Optional<Divergence> divergence() {
        return Optional.ofNullable(divergence);
    }

    @Override
    public void close() {
        Sockets.closeQuietly(listener);
        synchronized (this) {
            for (Replayed c : connections) {
                c.close();
            }
            notifyAll();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;
            }
            Replayed c;
            synchronized (this) {
                if (opened == recordedConnections) {
                    diverge(null, new Divergence(0, 0, -1, recordedConnections + " connections",
                            "connection " + (opened + 1)));
                    rejectExtra(socket);
                    continue;
                }
                c = new Replayed(++opened, socket);
                connections.add(c);
                notifyAll();
            }
            daemon(c::read, "replay-read-" + c.number).start();
            daemon(c::write, "replay-write-" + c.number).start();
        }
    }

    private void rejectExtra(Socket socket) {
        try (socket) {
            socket.getOutputStream().write(fatal(PROTOCOL_VIOLATION, "pqbridge replay: the recording has "
                    + recordedConnections + " connections; the client opened one more"));
        } catch (IOException e) {
            // the client is gone
        }
    }

    private byte[] firstClientMessage(int connection) {
        return recording.events().stream().filter(e -> e.connection() == connection && e.kind() == Kind.CLIENT)
                .map(Event::bytes).findFirst().orElse(null);
    }

    /** Records the first divergence and ends the connection it happened on with a FATAL error. */
    private void diverge(Replayed on, Divergence d) {
        synchronized (this) {
            if (divergence == null) {
                divergence = d;
            }
            notifyAll();
        }
        if (on != null) {
            on.fail(d);
        }
    }

    /** An ErrorResponse, severity FATAL, with this SQLSTATE and message. */
    static byte[] fatal(String sqlstate, String message) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String field : List.of("SFATAL", "VFATAL", "C" + sqlstate, "M" + message)) {
            body.writeBytes(field.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        return MessageFramer.message('E', body.toByteArray());
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** One connection being replayed: its recorded events, what the client has sent so far. */
    private final class Replayed {
        final int number;
        final Socket socket;
        final List<Event> events;
        final List<byte[]> expectedClient;
        /** Per event: how many connections must be open before it is played. */
        final int[] opensBefore;
        int matched; // guarded by ReplayServer.this
        boolean ended; // guarded by ReplayServer.this
        private boolean failed; // guarded by the output lock
        private final Object output = new Object();

        Replayed(int number, Socket socket) {
            this.number = number;
            this.socket = socket;
            List<Event> mine = new ArrayList<>();
            List<Integer> opens = new ArrayList<>();
            int openSoFar = 0;
            for (Event e : recording.events()) {
                if (e.kind() == Kind.OPEN) {
                    openSoFar++;
                }
                if (e.connection() == number && e.kind() != Kind.OPEN) {
                    mine.add(e);
                    opens.add(openSoFar);
                }
            }
            this.events = mine;
            this.opensBefore = opens.stream().mapToInt(Integer::intValue).toArray();
            this.expectedClient = mine.stream().filter(e -> e.kind() == Kind.CLIENT).map(Event::bytes).toList();
        }

        /** Frames what the client sends and checks each message against the recording's next. */
        void read() {
            MessageFramer framer = MessageFramer.client();
            byte[] buffer = new byte[65536];
            boolean typed = false;
            try {
                InputStream in = socket.getInputStream();
                socket.setSoTimeout(WAIT_SECONDS * 1000);
                while (true) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (SocketTimeoutException e) {
                        int index = matchedCount();
                        if (index < expectedClient.size()) {
                            diverge(this, new Divergence(number, index + 1, -1,
                                    MessageText.of(expectedClient.get(index), typed),
                                    "nothing for " + WAIT_SECONDS + " s"));
                        }
                        return;
                    }
                    if (n < 0) {
                        int index = matchedCount();
                        if (index < expectedClient.size()) {
                            diverge(this, new Divergence(number, index + 1, -1,
                                    MessageText.of(expectedClient.get(index), typed), "the connection closed"));
                        }
                        return;
                    }
                    for (byte[] message : framer.feed(buffer, 0, n)) {
                        if (!check(message, typed)) {
                            return;
                        }
                        typed = typed || !MessageFramer.isEncryptionRequest(message);
                    }
                    if (framer.broken()) {
                        int index = matchedCount();
                        diverge(this, new Divergence(number, index + 1, -1, index < expectedClient.size()
                                ? MessageText.of(expectedClient.get(index), typed) : "nothing more",
                                "bytes that do not frame as a message: " + MessageText.of(framer.unframed(), false)));
                        return;
                    }
                }
            } catch (IOException e) {
                // the connection was closed under us: by close(), or after a divergence
            } finally {
                drainAfterFailure();
                synchronized (ReplayServer.this) {
                    ended = true;
                    ReplayServer.this.notifyAll();
                }
                close();
            }
        }

        /**
         * After a divergence: reads what the client still sends until it closes (at most 2 s), so
         * closing does not reset the connection before the client has read the FATAL error.
         */
        private void drainAfterFailure() {
            synchronized (output) {
                if (!failed) {
                    return;
                }
            }
            try {
                socket.setSoTimeout(2000);
                InputStream in = socket.getInputStream();
                byte[] sink = new byte[8192];
                while (in.read(sink) >= 0) {
                    // discarded: the client left the recording
                }
            } catch (IOException e) {
                // closed or timed out
            }
        }

        private boolean check(byte[] message, boolean typed) {
            int index = matchedCount();
            if (index == expectedClient.size()) {
                diverge(this, new Divergence(number, index + 1, -1, "nothing more (the recorded client sent "
                        + index + " messages here)", MessageText.of(message, typed)));
                return false;
            }
            byte[] expected = expectedClient.get(index);
            if (expected != null && !Arrays.equals(expected, message)) {
                int at = Arrays.mismatch(expected, message);
                diverge(this, new Divergence(number, index + 1, at, MessageText.of(expected, typed),
                        MessageText.of(message, typed)));
                return false;
            }
            synchronized (ReplayServer.this) {
                matched++;
                ReplayServer.this.notifyAll();
            }
            return true;
        }

        /** Plays the recorded server side: each event once what it waits for has happened. */
        void write() {
            try {
                // a run of server events goes out in one write where nothing waits between them
                OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 65536);
                int clientSeen = 0;
                long previousMicros = -1;
                for (int i = 0; i < events.size(); i++) {
                    Event e = events.get(i);
                    if (e.kind() == Kind.CLIENT) {
                        if (!awaitMatched(++clientSeen)) {
                            return;
                        }
                    } else if (e.kind() == Kind.SERVER || e.kind() == Kind.END) {
                        if (!awaitOpened(opensBefore[i])) {
                            return;
                        }
                        if (timing && previousMicros >= 0) {
                            Thread.sleep(Math.min(MAX_GAP_MICROS, Math.max(0, e.micros() - previousMicros)) / 1000);
                        }
                        synchronized (output) {
                            if (failed) {
                                return;
                            }
                            if (e.kind() == Kind.END) {
                                socket.shutdownOutput();
                                return;
                            }
                            out.write(e.bytes());
                            if (!nextGoesAtOnce(i)) {
                                out.flush();
                            }
                        }
                    }
                    previousMicros = e.micros();
                }
            } catch (IOException e) {
                // the client went away; the reader reports whether that was early
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Whether the event after {@code i} is server bytes that wait for nothing (no timing, no connection). */
        private boolean nextGoesAtOnce(int i) {
            if (timing || i + 1 == events.size() || events.get(i + 1).kind() != Kind.SERVER) {
                return false;
            }
            synchronized (ReplayServer.this) {
                return opened >= opensBefore[i + 1];
            }
        }

        private int matchedCount() {
            synchronized (ReplayServer.this) {
                return matched;
            }
        }

        private boolean awaitMatched(int count) throws InterruptedException {
            synchronized (ReplayServer.this) {
                while (matched < count) {
                    if (ended || divergence != null || listener.isClosed()) {
                        return false;
                    }
                    ReplayServer.this.wait();
                }
                return true;
            }
        }

        private boolean awaitOpened(int count) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
            synchronized (ReplayServer.this) {
                while (opened < count) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (ended || divergence != null || listener.isClosed()) {
                        return false;
                    }
                    if (left <= 0) {
                        break;
                    }
                    ReplayServer.this.wait(left);
                }
            }
            boolean missing;
            synchronized (ReplayServer.this) {
                missing = opened < count;
            }
            if (missing) {
                diverge(this, new Divergence(0, 0, -1, "connection " + count + " opened before the server's next bytes"
                        + " on connection " + number + " (" + MessageText.of(firstClientMessage(count), false) + ")",
                        "no new connection for " + WAIT_SECONDS + " s"));
                return false;
            }
            return true;
        }

        /** Answers the client with the divergence as a FATAL error, then closes the connection. */
        void fail(Divergence d) {
            synchronized (output) {
                if (failed) {
                    return;
                }
                failed = true;
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(fatal(PROTOCOL_VIOLATION, "pqbridge replay: " + d.describe() + "\n(the recording"
                            + " cannot answer this; if the client changed on purpose, record it again against a server)"));
                    out.flush();
                    socket.shutdownOutput();
                } catch (IOException e) {
                    // the client is gone
                }
            }
            synchronized (ReplayServer.this) {
                ReplayServer.this.notifyAll();
            }
        }

        void close() {
            Sockets.closeQuietly(socket);
        }
    }
}
