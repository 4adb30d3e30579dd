package io.pqbridge.pq.wire.message.backend;

import java.util.Map;

/** ErrorResponse ('E'): the error's fields by protocol code ({@link io.pqbridge.pq.PgDiagField}). */
public record ErrorResponse(Map<Character, String> fields) implements BackendMessage {

    public static final byte TYPE = 'E';

    static ErrorResponse decode(MessageCursor in) throws MalformedMessageException {
        return new ErrorResponse(DiagnosticFields.decode(in));
    }
}
