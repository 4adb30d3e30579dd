package io.pqbridge.pq;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Assembles a {@link PgResult} ({@link PgResult#builder}): fields first, then values row by row.
 * Not thread-safe; each backend builds a result on the thread that reads it from the server.
 *
 * <p>Invariant that lets a result share this builder's arrays instead of copying them: the
 * builder only appends. It never writes inside the part of an array a built result took, and
 * it grows (copies) an array before writing past its end. {@link #build} hands the arrays to
 * {@link PgResult}'s constructor, which reads them through package access.
 */
public final class PgResultBuilder {
    // a builder starts on these shared empty arrays: nothing can be written into them, and a
    // result per statement need not allocate ten arrays it replaces at its first column
    private static final String[] NO_STRINGS = {};
    private static final int[] NO_INTS = {};
    private static final byte[] NO_BYTES = {};

    final PgExecStatus status;
    boolean binaryTuples;
    int nfields;
    String[] names = NO_STRINGS;
    int[] types = NO_INTS;
    int[] tables = NO_INTS;
    int[] tableColumns = NO_INTS;
    int[] formats = NO_INTS;
    int[] typmods = NO_INTS;
    int[] sizes = NO_INTS;
    byte[] data = NO_BYTES;
    int dataLength;
    int[] offsets = NO_INTS;
    int[] lengths = NO_INTS;
    int values;
    /** The column the next value belongs to: {@code values % nfields}, kept as a counter. */
    private int column;
    int rows;
    String cmdStatus = "";
    String errorMessage = "";
    Map<Character, String> errorFields; // created by the first errorField
    int[] paramTypes = NO_INTS;

    PgResultBuilder(PgExecStatus status) {
        this.status = status;
    }

    /**
     * Sets {@link PgResult#binaryTuples()}.
     *
     * @param binary whether every column is in binary format
     * @return this builder
     */
    public PgResultBuilder binaryTuples(boolean binary) {
        this.binaryTuples = binary;
        return this;
    }

    /**
     * Takes the field descriptions of {@code template} as they are, instead of declaring them
     * one by one: for a result set read in many results (single-row mode), or the same
     * statement run again, every result has the same columns, and sharing the arrays costs
     * nothing since neither side changes them.
     *
     * @param template a result with the columns this one has
     * @return this builder
     * @throws IllegalStateException when fields were already declared
     */
    public PgResultBuilder fieldsOf(PgResult template) {
        if (nfields > 0 || values > 0) {
            throw new IllegalStateException("fieldsOf must come before any field or value");
        }
        names = template.names;
        types = template.types;
        tables = template.tables;
        tableColumns = template.tableColumns;
        formats = template.formats;
        typmods = template.typmods;
        sizes = template.sizes;
        nfields = names.length;
        binaryTuples = template.binaryTuples;
        return this;
    }

    /**
     * Sets the parameter types of a described prepared statement ({@link PgResult#nparams()}).
     *
     * @param typeOids the parameters' type OIDs, in order; copied
     * @return this builder
     */
    public PgResultBuilder paramTypes(int[] typeOids) {
        this.paramTypes = typeOids.clone();
        return this;
    }

    /**
     * Declares how many fields follow, so the arrays are sized once.
     *
     * @param count the number of fields
     * @return this builder
     */
    public PgResultBuilder expectFields(int count) {
        if (names.length < count) {
            names = Arrays.copyOf(names, count);
            types = Arrays.copyOf(types, count);
            tables = Arrays.copyOf(tables, count);
            tableColumns = Arrays.copyOf(tableColumns, count);
            formats = Arrays.copyOf(formats, count);
            typmods = Arrays.copyOf(typmods, count);
            sizes = Arrays.copyOf(sizes, count);
        }
        return this;
    }

    /**
     * Appends a field (column) description, as a RowDescription message carries it.
     *
     * @param name the column's name
     * @param tableOid the OID of the table the column comes from, 0 for an expression
     * @param tableColumn the column's number within that table, 0 for an expression
     * @param typeOid the column's type OID
     * @param size the type's internal size in bytes, negative for a variable-length type
     * @param typmod the type modifier, -1 when none
     * @param format 0 text, 1 binary
     * @return this builder
     * @throws IllegalStateException when a value was already appended
     */
    public PgResultBuilder field(String name, int tableOid, int tableColumn, int typeOid, int size, int typmod,
            int format) {
        if (values > 0) {
            throw new IllegalStateException("fields must be declared before the first value");
        }
        expectFields(nfields + 1);
        names[nfields] = name;
        tables[nfields] = tableOid;
        tableColumns[nfields] = tableColumn;
        types[nfields] = typeOid;
        sizes[nfields] = size;
        typmods[nfields] = typmod;
        formats[nfields] = format;
        nfields++;
        return this;
    }

    /**
     * Declares the expected number of rows and value bytes, so storage is sized once. Call
     * after the fields are declared.
     *
     * @param rowCount the number of rows expected
     * @param bytes the bytes of storage they take (with {@link #rowBytes}, their length words too)
     * @return this builder
     */
    public PgResultBuilder expectData(int rowCount, int bytes) {
        int valueCount = rowCount * nfields;
        if (offsets.length < valueCount) {
            offsets = Arrays.copyOf(offsets, valueCount);
            lengths = Arrays.copyOf(lengths, valueCount);
        }
        if (data.length < bytes) {
            data = Arrays.copyOf(data, bytes);
        }
        return this;
    }

    /** {@return the bytes of storage the values appended so far take (with {@link #rowBytes}, their length words too)} */
    public int valueBytes() {
        return dataLength;
    }

    /**
     * Copies a row's values as the protocol sends them (each an int32 length, then its bytes)
     * into the result's storage in one copy, the length words included, and returns where they
     * start; {@link #valueAt} then declares each value within them. One copy per row instead of
     * one per value, for four bytes per value of storage (less than the per-value overhead
     * libpq's results carry).
     *
     * @param source the array holding the row's values
     * @param offset where the first value's length word starts
     * @param length the bytes of all the row's values and length words
     * @return the storage position the copy starts at
     * @throws PgResult.TooLargeException when the values would exceed 2 GB
     */
    public int rowBytes(byte[] source, int offset, int length) {
        ensureData(length);
        int at = dataLength;
        System.arraycopy(source, offset, data, at, length);
        dataLength += length;
        return at;
    }

    /**
     * Appends the next value (row-major) whose bytes {@link #rowBytes} already stored.
     *
     * @param at the value's storage position
     * @param length the value's length in bytes; negative for NULL
     * @return this builder
     * @throws IllegalStateException when no field is declared
     */
    public PgResultBuilder valueAt(int at, int length) {
        ensureValueSlot();
        offsets[values] = at;
        lengths[values] = length < 0 ? -1 : length;
        countValue();
        return this;
    }

    /**
     * {@link #rowBytes(byte[], int, int)} from a buffer: copies {@code length} bytes at its
     * position (advancing it) into the result's storage in one copy, and returns where they
     * start; {@link #valueAt} then declares each value within them. The native backend hands
     * over a whole result's rows this way.
     *
     * @param source the buffer positioned at the first value's length word
     * @param length the bytes of all the values and their length words
     * @return the storage position the copy starts at
     * @throws PgResult.TooLargeException when the values would exceed 2 GB
     */
    public int rowBytes(java.nio.ByteBuffer source, int length) {
        ensureData(length);
        int at = dataLength;
        source.get(data, at, length);
        dataLength += length;
        return at;
    }

    /**
     * Sets {@link PgResult#cmdStatus()}.
     *
     * @param tag the command tag; null stands for {@code ""}
     * @return this builder
     */
    public PgResultBuilder cmdStatus(String tag) {
        this.cmdStatus = tag == null ? "" : tag;
        return this;
    }

    /**
     * Sets {@link PgResult#errorMessage()}.
     *
     * @param message the formatted error message; null stands for {@code ""}
     * @return this builder
     */
    public PgResultBuilder errorMessage(String message) {
        this.errorMessage = message == null ? "" : message;
        return this;
    }

    /**
     * Adds an error field; a field already set is replaced, keeping its place in the order.
     *
     * @param code the field's protocol code, one of {@link PgDiagField}'s
     * @param value the field's value
     * @return this builder
     */
    public PgResultBuilder errorField(char code, String value) {
        if (errorFields == null) {
            errorFields = new LinkedHashMap<>();
        }
        errorFields.put(code, value);
        return this;
    }

    /**
     * {@return the result, which shares nothing mutable with this builder}
     *
     * @throws IllegalStateException when the last row is incomplete
     */
    public PgResult build() {
        if (column != 0) {
            throw new IllegalStateException("incomplete row: " + column + " of " + nfields + " values");
        }
        return new PgResult(this);
    }

    private void ensureValueSlot() {
        if (nfields == 0) {
            throw new IllegalStateException("a value needs at least one field");
        }
        if (values == offsets.length) {
            int grown = Math.max(nfields, values * 2); // from one row: a one-row result is then exact and shared
            offsets = Arrays.copyOf(offsets, grown);
            lengths = Arrays.copyOf(lengths, grown);
        }
    }

    private void ensureData(int length) {
        long needed = (long) dataLength + length;
        if (needed > data.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new PgResult.TooLargeException();
            }
            data = Arrays.copyOf(data, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, data.length * 2L)));
        }
    }

    private void countValue() {
        values++;
        if (++column == nfields) {   // a counter, not values % nfields: no division per value
            column = 0;
            rows++;
        }
    }
}
