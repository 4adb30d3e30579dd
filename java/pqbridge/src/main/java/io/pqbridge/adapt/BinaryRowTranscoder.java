package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.NotSupportedException;

/**
 * Turns rows whose fields are in PostgreSQL's text form (the fields of a text or CSV COPY file,
 * already split and unescaped) into a binary COPY stream for columns of known types, so that the
 * server stores what a text COPY of the same fields would have stored while skipping its text
 * parsing, the costliest part of a text COPY.
 *
 * <h2>Use</h2>
 * For each row: {@link #beginRow()}, then per column in order {@link #field} (the text form's
 * UTF-8 bytes) or {@link #nullField()}, then {@link #endRow()}; at the end {@link #finish()}. The
 * stream (header, rows, trailer) accumulates in {@link #array()} up to {@link #size()}; drain it
 * when {@link #isFull()} and after {@link #finish()}, then {@link #clear()}. Send it as the data of
 * a {@code COPY ... FROM STDIN (FORMAT binary)} naming the same columns.
 *
 * <h2>Exactness</h2>
 * Each field is converted by its column type's codec ({@link Codec#transcode}): the text forms
 * PostgreSQL prints always convert to the value the server would store from them; integers,
 * floats and booleans also take every spelling the server's input functions take; other types
 * take the forms pqbridge reads from a server (ISO dates and timestamps with the session's
 * DateStyle field order, timestamptz with an explicit offset, intervals in the postgres
 * IntervalStyle). A field that does not convert raises a {@link DataException} naming the type
 * and the text, and {@link #column()} tells which column it was. Checks that need the table
 * (typmods such as {@code varchar(3)}, constraints) stay with the server, which applies them to
 * binary rows as to text ones.
 *
 * <p>A failed field leaves its row half-written: the stream is then unusable and the COPY must be
 * abandoned (the command-line tool fails the whole load, which is what a text COPY would do).
 *
 * <p>Not thread-safe: one transcoder per COPY, used by one thread at a time. Steady-state
 * conversion allocates nothing for integers, strings and JSON; other types allocate the Java
 * value they pass through.
 */
public final class BinaryRowTranscoder {

    private final Codec[] codecs;
    private final AdaptContext ctx;
    private final ByteSink out = new ByteSink(CopyRowWriter.BUFFER_SIZE + CopyRowWriter.BUFFER_SIZE / 2);
    private boolean headerWritten;
    private int column;

    private BinaryRowTranscoder(Codec[] codecs, AdaptContext ctx) {
        this.codecs = codecs;
        this.ctx = ctx;
    }

    /**
     * A transcoder for columns of these type OIDs (in the COPY's column order), converting in the
     * session described by {@code ctx}.
     *
     * @param oids the columns' type OIDs, in the COPY's column order
     * @param ctx the session settings the text forms follow (DateStyle, time zone...)
     * @return the transcoder, its stream empty
     * @throws NotSupportedException when a type has no conversion ({@link #supports} is false)
     */
    public static BinaryRowTranscoder create(int[] oids, AdaptContext ctx) {
        Codec[] codecs = new Codec[oids.length];
        for (int i = 0; i < oids.length; i++) {
            codecs[i] = Codecs.forOid(oids[i], ctx);
            if (!codecs[i].transcodes()) {
                throw new NotSupportedException("column " + (i + 1) + " has type " + codecs[i].typeName()
                        + ", which pqbridge cannot convert from text to binary; load it as text instead");
            }
        }
        return new BinaryRowTranscoder(codecs, ctx);
    }

    /**
     * Whether fields of a type can be converted.
     *
     * @param oid the type OID
     * @return true for a built-in type pqbridge has a codec for, or an array of one
     */
    public static boolean supports(int oid) {
        return Codecs.forOidOrUnknown(oid).transcodes();
    }

    /** Starts a row (and the stream, with the binary header, before the first one). */
    public void beginRow() {
        if (!headerWritten) {
            out.put(CopyRowWriter.SIGNATURE);
            headerWritten = true;
        }
        out.putShort(codecs.length);
        column = 0;
    }

    /**
     * The next column's field, in its text form.
     *
     * @param data the array holding the field's UTF-8 bytes
     * @param offset where the field starts
     * @param length the field's length in bytes
     * @throws DataException when the text is not a value of the column's type, or the row already
     *     has all its columns ("extra data after last expected column", the server's words)
     */
    public void field(byte[] data, int offset, int length) {
        Codec codec = next();
        int slot = out.size();
        out.putInt(0);
        codec.transcode(data, offset, length, ctx, out);
        out.setInt(slot, out.size() - slot - 4);
        column++;
    }

    /** The next column's field is NULL. */
    public void nullField() {
        next();
        out.putInt(-1);
        column++;
    }

    private Codec next() {
        if (column == codecs.length) {
            throw new DataException("extra data after last expected column");
        }
        return codecs[column];
    }

    /**
     * Ends the row.
     *
     * @throws DataException when columns are missing ("missing data for column", the server's words)
     */
    public void endRow() {
        if (column < codecs.length) {
            throw new DataException("missing data for column " + (column + 1));
        }
    }

    /**
     * {@return the 0-based column of the field being converted (for messages about a failed field)}
     */
    public int column() {
        return column;
    }

    /** Ends the stream: the trailer, after the header when there was no row. */
    public void finish() {
        if (!headerWritten) {
            out.put(CopyRowWriter.SIGNATURE);
            headerWritten = true;
        }
        out.putShort(-1);
    }

    /**
     * {@return true when the stream buffered so far exceeds {@link CopyRowWriter#BUFFER_SIZE} and
     * should be drained}
     */
    public boolean isFull() {
        return out.size() > CopyRowWriter.BUFFER_SIZE;
    }

    /**
     * {@return the buffer; bytes {@code [0, size())} are the pending stream. Re-read after every
     * row (it may grow)}
     */
    public byte[] array() {
        return out.array();
    }

    /** {@return the number of pending bytes at the start of {@link #array()}} */
    public int size() {
        return out.size();
    }

    /** Forgets the pending bytes, after the caller took them. */
    public void clear() {
        out.clear();
    }
}
