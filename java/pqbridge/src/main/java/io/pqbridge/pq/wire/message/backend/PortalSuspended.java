package io.pqbridge.pq.wire.message.backend;

/** PortalSuspended ('s'): an Execute with a row limit stopped before the end. */
public enum PortalSuspended implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = 's';
}
