package io.pqbridge.pq.wire.message.backend;

/** NotificationResponse ('A'): a NOTIFY on {@code channel} by backend {@code processId}. */
public record NotificationResponse(int processId, String channel, String payload) implements BackendMessage {

    public static final byte TYPE = 'A';

    static NotificationResponse decode(MessageCursor in) throws MalformedMessageException {
        NotificationResponse notification = new NotificationResponse(in.int32(), in.cstring(), in.cstring());
        in.expectEnd();
        return notification;
    }
}
