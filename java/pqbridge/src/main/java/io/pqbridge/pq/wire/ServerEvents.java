package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgResultBuilder;
import io.pqbridge.pq.wire.message.backend.BackendMessage;
import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import io.pqbridge.pq.wire.message.backend.ErrorResponse;
import io.pqbridge.pq.wire.message.backend.MalformedMessageException;
import io.pqbridge.pq.wire.message.backend.NoticeResponse;
import io.pqbridge.pq.wire.message.backend.NotificationResponse;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * Notices and notifications parsed from the input, queued in arrival order until the connection
 * delivers them (after each step, on the caller's thread: a handler must never run while the
 * protocol state is half updated). Notices are libpq's PGRES_NONFATAL_ERROR results, formatted as
 * libpq formats them. Either message can arrive in any state, so both parsers of the core (results
 * and COPY OUT) hand them here as they meet them; one that cannot be read is dropped, as libpq
 * drops it, and the parse goes on. Owned by the protocol core.
 */
final class ServerEvents {

    private final ArrayDeque<PgResult> notices = new ArrayDeque<>();
    private final ArrayDeque<PgNotify> notifications = new ArrayDeque<>();

    /**
     * {@code pqGetErrorNotice3} for a notice: the NoticeResponse, or an ErrorResponse that arrived
     * while idle, of type {@code id} in {@code in[body, body + length)}, queued; {@code query} is the
     * text of the command in flight, for a statement position.
     *
     * @return its SQLSTATE; null when it has none, or could not be read
     */
    String notice(byte id, byte[] in, int body, int length, String query) {
        Map<Character, String> fields;
        try {
            BackendMessage m = BackendMessageDecoder.decode(id, in, body, length);
            fields = m instanceof NoticeResponse n ? n.fields() : ((ErrorResponse) m).fields();
        } catch (MalformedMessageException e) {
            return null;
        }
        PgResultBuilder notice = PgResult.builder(PgExecStatus.NONFATAL_ERROR);
        for (Map.Entry<Character, String> f : fields.entrySet()) {
            notice.errorField(f.getKey(), f.getValue());
        }
        notice.errorMessage(ErrorMessageFormat.format(fields, query, false));
        notices.add(notice.build());
        return fields.get('C');
    }

    /** {@code pqInternalNotice}: a notice made by the client (severity NOTICE, no SQLSTATE). */
    void internalNotice(String text) {
        notices.add(PgResult.builder(PgExecStatus.NONFATAL_ERROR).errorField('M', text).errorField('S', "NOTICE")
                .errorField('V', "NOTICE").errorMessage(text + "\n").build());
    }

    /** libpq's {@code getNotify}: the NotificationResponse in {@code in[body, body + length)}, queued. */
    void notification(byte[] in, int body, int length) {
        try {
            NotificationResponse n = (NotificationResponse) BackendMessageDecoder.decode(NotificationResponse.TYPE, in,
                    body, length);
            notifications.add(new PgNotify(n.channel(), n.processId(), n.payload()));
        } catch (MalformedMessageException e) {
            // libpq drops a notification it cannot read
        }
    }

    PgResult pollNotice() {
        return notices.poll();
    }

    PgNotify pollNotification() {
        return notifications.poll();
    }
}
