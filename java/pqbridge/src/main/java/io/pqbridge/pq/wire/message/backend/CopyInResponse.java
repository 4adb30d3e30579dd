package io.pqbridge.pq.wire.message.backend;

/** CopyInResponse ('G'): COPY FROM STDIN started: the client sends CopyData. */
public record CopyInResponse(CopyFormat format) implements BackendMessage {

    public static final byte TYPE = 'G';

    static CopyInResponse decode(MessageCursor in) throws MalformedMessageException {
        return new CopyInResponse(CopyFormat.decode(in));
    }
}
