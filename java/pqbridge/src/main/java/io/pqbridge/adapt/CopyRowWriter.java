package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.util.List;
import java.util.RandomAccess;

/**
 * Formats rows for COPY FROM STDIN exactly as psycopg's {@code write_row} does, into a reusable
 * buffer that the caller drains to the connection.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li><b>text</b>: fields separated by TAB, the row ended by LF (an empty row is a lone LF);
 *       NULL is {@code \N}; in field data exactly seven bytes are escaped: backspace {@code \b},
 *       TAB {@code \t}, LF {@code \n}, VT {@code \v}, FF {@code \f}, CR {@code \r}, backslash
 *       {@code \\}; everything else (other control bytes, UTF-8) passes as it is. So the string
 *       {@code \N} is written {@code \\N} and stays distinct from NULL.</li>
 *   <li><b>binary</b>: the 19-byte header {@code PGCOPY\n\377\r\n\0} + flags 0 + extension 0
 *       before the first row; a row is int16 field count then, per field, int32 length and the
 *       binary value, or int32 -1 for NULL; {@link #finish()} adds the trailer int16 -1, or header
 *       and trailer when no row was written (an empty but valid stream), or nothing when the
 *       caller sent the stream itself with raw writes ({@link #rawWritten()}) and no rows.</li>
 * </ul>
 *
 * <h2>Types</h2>
 * Without {@link #setTypes}, each value is written by its Java type (package comment). With it,
 * each column is written as exactly the pinned type: needed in binary, where the server applies
 * no cast (an Integer into a pinned {@code int8} column is written as 8 bytes). In text, a String
 * value for a pinned non-text type is taken as that type's text form. A row whose length differs
 * from the pinned types fails with psycopg's "expected 2 values in row, got 3".
 *
 * <h2>Buffer and atomicity</h2>
 * Rows accumulate in one growable array ({@link #array()}, valid up to {@link #size()}). The
 * caller drains it when {@link #isFull()} (more than {@link #BUFFER_SIZE} bytes, psycopg's
 * 32 KiB threshold, so chunks are slightly larger) and after {@link #finish()}, by sending
 * {@code array()[0..size())} and calling {@link #clear()}. A row that fails to convert leaves
 * nothing behind: the buffer is cut back to where the row started before the exception
 * propagates, so the caller may catch it and continue. Steady-state writing allocates nothing
 * beyond what the values themselves require.
 *
 * <p>Not thread-safe: one writer per COPY, used by the thread that runs it.
 */
public final class CopyRowWriter {

    /** psycopg's {@code BUFFER_SIZE}: the buffer is handed to the connection once it exceeds this. */
    public static final int BUFFER_SIZE = 32 * 1024;

    static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0};

    private static final boolean[] COPY_ESCAPED = new boolean[256];

    /** A backslash in each of eight bytes: a word XOR this has a zero byte where the word has a backslash. */
    private static final long BACKSLASHES = 0x0101_0101_0101_0101L * '\\';

    static {
        for (char c : new char[] {'\b', '\t', '\n', 0x0B, '\f', '\r', '\\'}) {
            COPY_ESCAPED[c] = true;
        }
    }

    private final boolean binary;
    private final ByteSink out = new ByteSink(BUFFER_SIZE + BUFFER_SIZE / 2);
    private Codec[] pinned;
    /** {@code pinned[i].plainText()}, asked once per column instead of once per value. */
    private boolean[] pinnedPlain;
    /** Binary: the header is out (with the first row, or by the caller's raw writes). */
    private boolean signatureSent;
    /** Rows were written with writeRow, so the end needs the trailer (binary). */
    private boolean rowMode;

    /** The session the values are written for: its registered dumpers come first. */
    private final AdaptContext ctx;

    private CopyRowWriter(boolean binary, AdaptContext ctx) {
        this.binary = binary;
        this.ctx = ctx;
    }

    /**
     * A writer for the COPY's format with the built-in conversions and the global registrations.
     *
     * @param binary true for the binary format, false for text
     * @return the writer, its buffer empty
     */
    public static CopyRowWriter create(boolean binary) {
        return new CopyRowWriter(binary, AdaptContext.DEFAULT);
    }

    /**
     * A writer for the COPY's format: binary when the COPY_IN result says so.
     *
     * @param binary true for the binary format, false for text
     * @param ctx the session, whose registered dumpers and type names come first
     * @return the writer, its buffer empty
     */
    public static CopyRowWriter create(boolean binary, AdaptContext ctx) {
        return new CopyRowWriter(binary, ctx);
    }

    /** {@return true when the writer formats binary rows, false for text} */
    public boolean isBinary() {
        return binary;
    }

    /**
     * Pins the type of each column by OID.
     *
     * @param oids one type OID per column, in column order; null or empty unpins
     */
    public void setTypes(int... oids) {
        if (oids == null || oids.length == 0) {
            pinned = null;
            pinnedPlain = null;
            return;
        }
        Codec[] codecs = new Codec[oids.length];
        boolean[] plain = new boolean[oids.length];
        for (int i = 0; i < oids.length; i++) {
            codecs[i] = Codecs.forOid(oids[i], ctx);
            plain[i] = codecs[i].plainText();
        }
        pinned = codecs;
        pinnedPlain = plain;
    }

    /**
     * Pins the type of each column by name ({@link PgTypes#oid(String)}).
     *
     * @param typeNames one type name per column, in column order
     * @throws io.pqbridge.errors.ProgrammingException for a name that is not a built-in type
     */
    public void setTypes(String... typeNames) {
        setTypes(Codecs.oids(typeNames, ctx));
    }

    /**
     * Formats one row; on failure nothing of it stays in the buffer.
     *
     * @param values the row's values in column order, null for NULL; read, not kept
     * @throws DataException when a value cannot be converted, or the row's length differs from the
     *     pinned types
     */
    public void writeRow(Object[] values) {
        write(values, null, values.length);
    }

    /**
     * Formats one row given as a List; on failure nothing of it stays in the buffer.
     *
     * @param values the row's values in column order, null for NULL; read, not kept
     * @throws DataException when a value cannot be converted, or the row's length differs from the
     *     pinned types
     */
    public void writeRow(List<?> values) {
        if (values instanceof RandomAccess) {
            write(null, values, values.size());
        } else {
            writeRow(values.toArray());
        }
    }

    /** The row is {@code array} or, when that is null, {@code list}: read in place, not copied. */
    private void write(Object[] array, List<?> list, int n) {
        int start = out.size();
        boolean headerBefore = signatureSent;
        try {
            checkArity(n);
            if (binary) {
                if (!signatureSent) {
                    out.put(SIGNATURE);
                    signatureSent = true;
                }
                out.putShort(n);
                for (int i = 0; i < n; i++) {
                    binaryField(array != null ? array[i] : list.get(i), i);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.put('\t');
                    }
                    textField(array != null ? array[i] : list.get(i), i);
                }
                out.put('\n');
            }
            rowMode = true;
        } catch (RuntimeException | Error e) {
            out.truncate(start);
            signatureSent = headerBefore;
            throw e;
        }
    }

    private void checkArity(int n) {
        if (pinned != null && pinned.length != n) {
            throw new DataException("expected " + pinned.length + " values in row, got " + n);
        }
    }

    private Codec codec(Object v, int column) {
        return pinned != null ? pinned[column] : Codecs.forValue(v, ctx);
    }

    private void binaryField(Object v, int column) {
        if (v == null) {
            out.putInt(-1);
            return;
        }
        Codec codec = codec(v, column);
        int slot = out.size();
        out.putInt(0);
        codec.dumpBinary(v, out);
        out.setInt(slot, out.size() - slot - 4);
    }

    private void textField(Object v, int column) {
        if (v == null) {
            out.put('\\');
            out.put('N');
            return;
        }
        Codec codec = codec(v, column);
        int start = out.size();
        codec.dumpText(v, out);
        boolean plain = pinned != null ? pinnedPlain[column] : codec.plainText();
        if (!plain || v instanceof String) {
            escape(start);
        }
    }

    /** Applies COPY's seven escapes, in place, to what was written from {@code start}. */
    private void escape(int start) {
        int end = out.size();
        byte[] buf = out.array();
        int count = 0;
        int i = start;
        for (; i + 8 <= end; i += 8) {
            if (mayHoldEscaped(ByteStops.word(buf, i))) {
                for (int k = i; k < i + 8; k++) {
                    if (COPY_ESCAPED[buf[k] & 0xFF]) {
                        count++;
                    }
                }
            }
        }
        // the tail: when the text is eight bytes or longer, one word test ending at its end
        // (overlapping bytes already tested) says whether the bytes need looking at
        if (i < end && (end - start < 8 || mayHoldEscaped(ByteStops.word(buf, end - 8)))) {
            for (; i < end; i++) {
                if (COPY_ESCAPED[buf[i] & 0xFF]) {
                    count++;
                }
            }
        }
        if (count == 0) {
            return;
        }
        out.openGap(start, count);
        buf = out.array();
        // the text now starts at start + count; rewrite it from start, never passing the reader
        int w = start;
        for (int r = start + count; r < end + count; r++) {
            byte b = buf[r];
            if (COPY_ESCAPED[b & 0xFF]) {
                buf[w++] = '\\';
                b = switch (b) {
                    case '\b' -> 'b';
                    case '\t' -> 't';
                    case '\n' -> 'n';
                    case 0x0B -> 'v';
                    case '\f' -> 'f';
                    case '\r' -> 'r';
                    default -> '\\';
                };
            }
            buf[w++] = b;
        }
    }

    /**
     * False when none of the eight bytes is one COPY escapes (the usual case, tested eight at a
     * time): true when a byte is below 0x0E (the escaped controls are 0x08 to 0x0D) or a backslash.
     * Both word tests are exact about "none" (they may flag a harmless byte below 0x08, which
     * the byte loop then skips).
     */
    private static boolean mayHoldEscaped(long x) {
        return (ByteStops.bytesBelow(x, 0x0E) | ByteStops.bytesBelow(x ^ BACKSLASHES, 1)) != 0;
    }

    /**
     * Notes that the caller sent COPY data of its own (psycopg's block mode {@code write()}): in
     * binary the caller is then taken to send the header itself, so {@link #finish()} adds it only
     * if nothing was written at all. Drain this writer before sending raw data, to keep the order.
     */
    public void rawWritten() {
        signatureSent = true;
    }

    /**
     * Buffers COPY data of the caller's own after the rows buffered so far ({@link #rawWritten()}
     * applies): small raw writes are gathered here with the rows, so one buffer holds everything
     * not yet sent and nothing can be left behind when the COPY ends.
     *
     * @param data the array holding the bytes
     * @param offset where they start
     * @param length how many there are
     */
    public void writeRaw(byte[] data, int offset, int length) {
        rawWritten();
        out.put(data, offset, length);
    }

    /** Appends what the format needs at the end of the data (binary header/trailer); see the class comment. */
    public void finish() {
        if (!binary) {
            return;
        }
        if (!signatureSent) {
            out.put(SIGNATURE);
            out.putShort(-1);
            signatureSent = true;
        } else if (rowMode) {
            out.putShort(-1);
        }
    }

    /**
     * {@return true when the buffer holds more than {@link #BUFFER_SIZE} bytes and should be sent}
     */
    public boolean isFull() {
        return out.size() > BUFFER_SIZE;
    }

    /**
     * {@return the buffer; bytes {@code [0, size())} are the pending COPY data. Re-read after every
     * write (it may grow)}
     */
    public byte[] array() {
        return out.array();
    }

    /** {@return the number of pending bytes at the start of {@link #array()}} */
    public int size() {
        return out.size();
    }

    /** Forgets the pending bytes (after they were sent, or to discard them on an exception exit). */
    public void clear() {
        out.clear();
    }
}
