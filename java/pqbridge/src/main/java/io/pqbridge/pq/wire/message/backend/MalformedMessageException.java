package io.pqbridge.pq.wire.message.backend;

/**
 * A backend message whose body does not match its type: too short for the fields it must carry,
 * or longer than they are. The message is libpq's text for the problem, without the trailing
 * newline (for example {@code insufficient data in "T" message}).
 */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String libpqMessage) {
        super(libpqMessage, null, false, false);
    }

    static MalformedMessageException insufficientData(byte type) {
        return new MalformedMessageException("insufficient data in \"" + (char) type + "\" message");
    }

    static MalformedMessageException lengthMismatch(byte type) {
        return new MalformedMessageException(
                "message contents do not agree with length in message type \"" + (char) type + "\"");
    }
}
