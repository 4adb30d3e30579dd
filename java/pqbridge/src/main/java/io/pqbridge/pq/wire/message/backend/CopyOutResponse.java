package io.pqbridge.pq.wire.message.backend;

/** CopyOutResponse ('H'): COPY TO STDOUT started: CopyData follows. */
public record CopyOutResponse(CopyFormat format) implements BackendMessage {

    public static final byte TYPE = 'H';

    static CopyOutResponse decode(MessageCursor in) throws MalformedMessageException {
        return new CopyOutResponse(CopyFormat.decode(in));
    }
}
