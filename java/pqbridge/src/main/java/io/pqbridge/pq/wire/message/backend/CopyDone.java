package io.pqbridge.pq.wire.message.backend;

/** CopyDone ('c') from the server: the end of COPY OUT data. */
public enum CopyDone implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = 'c';
}
