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

    /**
     * The diagnostic fields of a result (an error or a notice).
     *
     * @param result the result, or null
     * @return its fields; {@link #NONE} when {@code result} is null or has no fields
     */
    public static Diagnostic of(PgResult result) {
        return result == null || result.errorFields().isEmpty() ? NONE : new Diagnostic(result.errorFields());
    }

    /**
     * One field by its protocol code.
     *
     * @param code the field's code, one of {@link PgDiagField}'s
     * @return the field's value; null when the server did not send it
     */
    public String field(char code) {
        return fields.get(code);
    }

    /**
     * {@return the severity ({@code ERROR}, {@code FATAL}, {@code NOTICE}...), possibly translated;
     * null if not sent}
     */
    public String severity() {
        return fields.get(PgDiagField.SEVERITY);
    }

    /** {@return the severity, never translated (servers 9.6 and later); null if not sent} */
    public String severityNonlocalized() {
        return fields.get(PgDiagField.SEVERITY_NONLOCALIZED);
    }

    /** {@return the SQLSTATE code; null if not sent, as for a client-side error} */
    public String sqlstate() {
        return fields.get(PgDiagField.SQLSTATE);
    }

    /** {@return the primary message, terse and typically one line; null if not sent} */
    public String messagePrimary() {
        return fields.get(PgDiagField.MESSAGE_PRIMARY);
    }

    /** {@return the optional secondary message, which may span several lines; null if not sent} */
    public String messageDetail() {
        return fields.get(PgDiagField.MESSAGE_DETAIL);
    }

    /** {@return the optional suggestion of what to do about the problem; null if not sent} */
    public String messageHint() {
        return fields.get(PgDiagField.MESSAGE_HINT);
    }

    /**
     * {@return the error's position in the statement the client sent, a decimal string counting
     * characters from 1; null if not sent}
     */
    public String statementPosition() {
        return fields.get(PgDiagField.STATEMENT_POSITION);
    }

    /**
     * {@return the error's position in the internally generated statement of
     * {@link #internalQuery()}, a decimal string counting characters from 1; null if not sent}
     */
    public String internalPosition() {
        return fields.get(PgDiagField.INTERNAL_POSITION);
    }

    /**
     * {@return the text of the failed internally generated statement (e.g. a PL/pgSQL function's
     * query); null if not sent}
     */
    public String internalQuery() {
        return fields.get(PgDiagField.INTERNAL_QUERY);
    }

    /**
     * {@return the context of the error: a traceback of the active procedural-language functions
     * and internally generated queries, one per line, most recent first; null if not sent}
     */
    public String context() {
        return fields.get(PgDiagField.CONTEXT);
    }

    /** {@return the schema of the database object the error is about; null if not sent} */
    public String schemaName() {
        return fields.get(PgDiagField.SCHEMA_NAME);
    }

    /** {@return the table the error is about; null if not sent} */
    public String tableName() {
        return fields.get(PgDiagField.TABLE_NAME);
    }

    /** {@return the table column the error is about; null if not sent} */
    public String columnName() {
        return fields.get(PgDiagField.COLUMN_NAME);
    }

    /** {@return the data type the error is about; null if not sent} */
    public String datatypeName() {
        return fields.get(PgDiagField.DATATYPE_NAME);
    }

    /** {@return the constraint the error is about; null if not sent} */
    public String constraintName() {
        return fields.get(PgDiagField.CONSTRAINT_NAME);
    }

    /** {@return the server source file that reported the error; null if not sent} */
    public String sourceFile() {
        return fields.get(PgDiagField.SOURCE_FILE);
    }

    /**
     * {@return the line, in {@link #sourceFile()}, that reported the error, as a decimal string;
     * null if not sent}
     */
    public String sourceLine() {
        return fields.get(PgDiagField.SOURCE_LINE);
    }

    /** {@return the server source routine that reported the error; null if not sent} */
    public String sourceFunction() {
        return fields.get(PgDiagField.SOURCE_FUNCTION);
    }

    @Override
    public String toString() {
        return "Diagnostic" + fields;
    }
}
