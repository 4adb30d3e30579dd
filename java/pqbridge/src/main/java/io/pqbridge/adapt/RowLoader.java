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

    /** A loader for the columns of {@code result} ({@code PQftype}, {@code PQfformat}). */
    public static RowLoader of(PgResult result, AdaptContext ctx) {
        int n = result.nfields();
        Codec[] codecs = new Codec[n];
        int[] formats = new int[n];
        for (int i = 0; i < n; i++) {
            codecs[i] = Codecs.forOidOrUnknown(result.ftype(i));
            formats[i] = result.fformat(i);
        }
        return new RowLoader(codecs, formats, ctx);
    }

    public int columns() {
        return codecs.length;
    }

    /** The value at (row, column), null for SQL NULL. */
    public Object load(PgResult result, int row, int column) {
        if (result.isNull(row, column)) {
            return null;
        }
        return codecs[column].load(formats[column], result.buffer(), result.offset(row, column),
                result.length(row, column), ctx);
    }

    /** Every value of a row. */
    public Object[] loadRow(PgResult result, int row) {
        Object[] values = new Object[codecs.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = load(result, row, i);
        }
        return values;
    }

    /** One value of type {@code oid} in {@code format} (0 text, 1 binary), read from the bytes given. */
    public static Object loadValue(int oid, int format, byte[] data, int offset, int length, AdaptContext ctx) {
        return Codecs.forOidOrUnknown(oid).load(format, data, offset, length, ctx);
    }
}
