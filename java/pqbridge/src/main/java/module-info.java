/**
 * pqbridge: psycopg 3's handling of PostgreSQL connections, transactions and COPY, for Java.
 *
 * <p>The API: the facade ({@link io.pqbridge.Connection}, {@link io.pqbridge.Cursor},
 * {@link io.pqbridge.Copy}), its errors ({@code io.pqbridge.errors}, the DB-API classes and one
 * class per SQLSTATE), PostgreSQL's own value types ({@code io.pqbridge.types}), SQL composition
 * ({@code io.pqbridge.sql}), connection pools ({@code io.pqbridge.pool}) and the libpq-shaped
 * SPI ({@code io.pqbridge.pq}) that the two backends implement. The java backend's protocol,
 * authentication, TLS and conninfo code is not exported; the type adaptation only to the
 * command-line tool. The native backend is a module of its own ({@code io.pqbridge.natives}),
 * bound as a provider of {@link io.pqbridge.pq.PgBackend} when it is on the module path.
 */
module io.pqbridge {
    // TCP keepalive settings (TcpSocketOptions) and peer credentials of Unix sockets
    requires jdk.net;

    exports io.pqbridge;
    exports io.pqbridge.errors;
    exports io.pqbridge.types;
    exports io.pqbridge.pq;
    exports io.pqbridge.sql;
    exports io.pqbridge.pool;
    exports io.pqbridge.adapt to io.pqbridge.cli;
    // libpq's trace lines, for the test kit's replay reports; not API
    exports io.pqbridge.pq.wire.trace to io.pqbridge.testkit;
    // libpq's table of options and their PG* variables, for the test kit's recorded programs; not API
    exports io.pqbridge.pq.wire.conninfo to io.pqbridge.testkit;
    // the blocking layer both backends share; not API
    exports io.pqbridge.pq.blocking to io.pqbridge.natives;

    uses io.pqbridge.pq.PgBackend;
}
