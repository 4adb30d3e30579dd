package io.pqbridge.pq;

/**
 * The protocol codes of the fields of an ErrorResponse or NoticeResponse (libpq's
 * {@code PG_DIAG_*}), as accepted by {@link PgResult#errorField(char)}.
 */
public final class PgDiagField {
    public static final char SEVERITY = 'S';
    public static final char SEVERITY_NONLOCALIZED = 'V';
    public static final char SQLSTATE = 'C';
    public static final char MESSAGE_PRIMARY = 'M';
    public static final char MESSAGE_DETAIL = 'D';
    public static final char MESSAGE_HINT = 'H';
    public static final char STATEMENT_POSITION = 'P';
    public static final char INTERNAL_POSITION = 'p';
    public static final char INTERNAL_QUERY = 'q';
    public static final char CONTEXT = 'W';
    public static final char SCHEMA_NAME = 's';
    public static final char TABLE_NAME = 't';
    public static final char COLUMN_NAME = 'c';
    public static final char DATATYPE_NAME = 'd';
    public static final char CONSTRAINT_NAME = 'n';
    public static final char SOURCE_FILE = 'F';
    public static final char SOURCE_LINE = 'L';
    public static final char SOURCE_FUNCTION = 'R';

    /** Every code libpq exposes, in the order the server sends them. */
    public static final String ALL = "SVCMDHPpqWstcdnFLR";

    private PgDiagField() {
    }
}
