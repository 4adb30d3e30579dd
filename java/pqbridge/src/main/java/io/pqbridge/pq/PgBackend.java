package io.pqbridge.pq;

/**
 * One implementation of the libpq API: {@code native} (libpq through the JNI shim) or {@code java}
 * (the wire protocol in Java). Obtained from {@link Pq}; stateless and thread-safe.
 */
public interface PgBackend {

    /** {@return the backend's name, {@code "native"} or {@code "java"}} */
    String name();

    /**
     * Connects like {@code PQconnectdb}: blocks until the connection is established or every host
     * has failed. Never returns null and never throws for a connection failure: check
     * {@link PgConn#status()} and read {@link PgConn#errorMessage()}, then {@link PgConn#finish()}.
     *
     * @param conninfo a connection string, key/value or URI, as libpq accepts it
     * @return the connection, open or failed; the caller finishes it
     */
    PgConn connect(String conninfo);

    /**
     * The options a connection string sets, read as {@code PQconninfoParse} reads it (no
     * environment, no defaults, nothing validated beyond syntax and keywords).
     *
     * @param conninfo a connection string, key/value or URI; null reads as {@code ""}
     * @return the options the string sets, in libpq's keyword order
     * @throws IllegalArgumentException carrying libpq's message (e.g.
     *     {@code invalid connection option "foo"\n}) when the string is malformed
     */
    java.util.List<PgConninfoOption> conninfoParse(String conninfo);

    /**
     * {@return libpq's compiled-in option defaults (the {@code compiled} values of
     * {@code PQconndefaults}), the options without one left out}
     */
    java.util.List<PgConninfoOption> conninfoDefaults();

    /** {@return the libpq version this backend behaves as ({@code PQlibVersion}, e.g. 150018)} */
    int libpqVersion();
}
