package io.pqbridge.errors;

import io.pqbridge.pq.PgDiagField;
import io.pqbridge.pq.PgResult;
import java.util.Map;

/**
 * The diagnostic fields of a server error or notice (psycopg's {@code Diagnostic}), each null when
 * the server did not send it. Client-side errors carry {@link #NONE}, whose fields are all null.
 * Immutable.
 */
public final class Diagnostic {

    /** The diagnostic of an error raised on the client side: every field null. */
    public static final Diagnostic NONE = new Diagnostic(Map.of());

    private final Map<Character, String> fields;

    private Diagnostic(Map<Character, String> fields) {
        this.fields = Map.copyOf(fields);
    }

    /** The fields of a result (an error or a notice); {@link #NONE} when it has none. */
    public static Diagnostic of(PgResult result) {
        return result == null || result.errorFields().isEmpty() ? NONE : new Diagnostic(result.errorFields());
    }

    /** One field by its protocol code ({@link PgDiagField}). */
    public String field(char code) {
        return fields.get(code);
    }

    public String severity() {
        return fields.get(PgDiagField.SEVERITY);
    }

    public String severityNonlocalized() {
        return fields.get(PgDiagField.SEVERITY_NONLOCALIZED);
    }

    public String sqlstate() {
        return fields.get(PgDiagField.SQLSTATE);
    }

    public String messagePrimary() {
        return fields.get(PgDiagField.MESSAGE_PRIMARY);
    }

    public String messageDetail() {
        return fields.get(PgDiagField.MESSAGE_DETAIL);
    }

    public String messageHint() {
        return fields.get(PgDiagField.MESSAGE_HINT);
    }

    public String statementPosition() {
        return fields.get(PgDiagField.STATEMENT_POSITION);
    }

    public String internalPosition() {
        return fields.get(PgDiagField.INTERNAL_POSITION);
    }

    public String internalQuery() {
        return fields.get(PgDiagField.INTERNAL_QUERY);
    }

    public String context() {
        return fields.get(PgDiagField.CONTEXT);
    }

    public String schemaName() {
        return fields.get(PgDiagField.SCHEMA_NAME);
    }

    public String tableName() {
        return fields.get(PgDiagField.TABLE_NAME);
    }

    public String columnName() {
        return fields.get(PgDiagField.COLUMN_NAME);
    }

    public String datatypeName() {
        return fields.get(PgDiagField.DATATYPE_NAME);
    }

    public String constraintName() {
        return fields.get(PgDiagField.CONSTRAINT_NAME);
    }

    public String sourceFile() {
        return fields.get(PgDiagField.SOURCE_FILE);
    }

    public String sourceLine() {
        return fields.get(PgDiagField.SOURCE_LINE);
    }

    public String sourceFunction() {
        return fields.get(PgDiagField.SOURCE_FUNCTION);
    }

    @Override
    public String toString() {
        return "Diagnostic" + fields;
    }
}
