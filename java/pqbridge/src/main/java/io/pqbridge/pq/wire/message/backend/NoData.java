package io.pqbridge.pq.wire.message.backend;

/** NoData ('n'): the described statement or portal returns no rows. */
public enum NoData implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = 'n';
}
