package io.pqbridge.pq.wire.message.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body shared by ErrorResponse and NoticeResponse: (code byte, NUL-terminated value) pairs up
 * to a zero byte, kept in the order the server sent them, unknown codes included. A repeated
 * code keeps its last value, which is the one libpq reports.
 */
final class DiagnosticFields {

    private DiagnosticFields() {
    }

    static Map<Character, String> decode(MessageCursor in) throws MalformedMessageException {
        Map<Character, String> fields = new LinkedHashMap<>();
        for (;;) {
            int code = in.int8();
            if (code == 0) {
                break;
            }
            String value = in.cstring();
            fields.remove((char) code);
            fields.put((char) code, value);
        }
        in.expectEnd();
        return Collections.unmodifiableMap(fields);
    }
}
