package io.pqbridge.pq.wire.message.backend;

/** CloseComplete ('3'). */
public enum CloseComplete implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = '3';
}
