package io.pqbridge.pq.wire.message.backend;

/**
 * ReadyForQuery ('Z'): the server awaits the next command; {@code status} is the transaction
 * state byte ('I' idle, 'T' in a transaction block, 'E' in a failed one).
 */
public record ReadyForQuery(char status) implements BackendMessage {

    public static final byte TYPE = 'Z';

    static ReadyForQuery decode(MessageCursor in) throws MalformedMessageException {
        ReadyForQuery ready = new ReadyForQuery((char) in.int8());
        in.expectEnd();
        return ready;
    }
}
