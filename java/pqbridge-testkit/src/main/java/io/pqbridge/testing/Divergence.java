package io.pqbridge.testing;

/**
 * Where a client replayed against a {@link Recording} first did something else than the recorded
 * client: on which connection, at which of its messages and byte, what the recording expects and
 * what the client did. Messages are shown as libpq's {@code PQtrace} shows them.
 *
 * @param connection the connection, counted from 1 in the order the client opened them (a cancel
 *     request is a connection of its own); 0 when the difference is in how many it opened
 * @param clientMessage the client message on that connection, counted from 1 (the startup packet
 *     is the first); 0 when the difference is not in a message
 * @param byteOffset the first byte of that message that differs, from 0; -1 when no byte is compared
 * @param expected what the recording has there
 * @param got what the client did
 */
public record Divergence(int connection, int clientMessage, int byteOffset, String expected, String got) {

    /** {@return the divergence in words, on several lines: where, then expected, then got} */
    public String describe() {
        String where = connection == 0 ? "connections" : "connection " + connection
                + (clientMessage == 0 ? "" : ", client message " + clientMessage)
                + (byteOffset < 0 ? "" : ", byte " + byteOffset);
        return "the client left the recording at " + where + "\n  expected: " + expected.replace("\n", "\n            ")
                + "\n  got:      " + got.replace("\n", "\n            ");
    }
}
