package io.pqbridge.pq.wire.message.backend;

/** CopyBothResponse ('W'): COPY BOTH started (replication). */
public record CopyBothResponse(CopyFormat format) implements BackendMessage {

    public static final byte TYPE = 'W';

    static CopyBothResponse decode(MessageCursor in) throws MalformedMessageException {
        return new CopyBothResponse(CopyFormat.decode(in));
    }
}
