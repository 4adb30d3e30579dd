package io.pqbridge.testing;

import io.pqbridge.testing.Recording.Event;
import io.pqbridge.testing.Recording.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What passed on a server's connections, as it passed, for a {@link Recording}: connections
 * opened and closed by either side, the client's bytes framed into messages (as {@link
 * ReplayServer} frames them, so the replay checks the same messages), and the server's pieces as
 * they were written or read. Used by the {@link Recorder}'s proxy and by a test's own scripted
 * server.
 *
 * <p>Server pieces are kept by reference, never copied, until {@link #events()}: a caller passes
 * arrays it will not change (a flood written from one batch array many times costs one entry per
 * write). Thread-safe: connections log from their own threads.
 */
final class ConversationLog {

    private record Logged(Kind kind, int connection, long micros, byte[] bytes, int offset, int length) {
    }

    private final long startNanos = System.nanoTime();
    private final List<Logged> log = new ArrayList<>();
    private final Map<Integer, MessageFramer> framers = new HashMap<>();
    private final Set<Integer> serverEnded = new HashSet<>();
    private long serverBytes;
    private int connections;

    /** {@return the number of the connection that just opened, counted from 1} */
    synchronized int opened() {
        int number = ++connections;
        framers.put(number, MessageFramer.client());
        log.add(new Logged(Kind.OPEN, number, micros(), null, 0, 0));
        return number;
    }

    /**
     * Client bytes read on a connection, in whatever pieces: logs and returns each message they
     * complete (the startup packet and encryption requests included). Once the client sent a
     * length that cannot be framed, it has left the protocol: from there its bytes are logged and
     * returned as they come, one piece each, so nothing is lost.
     */
    synchronized List<byte[]> client(int connection, byte[] bytes, int offset, int length) {
        MessageFramer framer = framers.get(connection);
        if (framer == null) {
            throw new IllegalStateException("client bytes on connection " + connection + ", which was never opened");
        }
        List<byte[]> logged;
        if (framer.broken()) {
            logged = List.of(Arrays.copyOfRange(bytes, offset, offset + length));
        } else {
            logged = new ArrayList<>(framer.feed(bytes, offset, length));
            if (framer.broken()) {
                logged.add(framer.unframed());
            }
        }
        long at = micros();
        for (byte[] m : logged) {
            log.add(new Logged(Kind.CLIENT, connection, at, m, 0, m.length));
        }
        return logged;
    }

    /** Server bytes on a connection, kept by reference: {@code bytes} must not change afterwards. */
    synchronized void server(int connection, byte[] bytes, int offset, int length) {
        if (length > 0) {
            serverBytes += length;
            log.add(new Logged(Kind.SERVER, connection, micros(), bytes, offset, length));
        }
    }

    /** The client closed a connection. */
    synchronized void clientClosed(int connection) {
        log.add(new Logged(Kind.CLOSE, connection, micros(), null, 0, 0));
    }

    /** The server closed its side of a connection; only the first call per connection counts. */
    synchronized void serverClosed(int connection) {
        if (serverEnded.add(connection)) {
            log.add(new Logged(Kind.END, connection, micros(), null, 0, 0));
        }
    }

    /** {@return the server bytes logged so far} */
    synchronized long serverBytes() {
        return serverBytes;
    }

    /** {@return what was logged, in order, each piece its own copy} */
    synchronized List<Event> events() {
        List<Event> events = new ArrayList<>(log.size());
        for (Logged l : log) {
            byte[] bytes = l.bytes() == null ? null : Arrays.copyOfRange(l.bytes(), l.offset(), l.offset() + l.length());
            events.add(new Event(l.kind(), l.connection(), l.micros(), bytes));
        }
        return events;
    }

    private long micros() {
        return (System.nanoTime() - startNanos) / 1000;
    }
}
