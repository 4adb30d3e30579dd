package io.pqbridge.pq.wire.message.backend;

import java.util.Map;

/** NoticeResponse ('N'): a notice's fields by protocol code ({@link io.pqbridge.pq.PgDiagField}). */
public record NoticeResponse(Map<Character, String> fields) implements BackendMessage {

    public static final byte TYPE = 'N';

    static NoticeResponse decode(MessageCursor in) throws MalformedMessageException {
        return new NoticeResponse(DiagnosticFields.decode(in));
    }
}
