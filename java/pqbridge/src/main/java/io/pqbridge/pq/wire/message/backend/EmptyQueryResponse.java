package io.pqbridge.pq.wire.message.backend;

/** EmptyQueryResponse ('I'): the query string held no statement. */
public enum EmptyQueryResponse implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = 'I';
}
