package io.pqbridge.testing;

import java.util.List;

/**
 * A {@link Recording} made by a test's own server as it serves: the test kit's conversation log
 * (the one the recorder's proxy keeps) opened to the test's packages. The server says when a
 * connection opens, hands over every client byte it reads (framed into messages the way {@link
 * ReplayServer} frames them) and every piece it writes (kept as one server event each, so the
 * replay writes the same pieces in the same order), and says who closed. Nothing is taken out:
 * the server is scripted, so its side holds no secret.
 *
 * <p>Pieces are kept by reference until {@link #build}: a caller passes only arrays it will not
 * change (a flood written from one batch array many times costs one entry per write). {@link
 * #build} refuses a conversation whose server side is over
 * {@value #MAX_SERVER_BYTES} bytes: such a recording (hex text, twice its size) is too big to keep
 * next to a finding or to read back in a 64 MB test JVM. Thread-safe: a server's connections may
 * log from their own threads.
 */
public final class ServerSideRecording {

    /** The most server bytes {@link #build} makes into a recording: 16 MB. */
    public static final long MAX_SERVER_BYTES = 16L << 20;

    private final ConversationLog log = new ConversationLog();

    /** {@return the number of the connection that just opened, counted from 1} */
    public int opened() {
        return log.opened();
    }

    /**
     * Client bytes the server read on a connection, in whatever pieces.
     *
     * @return how many client messages they completed (the startup packet and encryption requests count)
     */
    public int client(int connection, byte[] bytes, int offset, int length) {
        return log.client(connection, bytes, offset, length).size();
    }

    /** Bytes the server wrote on a connection; {@code bytes} must not change afterwards. */
    public void server(int connection, byte[] bytes, int offset, int length) {
        log.server(connection, bytes, offset, length);
    }

    /** The client closed a connection (the server read its end). */
    public void clientClosed(int connection) {
        log.clientClosed(connection);
    }

    /** The server closed its side of a connection; only the first call per connection counts. */
    public void serverClosed(int connection) {
        log.serverClosed(connection);
    }

    /** {@return the server bytes written so far} */
    public long serverBytes() {
        return log.serverBytes();
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
    public Recording build(List<String> scenario, String conninfo, List<String> notes) {
        long written = log.serverBytes();
        if (written > MAX_SERVER_BYTES) {
            throw new IllegalStateException("no recording made: the server wrote " + written
                    + " bytes, over the " + MAX_SERVER_BYTES + " a recording holds; shrink the session's floods first");
        }
        return new Recording(scenario, conninfo, notes, log.events());
    }
}
