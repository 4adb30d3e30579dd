package io.pqbridge.pq.wire.message.backend;

/** CommandComplete ('C'): the command tag ("INSERT 0 5", "COPY 3"). */
public record CommandComplete(String tag) implements BackendMessage {

    public static final byte TYPE = 'C';

    static CommandComplete decode(MessageCursor in) throws MalformedMessageException {
        CommandComplete complete = new CommandComplete(in.cstring());
        in.expectEnd();
        return complete;
    }
}
