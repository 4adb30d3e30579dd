package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * Notices and notifications parsed from the input, queued in arrival order until the connection
 * delivers them (after each step, on the caller's thread: a handler must never run while the
 * protocol state is half updated). Notices are libpq's PGRES_NONFATAL_ERROR results, formatted as
 * libpq formats them. Owned by the protocol core.
 */
final class ServerEvents {

    private final ArrayDeque<PgResult> notices = new ArrayDeque<>();
    private final ArrayDeque<PgNotify> notifications = new ArrayDeque<>();

    /** A server notice (or an ErrorResponse that arrived while idle), {@code query} for its position. */
    void notice(Map<Character, String> fields, String query) {
        PgResult.Builder notice = PgResult.builder(PgExecStatus.NONFATAL_ERROR);
        for (Map.Entry<Character, String> f : fields.entrySet()) {
            notice.errorField(f.getKey(), f.getValue());
        }
        notice.errorMessage(ErrorMessageFormat.format(fields, query, false));
        notices.add(notice.build());
    }

    /** {@code pqInternalNotice}: a notice made by the client (severity NOTICE, no SQLSTATE). */
    void internalNotice(String text) {
        notices.add(PgResult.builder(PgExecStatus.NONFATAL_ERROR).errorField('M', text).errorField('S', "NOTICE")
                .errorField('V', "NOTICE").errorMessage(text + "\n").build());
    }

    void notification(PgNotify notify) {
        notifications.add(notify);
    }

    PgResult pollNotice() {
        return notices.poll();
    }

    PgNotify pollNotification() {
        return notifications.poll();
    }
}
