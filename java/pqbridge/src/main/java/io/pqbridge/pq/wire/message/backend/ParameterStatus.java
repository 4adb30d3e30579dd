package io.pqbridge.pq.wire.message.backend;

/** ParameterStatus ('S'): the current value of a reported server setting. */
public record ParameterStatus(String name, String value) implements BackendMessage {

    public static final byte TYPE = 'S';

    static ParameterStatus decode(MessageCursor in) throws MalformedMessageException {
        ParameterStatus status = new ParameterStatus(in.cstring(), in.cstring());
        in.expectEnd();
        return status;
    }
}
