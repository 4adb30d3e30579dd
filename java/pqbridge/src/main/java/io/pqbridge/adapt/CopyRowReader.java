package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.ProgrammingException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Parses the rows of COPY TO STDOUT, one CopyData message at a time, exactly as psycopg's
 * {@code read_row} does.
 *
 * <ul>
 *   <li><b>text</b>: the message must end with LF, else {@link DataException} "bad copy data:
 *       field delimiter not found"; fields split on TAB; a field that is exactly {@code \N} is
 *       NULL; the seven escapes ({@code \b \t \n \v \f \r \\}) are decoded, any other backslash
 *       sequence is left as it is.</li>
 *   <li><b>binary</b>: the first message must start with the 19-byte header, else
 *       {@link DataException} "binary copy doesn't start with the expected signature"; the header
 *       counts as read once it matched, even if the row after it then fails (psycopg's
 *       {@code BinaryFormatter.parse_row}), so the next message is parsed as a row. The trailer
 *       message ({@code \377\377}) ends the data: {@link #parseRow} returns null, and the caller
 *       then reads the COPY's final result.</li>
 * </ul>
 *
 * <p>A message that fails to parse changes no other state (only the header's being read, above):
 * the caller drops it and passes the next one, as psycopg does (see {@code Copy.readRow}).
 *
 * <p>Without {@link #setTypes}, values are not converted: a text field is a {@link String}, a
 * binary field a {@code byte[]} (PostgreSQL sends no types for COPY). With it, each field is
 * loaded by its pinned type, and a row with another number of fields fails with psycopg's
 * {@link ProgrammingException} "cannot load sequence of 3 items: 2 loaders registered".
 *
 * <p>Not thread-safe: one reader per COPY. Parsing reads the message in place (a direct buffer is
 * copied once into a reused array) and allocates only the row and its values.
 */
public final class CopyRowReader {

    private static final byte[] UNESCAPED = new byte[128];

    static {
        UNESCAPED['b'] = '\b';
        UNESCAPED['t'] = '\t';
        UNESCAPED['n'] = '\n';
        UNESCAPED['v'] = 0x0B;
        UNESCAPED['f'] = '\f';
        UNESCAPED['r'] = '\r';
        UNESCAPED['\\'] = '\\';
    }

    private final boolean binary;
    private final AdaptContext ctx;
    private Codec[] pinned;
    private boolean signatureSeen;
    private byte[] scratch = new byte[256];
    private byte[] message = new byte[256];

    private CopyRowReader(boolean binary, AdaptContext ctx) {
        this.binary = binary;
        this.ctx = ctx;
    }

    /**
     * A reader for the COPY's format: binary when the COPY_OUT result says so.
     *
     * @param binary true for the binary format, false for text
     * @param ctx the session settings that pinned types are loaded with
     * @return the reader, no types pinned
     */
    public static CopyRowReader create(boolean binary, AdaptContext ctx) {
        return new CopyRowReader(binary, ctx);
    }

    /** {@return true when the reader parses binary messages, false for text} */
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
            return;
        }
        Codec[] codecs = new Codec[oids.length];
        for (int i = 0; i < oids.length; i++) {
            codecs[i] = Codecs.forOid(oids[i], ctx);
        }
        pinned = codecs;
    }

    /**
     * Pins the type of each column by name ({@link PgTypes#oid(String)}).
     *
     * @param typeNames one type name per column, in column order
     * @throws ProgrammingException for a name that is not a built-in type
     */
    public void setTypes(String... typeNames) {
        setTypes(Codecs.oids(typeNames, ctx));
    }

    /**
     * Parses the message between the buffer's position and limit (the position is not moved); see
     * {@link #parseRow(byte[], int, int)}.
     *
     * @param data the buffer holding one CopyData message
     * @return the row's values; null for the binary trailer or an empty message
     */
    public Object[] parseRow(ByteBuffer data) {
        int length = data.remaining();
        if (data.hasArray()) {
            return parseRow(data.array(), data.arrayOffset() + data.position(), length);
        }
        if (message.length < length) {
            message = new byte[Math.max(length, message.length * 2)];
        }
        data.get(data.position(), message, 0, length);
        return parseRow(message, 0, length);
    }

    /**
     * Parses one CopyData message. The array is not kept.
     *
     * @param data the array holding the message
     * @param offset where the message starts
     * @param length the message's length
     * @return the row's values; null for the binary trailer (and for an empty message)
     * @throws DataException for a malformed message, or a value its pinned type cannot load
     * @throws ProgrammingException when the row has another number of fields than the pinned types
     */
    public Object[] parseRow(byte[] data, int offset, int length) {
        if (length == 0) {
            return null;
        }
        return binary ? binaryRow(data, offset, length) : textRow(data, offset, length);
    }

    private Object[] textRow(byte[] b, int offset, int length) {
        int end = offset + length - 1;
        if (b[end] != '\n') {
            throw new DataException("bad copy data: field delimiter not found");
        }
        int fields = 1;
        for (int i = offset; i < end; i++) {
            if (b[i] == '\t') {
                fields++;
            }
        }
        checkArity(fields);
        Object[] row = new Object[fields];
        int start = offset;
        for (int f = 0; f < fields; f++) {
            int stop = start;
            boolean backslash = false;
            while (stop < end && b[stop] != '\t') {
                backslash |= b[stop] == '\\';
                stop++;
            }
            int len = stop - start;
            if (len == 2 && b[start] == '\\' && b[start + 1] == 'N') {
                row[f] = null;
            } else if (backslash) {
                int n = unescape(b, start, stop);
                row[f] = loadText(f, scratch, 0, n);
            } else {
                row[f] = loadText(f, b, start, len);
            }
            start = stop + 1;
        }
        return row;
    }

    /** Decodes the seven escapes of {@code b[start, stop)} into {@link #scratch}; returns its length. */
    private int unescape(byte[] b, int start, int stop) {
        if (scratch.length < stop - start) {
            scratch = new byte[Math.max(stop - start, scratch.length * 2)];
        }
        int n = 0;
        for (int i = start; i < stop; i++) {
            byte c = b[i];
            if (c == '\\' && i + 1 < stop) {
                byte next = b[i + 1];
                byte decoded = next >= 0 ? UNESCAPED[next] : 0;
                if (decoded != 0) {
                    scratch[n++] = decoded;
                    i++;
                    continue;
                }
            }
            scratch[n++] = c;
        }
        return n;
    }

    private Object loadText(int field, byte[] b, int offset, int length) {
        if (pinned == null) {
            return Codec.utf8(b, offset, length);
        }
        return pinned[field].loadText(b, offset, length, ctx);
    }

    private Object[] binaryRow(byte[] b, int offset, int length) {
        int p = offset;
        int end = offset + length;
        if (!signatureSeen) {
            if (length < CopyRowWriter.SIGNATURE.length || !Arrays.equals(b, offset,
                    offset + CopyRowWriter.SIGNATURE.length, CopyRowWriter.SIGNATURE, 0, CopyRowWriter.SIGNATURE.length)) {
                throw new DataException("binary copy doesn't start with the expected signature");
            }
            signatureSeen = true;
            p += CopyRowWriter.SIGNATURE.length;
        }
        if (end - p == 2 && b[p] == (byte) 0xFF && b[p + 1] == (byte) 0xFF) {
            return null;
        }
        if (end - p < 2) {
            throw new DataException("bad binary copy data: truncated row");
        }
        int fields = Codec.getShort(b, p);
        p += 2;
        checkArity(fields);
        Object[] row = new Object[fields];
        for (int f = 0; f < fields; f++) {
            if (end - p < 4) {
                throw new DataException("bad binary copy data: truncated row");
            }
            int len = Codec.getInt(b, p);
            p += 4;
            if (len < 0) {
                continue;
            }
            if (end - p < len) {
                throw new DataException("bad binary copy data: truncated row");
            }
            row[f] = pinned == null ? Arrays.copyOfRange(b, p, p + len) : pinned[f].loadBinary(b, p, len, ctx);
            p += len;
        }
        return row;
    }

    private void checkArity(int fields) {
        if (pinned != null && pinned.length != fields) {
            throw new ProgrammingException("cannot load sequence of " + fields + " items: " + pinned.length
                    + " loaders registered");
        }
    }
}
