package io.pqbridge.pq;

/**
 * One implementation of the libpq API: {@code native} (libpq through the JNI shim) or {@code java}
 * (the wire protocol in Java). Obtained from {@link Pq}; stateless and thread-safe.
 */
public interface PgBackend {

    /** {@code "native"} or {@code "java"}. */
    String name();

    /**
     * Connects like {@code PQconnectdb}: blocks until the connection is established or every host
     * has failed. Never returns null and never throws for a connection failure: check
     * {@link PgConn#status()} and read {@link PgConn#errorMessage()}, then {@link PgConn#finish()}.
     */
    PgConn connect(String conninfo);

    /** The libpq version this backend behaves as ({@code PQlibVersion}, e.g. 150018). */
    int libpqVersion();
}
