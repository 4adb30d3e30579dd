package io.pqbridge.pq.wire.message.backend;

/** BindComplete ('2'). */
public enum BindComplete implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = '2';
}
