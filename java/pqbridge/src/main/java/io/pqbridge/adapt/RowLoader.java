package io.pqbridge.adapt;

import io.pqbridge.pq.PgResult;

/**
 * Loads the values of a result into Java objects, by each column's type OID and format (see the
 * package comment for the mapping). The codec of every column is looked up once, when the loader
 * is made; loading a value then reads it in place from the result's buffer and allocates only the
 * value itself.
 *
 * <p>Immutable and thread-safe; one loader serves every row of results with the same columns.
 */
public final class RowLoader {

    private final Codec[] codecs;
    private final int[] formats;
    private final AdaptContext ctx;

    private RowLoader(Codec[] codecs, int[] formats, AdaptContext ctx) {
        this.codecs = codecs;
        this.formats = formats;
        this.ctx = ctx;
    }

    /**
     * A loader for the columns of {@code result} ({@code PQftype}, {@code PQfformat}).
     *
     * @param result the result whose columns the loader reads
     * @param ctx the session settings values are read with
     * @return the loader, for {@code result} and any result with the same columns
     */
    public static RowLoader of(PgResult result, AdaptContext ctx) {
        int n = result.nfields();
        Codec[] codecs = new Codec[n];
        int[] formats = new int[n];
        for (int i = 0; i < n; i++) {
            codecs[i] = Codecs.forOid(result.ftype(i), ctx);
            formats[i] = result.fformat(i);
        }
        return new RowLoader(codecs, formats, ctx);
    }

    /** {@return the session settings the loader reads values with} */
    public AdaptContext context() {
        return ctx;
    }

    /** {@return the number of columns the loader reads} */
    public int columns() {
        return codecs.length;
    }

    /**
     * {@return the value at (row, column) as its Java object, null for SQL NULL}
     *
     * @param result a result with the loader's columns
     * @param row the row's index, from 0
     * @param column the column's index, from 0
     * @throws io.pqbridge.errors.DataException when the value cannot be loaded into its Java type
     */
    public Object load(PgResult result, int row, int column) {
        if (result.isNull(row, column)) {
            return null;
        }
        return codecs[column].load(formats[column], result.buffer(), result.offset(row, column),
                result.length(row, column), ctx);
    }

    /**
     * {@return every value of a row, in column order, null for SQL NULL}
     *
     * @param result a result with the loader's columns
     * @param row the row's index, from 0
     * @throws io.pqbridge.errors.DataException when a value cannot be loaded into its Java type
     */
    public Object[] loadRow(PgResult result, int row) {
        Object[] values = new Object[codecs.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = load(result, row, i);
        }
        return values;
    }

    /**
     * One value of a type, read from the bytes given.
     *
     * @param oid the value's type OID; a type without a codec loads as text (a String) or bytes
     * @param format 0 text, 1 binary
     * @param data the array holding the value
     * @param offset where the value starts
     * @param length the value's length in bytes
     * @param ctx the session settings the value is read with
     * @return the value as its Java object
     * @throws io.pqbridge.errors.DataException when the value cannot be loaded into its Java type
     */
    public static Object loadValue(int oid, int format, byte[] data, int offset, int length, AdaptContext ctx) {
        return Codecs.forOid(oid, ctx).load(format, data, offset, length, ctx);
    }
}
