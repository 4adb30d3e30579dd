package io.pqbridge.pq;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One result of a command (libpq's {@code PGresult}), produced alike by both backends.
 *
 * <p>A result is immutable and fully materialised: the native backend copies libpq's result into
 * it and clears libpq's copy at once, so no native memory outlives the call that produced it and a
 * result may be read from any thread. All values lie back to back in one byte array; a value is an
 * (offset, length) pair into it, so reading a row allocates nothing until the caller asks for a
 * {@code byte[]} or a {@code String}.
 *
 * <p>Accessors follow libpq's names and rules (command tuples, case folding of {@link #fnumber},
 * the formatted error message) with one Java deviation: out-of-range indexes throw
 * {@link IndexOutOfBoundsException} carrying the text libpq would have sent to the notice
 * processor, instead of returning a null pointer.
 */
public final class PgResult {

    private final PgExecStatus status;
    private final int ntuples;
    // the columns: package access, for PgResultBuilder.fieldsOf, which shares them with the next result
    final boolean binaryTuples;
    final String[] names;
    final int[] types;
    final int[] tables;
    final int[] tableColumns;
    final int[] formats;
    final int[] typmods;
    final int[] sizes;
    /**
     * The values' bytes, row-major: back to back, or (rows read from the wire) each after its
     * protocol length word, copied with its row in one piece; read them only through
     * {@link #offsets} and {@link #lengths}. Never modified after construction.
     */
    private final byte[] data;
    /** Start of each value in {@link #data}, index row * nfields + column. */
    private final int[] offsets;
    /** Length of each value, -1 for NULL, same index. */
    private final int[] lengths;
    private final String cmdStatus;
    private final String errorMessage;
    private final Map<Character, String> errorFields;
    /** Parameter type OIDs of a described prepared statement, empty otherwise. */
    private final int[] paramTypes;

    PgResult(PgResultBuilder b) {
        this.status = b.status;
        this.ntuples = b.rows;
        this.binaryTuples = b.binaryTuples;
        // A builder only appends: it never writes inside the part of an array a result took, and
        // grows (copies) an array before writing past its end. So an array of exactly the needed
        // length is shared rather than copied; one result per round trip makes the copies count.
        // The value arrays are shared with a little room left over too (a chunk sized from the
        // last one): indexes never reach past the rows, and a copy of each chunk would cost more.
        int n = b.nfields;
        this.names = b.names.length == n ? b.names : Arrays.copyOf(b.names, n);
        this.types = exact(b.types, n);
        this.tables = exact(b.tables, n);
        this.tableColumns = exact(b.tableColumns, n);
        this.formats = exact(b.formats, n);
        this.typmods = exact(b.typmods, n);
        this.sizes = exact(b.sizes, n);
        this.data = nearlyFull(b.data.length, b.dataLength) ? b.data : Arrays.copyOf(b.data, b.dataLength);
        this.offsets = nearlyExact(b.offsets, b.values);
        this.lengths = nearlyExact(b.lengths, b.values);
        this.cmdStatus = b.cmdStatus;
        this.errorMessage = b.errorMessage;
        this.errorFields = b.errorFields == null ? Collections.emptyMap()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.errorFields));
        this.paramTypes = b.paramTypes;
    }

    private static int[] exact(int[] array, int length) {
        return array.length == length ? array : Arrays.copyOf(array, length);
    }

    /** {@code array} itself when at most an eighth of it is unused, else its first {@code length} entries. */
    private static int[] nearlyExact(int[] array, int length) {
        return nearlyFull(array.length, length) ? array : Arrays.copyOf(array, length);
    }

    private static boolean nearlyFull(int capacity, int used) {
        return capacity - used <= capacity >>> 3;
    }

    /**
     * Starts a result of the given status; used by the backends.
     *
     * @param status the result's status
     * @return an empty builder
     */
    public static PgResultBuilder builder(PgExecStatus status) {
        return new PgResultBuilder(status);
    }

    /**
     * A result made on the client side carrying only a status and a message (libpq's
     * {@code pqMakeEmptyPGresult} + error text): no fields, no SQLSTATE.
     *
     * @param status the result's status, usually {@link PgExecStatus#FATAL_ERROR}
     * @param message the text {@link #errorMessage()} returns; null stands for {@code ""}
     * @return the result
     */
    public static PgResult ofError(PgExecStatus status, String message) {
        return builder(status).errorMessage(message).build();
    }

    /** {@return the result's status (libpq's {@code PQresultStatus})} */
    public PgExecStatus status() {
        return status;
    }

    /** {@return the number of rows (libpq's {@code PQntuples})} */
    public int ntuples() {
        return ntuples;
    }

    /**
     * {@return the number of parameters of a described prepared statement, 0 for any other result
     * (libpq's {@code PQnparams})}
     */
    public int nparams() {
        return paramTypes.length;
    }

    /**
     * {@return the type OID of a described prepared statement's parameter (libpq's
     * {@code PQparamtype})}
     *
     * @param param the parameter's index, from 0
     */
    public int paramtype(int param) {
        if (param < 0 || param >= paramTypes.length) {
            throw new IndexOutOfBoundsException(
                    "parameter number " + param + " is out of range 0.." + (paramTypes.length - 1));
        }
        return paramTypes[param];
    }

    /** {@return the number of columns of each row (libpq's {@code PQnfields})} */
    public int nfields() {
        return names.length;
    }

    /**
     * {@return true when every column is in binary format (for COPY results: the overall COPY
     * format)}
     */
    public boolean binaryTuples() {
        return binaryTuples;
    }

    /**
     * {@return the column's name (libpq's {@code PQfname})}
     *
     * @param column the column's index, from 0
     */
    public String fname(int column) {
        return names[checkColumn(column)];
    }

    /**
     * {@return the column's type OID}
     *
     * @param column the column's index, from 0
     */
    public int ftype(int column) {
        return types[checkColumn(column)];
    }

    /**
     * {@return the OID of the table the column comes from, 0 for an expression}
     *
     * @param column the column's index, from 0
     */
    public int ftable(int column) {
        return tables[checkColumn(column)];
    }

    /**
     * {@return the column's number (1-based) within {@link #ftable}, 0 for an expression}
     *
     * @param column the column's index, from 0
     */
    public int ftablecol(int column) {
        return tableColumns[checkColumn(column)];
    }

    /**
     * {@return the column's format: 0 text, 1 binary}
     *
     * @param column the column's index, from 0
     */
    public int fformat(int column) {
        return formats[checkColumn(column)];
    }

    /**
     * {@return the column's type modifier (e.g. a {@code varchar}'s length + 4), -1 when none
     * (libpq's {@code PQfmod})}
     *
     * @param column the column's index, from 0
     */
    public int fmod(int column) {
        return typmods[checkColumn(column)];
    }

    /**
     * {@return the server's internal size of the column's type in bytes, negative for a
     * variable-length type (libpq's {@code PQfsize})}
     *
     * @param column the column's index, from 0
     */
    public int fsize(int column) {
        return sizes[checkColumn(column)];
    }

    /**
     * The index of the column with this name, with libpq's rules: the name is folded to lower case
     * except inside double quotes, where {@code ""} stands for one quote.
     *
     * @param name the column's name, as SQL would spell it
     * @return the index of the first column of that name, from 0; -1 if none
     */
    public int fnumber(String name) {
        String folded = foldColumnName(name);
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(folded)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@return true when the value is NULL}
     *
     * @param row the row's index, from 0
     * @param column the column's index, from 0
     */
    public boolean isNull(int row, int column) {
        return lengths[index(row, column)] < 0;
    }

    /**
     * {@return the length in bytes of the value, 0 for NULL (as libpq)}
     *
     * @param row the row's index, from 0
     * @param column the column's index, from 0
     */
    public int length(int row, int column) {
        return Math.max(0, lengths[index(row, column)]);
    }

    /**
     * {@return a copy of the value's bytes, or null for NULL (libpq gives "" there; Java has null)}
     *
     * @param row the row's index, from 0
     * @param column the column's index, from 0
     */
    public byte[] value(int row, int column) {
        int i = index(row, column);
        int len = lengths[i];
        return len < 0 ? null : Arrays.copyOfRange(data, offsets[i], offsets[i] + len);
    }

    /**
     * {@return the value decoded as UTF-8 text, or null for NULL}
     *
     * @param row the row's index, from 0
     * @param column the column's index, from 0
     */
    public String text(int row, int column) {
        int i = index(row, column);
        int len = lengths[i];
        return len < 0 ? null : new String(data, offsets[i], len, StandardCharsets.UTF_8);
    }

    /**
     * {@return the array holding every value, for decoders that read in place together with
     * {@link #offset} and {@link #length}; callers must not modify it}
     */
    public byte[] buffer() {
        return data;
    }

    /**
     * {@return where the value starts in {@link #buffer()}}
     *
     * @param row the row's index, from 0
     * @param column the column's index, from 0
     */
    public int offset(int row, int column) {
        return offsets[index(row, column)];
    }

    /**
     * {@return the command tag ("INSERT 0 5", "SELECT 2", "COPY 3"), {@code ""} when there is none}
     */
    public String cmdStatus() {
        return cmdStatus;
    }

    /**
     * {@return the number of rows the command affected, as libpq's {@code PQcmdTuples} reads it
     * from the tag: decimal digits, {@code ""} for a command without a count}
     */
    public String cmdTuples() {
        return commandTuples(cmdStatus);
    }

    /**
     * {@return libpq's formatted error message ("ERROR:  ...\nDETAIL:  ...\n"), {@code ""} when
     * none}
     */
    public String errorMessage() {
        return errorMessage;
    }

    /**
     * {@return one error field, null when absent}
     *
     * @param code the field's protocol code, one of {@link PgDiagField}'s
     */
    public String errorField(char code) {
        return errorFields.get(code);
    }

    /**
     * {@return every error field present, by protocol code, in the order the server sent them;
     * unmodifiable}
     */
    public Map<Character, String> errorFields() {
        return errorFields;
    }

    @Override
    public String toString() {
        return "PgResult[" + status + (cmdStatus.isEmpty() ? "" : " " + cmdStatus) + ", " + ntuples
                + " rows, " + names.length + " fields"
                + (errorMessage.isEmpty() ? "" : ", " + errorMessage.strip()) + "]";
    }

    private int checkColumn(int column) {
        if (column < 0 || column >= names.length) {
            throw new IndexOutOfBoundsException(
                    "column number " + column + " is out of range 0.." + (names.length - 1));
        }
        return column;
    }

    private int index(int row, int column) {
        if (row < 0 || row >= ntuples) {
            throw new IndexOutOfBoundsException("row number " + row + " is out of range 0.." + (ntuples - 1));
        }
        return row * names.length + checkColumn(column);
    }

    static String foldColumnName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean quoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < name.length() && name.charAt(i + 1) == '"') {
                    out.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else {
                out.append(quoted || c < 'A' || c > 'Z' ? c : (char) (c + ('a' - 'A')));
            }
        }
        return out.toString();
    }

    static String commandTuples(String tag) {
        int start;
        if (tag.startsWith("INSERT ")) {
            int space = tag.indexOf(' ', 7);
            if (space < 0) {
                return "";
            }
            start = space + 1;
        } else if (tag.startsWith("SELECT ") || tag.startsWith("DELETE ") || tag.startsWith("UPDATE ")) {
            start = 7;
        } else if (tag.startsWith("FETCH ") || tag.startsWith("MERGE ")) {
            start = 6;
        } else if (tag.startsWith("MOVE ") || tag.startsWith("COPY ")) {
            start = 5;
        } else {
            return "";
        }
        if (start >= tag.length()) {
            return "";
        }
        for (int i = start; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c < '0' || c > '9') {
                return "";
            }
        }
        return tag.substring(start);
    }

    /**
     * A result's values would exceed what one Java array holds (2 GB); thrown by the
     * {@link PgResultBuilder}, which backends turn into libpq's "out of memory for query result".
     */
    public static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("the values of one result would exceed 2 GB", null, false, false);
        }
    }
}
