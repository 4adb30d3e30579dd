package io.pqbridge.pq;

/**
 * The protocol codes of the fields of an ErrorResponse or NoticeResponse (libpq's
 * {@code PG_DIAG_*}), as accepted by {@link PgResult#errorField(char)}.
 */
public final class PgDiagField {
    /**
     * The severity ({@code ERROR}, {@code FATAL}, {@code PANIC}, {@code WARNING},
     * {@code NOTICE}...), possibly translated.
     */
    public static final char SEVERITY = 'S';
    /** The severity, never translated (servers 9.6 and later). */
    public static final char SEVERITY_NONLOCALIZED = 'V';
    /** The SQLSTATE code. */
    public static final char SQLSTATE = 'C';
    /** The primary message: terse, typically one line. */
    public static final char MESSAGE_PRIMARY = 'M';
    /** The optional secondary message, which may span several lines. */
    public static final char MESSAGE_DETAIL = 'D';
    /** The optional suggestion of what to do about the problem. */
    public static final char MESSAGE_HINT = 'H';
    /**
     * The error's position in the statement the client sent: a decimal string counting characters
     * from 1.
     */
    public static final char STATEMENT_POSITION = 'P';
    /**
     * As {@link #STATEMENT_POSITION}, in the internally generated statement of
     * {@link #INTERNAL_QUERY}.
     */
    public static final char INTERNAL_POSITION = 'p';
    /** The text of a failed internally generated statement (e.g. a PL/pgSQL function's query). */
    public static final char INTERNAL_QUERY = 'q';
    /**
     * The context of the error: a traceback of the active procedural-language functions and
     * internally generated queries, one per line, most recent first.
     */
    public static final char CONTEXT = 'W';
    /** The schema of the database object the error is about. */
    public static final char SCHEMA_NAME = 's';
    /** The table the error is about. */
    public static final char TABLE_NAME = 't';
    /** The table column the error is about. */
    public static final char COLUMN_NAME = 'c';
    /** The data type the error is about. */
    public static final char DATATYPE_NAME = 'd';
    /** The constraint the error is about. */
    public static final char CONSTRAINT_NAME = 'n';
    /** The server source file that reported the error. */
    public static final char SOURCE_FILE = 'F';
    /** The line, in {@link #SOURCE_FILE}, that reported the error, as a decimal string. */
    public static final char SOURCE_LINE = 'L';
    /** The server source routine that reported the error. */
    public static final char SOURCE_FUNCTION = 'R';

    /** Every code libpq exposes, in the order the server sends them. */
    public static final String ALL = "SVCMDHPpqWstcdnFLR";

    private PgDiagField() {
    }
}
