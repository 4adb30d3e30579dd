package io.pqbridge.testing;

import io.pqbridge.testing.Recording.Event;
import io.pqbridge.testing.Recording.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Recording} made by a test's own server as it serves: the server says when a connection
 * opens, hands over every client byte it reads (framed here into messages, the same way
 * {@link ReplayServer} frames them, so the replay checks the client's real messages byte for
 * byte) and every piece it writes (kept as one server event each, so the replay writes the same
 * pieces in the same order), and says who closed. Nothing goes through a proxy and nothing is
 * taken out: the server is scripted, so its side holds no secret.
 *
 * <p>Pieces are kept by reference, never copied: a caller passes only arrays it will not change
 * (a flood written from one batch array many times costs one entry per write). The bytes are
 * materialized by {@link #build}, which refuses a conversation whose server side is over
 * {@value #MAX_SERVER_BYTES} bytes: such a recording (hex text, twice its size) is too big to keep
 * next to a finding or to read back in a 64 MB test JVM. Thread-safe: a server's connections may
 * log from their own threads.
 */
public final class ServerSideRecording {

    /** The most server bytes {@link #build} makes into a recording: 16 MB. */
    public static final long MAX_SERVER_BYTES = 16L << 20;

    private record Logged(Kind kind, int connection, long micros, byte[] bytes, int offset, int length) {
    }

    private final long startNanos = System.nanoTime();
    private final List<Logged> log = new ArrayList<>();
    private final Map<Integer, MessageFramer> framers = new HashMap<>();
    private final Set<Integer> serverEnded = new HashSet<>();
    private long serverBytes;
    private int connections;

    /** {@return the number of the connection that just opened, counted from 1} */
    public synchronized int opened() {
        int number = ++connections;
        framers.put(number, MessageFramer.client());
        log.add(new Logged(Kind.OPEN, number, micros(), null, 0, 0));
        return number;
    }

    /**
     * Client bytes the server read on a connection, in whatever pieces.
     *
     * @return how many client messages they completed (the startup packet and encryption requests count)
     */
    public synchronized int client(int connection, byte[] bytes, int offset, int length) {
        List<byte[]> messages = framer(connection).feed(bytes, offset, length);
        long at = micros();
        for (byte[] m : messages) {
            log.add(new Logged(Kind.CLIENT, connection, at, m, 0, m.length));
        }
        return messages.size();
    }

    /** Bytes the server wrote on a connection; {@code bytes} must not change afterwards. */
    public synchronized void server(int connection, byte[] bytes, int offset, int length) {
        if (length > 0) {
            serverBytes += length;
            log.add(new Logged(Kind.SERVER, connection, micros(), bytes, offset, length));
        }
    }

    /** The client closed a connection (the server read its end). */
    public synchronized void clientClosed(int connection) {
        log.add(new Logged(Kind.CLOSE, connection, micros(), null, 0, 0));
    }

    /** The server closed its side of a connection; only the first call per connection counts. */
    public synchronized void serverClosed(int connection) {
        if (serverEnded.add(connection)) {
            log.add(new Logged(Kind.END, connection, micros(), null, 0, 0));
        }
    }

    /** {@return the server bytes written so far} */
    public synchronized long serverBytes() {
        return serverBytes;
    }

    /**
     * The conversation so far as a recording.
     *
     * @param scenario what was recorded: a kind ({@code class}, ...), then its name and arguments
     * @param conninfo the client's options, without host, port, password or TLS settings
     * @param notes for people: what the conversation is and how to replay it
     * @return the recording
     * @throws IllegalStateException when the server wrote over {@value #MAX_SERVER_BYTES} bytes;
     *     the message says how many
     */
    public synchronized Recording build(List<String> scenario, String conninfo, List<String> notes) {
        if (serverBytes > MAX_SERVER_BYTES) {
            throw new IllegalStateException("no recording made: the server wrote " + serverBytes
                    + " bytes, over the " + MAX_SERVER_BYTES + " a recording holds; shrink the session's floods first");
        }
        List<Event> events = new ArrayList<>(log.size());
        for (Logged l : log) {
            byte[] bytes = l.bytes() == null ? null
                    : java.util.Arrays.copyOfRange(l.bytes(), l.offset(), l.offset() + l.length());
            events.add(new Event(l.kind(), l.connection(), l.micros(), bytes));
        }
        return new Recording(scenario, conninfo, notes, events);
    }

    private MessageFramer framer(int connection) {
        MessageFramer f = framers.get(connection);
        if (f == null) {
            throw new IllegalStateException("client bytes on connection " + connection + ", which was never opened()");
        }
        return f;
    }

    private long micros() {
        return (System.nanoTime() - startNanos) / 1000;
    }
}
