package io.pqbridge.pq.wire.message.backend;

/** ParseComplete ('1'). */
public enum ParseComplete implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = '1';
}
