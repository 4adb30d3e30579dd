package io.pqbridge.types;

/** The two wire formats of a PostgreSQL value (psycopg's {@code pq.Format}). */
public enum Format {
    /** The type's text form: its output and input functions, text COPY, SQL literals. */
    TEXT,
    /** The type's binary form: its send and receive functions, binary COPY. */
    BINARY
}
