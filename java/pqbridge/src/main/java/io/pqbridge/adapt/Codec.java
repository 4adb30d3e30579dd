package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.ProgrammingException;
import java.nio.charset.StandardCharsets;

/**
 * Converts the values of one PostgreSQL type (one OID) between Java and both wire formats: the
 * text format (the type's output/input functions, also used by text COPY and SQL literals) and the
 * binary format (send/receive functions, also used by binary COPY).
 *
 * <p>Dumping appends to a {@link ByteSink} and never allocates for fixed-size values. A codec
 * accepts the Java types listed in the package comment for its PostgreSQL type; anything else is a
 * {@link ProgrammingException} naming the value's class and the type, a value the type cannot hold
 * (out of range, NUL in text) a {@link DataException}. Loading reads {@code length} bytes at
 * {@code offset} and never keeps a reference to the array.
 *
 * <p>Codecs are stateless singletons (arrays: one per element codec), safe for any thread; what
 * depends on the session comes in as an {@link AdaptContext}.
 */
abstract class Codec {

    static final int TEXT = 0;
    static final int BINARY = 1;

    /** The type this codec produces and reads. */
    final int oid;
    /** {@link #typeName()}'s answer once asked (a String is safely published without a lock). */
    private String builtinName;

    Codec(int oid) {
        this.oid = oid;
    }

    /** The format a {@code %s} parameter of this type is sent in (psycopg's choice for the Java type). */
    int autoFormat() {
        return BINARY;
    }

    /** The OID sent with a parameter in {@code format}; 0 lets the server infer the type. */
    int paramOid(int format) {
        return oid;
    }

    /**
     * The type's name for a literal's cast and for messages. Looked up once per codec (loaders
     * pass it along with every value for a possible error): the built-in table and the OID never
     * change, so a race between two first calls only computes the same string twice.
     */
    String typeName() {
        String name = builtinName;
        if (name == null) {
            name = PgTypes.name(oid);
            name = name == null ? "oid " + oid : name;
            builtinName = name;
        }
        return name;
    }

    /**
     * Appends the text form. When the type is not textual and the value is a {@link String}, the
     * string is taken to be the text form already (the server will parse it), as psycopg's text
     * dumpers do with a string for a pinned type.
     */
    final void dumpText(Object value, ByteSink out) {
        if (value instanceof String s && !acceptsStrings()) {
            out.putUtf8(s, true);
        } else {
            text(value, out);
        }
    }

    /** Appends the binary form. */
    final void dumpBinary(Object value, ByteSink out) {
        binary(value, out);
    }

    /**
     * True when the text form of every value this codec makes (not a String passed through)
     * holds only printable ASCII without backslashes, so text COPY needs no escaping pass.
     */
    boolean plainText() {
        return false;
    }

    /** True for the textual types, whose own dumper handles strings. */
    boolean acceptsStrings() {
        return false;
    }

    abstract void text(Object value, ByteSink out);

    abstract void binary(Object value, ByteSink out);

    abstract Object loadText(byte[] data, int offset, int length, AdaptContext ctx);

    abstract Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx);

    /**
     * Appends the value as a SQL literal (psycopg's {@code as_literal}): by default the quoted
     * text form with a {@code ::type} cast; numbers and booleans override it with bare words.
     */
    void literal(Object value, ByteSink out, AdaptContext ctx) {
        ByteSink text = new ByteSink(32);
        dumpText(value, text);
        Literals.quote(text.array(), 0, text.size(), out);
        int castOid = paramOid(TEXT);
        if (castOid != 0 && castOid != PgTypes.TEXT) {
            out.putAscii("::");
            out.putAscii(castOid == oid ? typeName() : PgTypes.name(castOid));
        }
    }

    /**
     * Appends the binary form of the value whose text form is {@code data[offset, offset + length)}:
     * what the server would store had it read that text itself (for {@link BinaryRowTranscoder}).
     * The default loads the text and dumps the Java value, exact for the types whose Java value
     * keeps everything the text says; codecs whose Java value would lose something (interval
     * months, the range of a narrower integer) or that can skip the Java value override it.
     *
     * @throws DataException when the text is not a value of this type
     */
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        binary(loadText(data, offset, length, ctx), out);
    }

    /** True when {@link #transcode} can produce this type's binary form. */
    boolean transcodes() {
        return true;
    }

    final Object load(int format, byte[] data, int offset, int length, AdaptContext ctx) {
        return format == BINARY ? loadBinary(data, offset, length, ctx) : loadText(data, offset, length, ctx);
    }

    /** The error for a value of a Java type this codec cannot dump. */
    final ProgrammingException cannotDump(Object value, String expected) {
        return new ProgrammingException("cannot dump " + value.getClass().getName() + " as " + typeName()
                + ": expected " + expected);
    }

    /** The error for a binary value of the wrong size. */
    final DataException badBinary(int length, String expected) {
        return new DataException("bad binary " + typeName() + " value: " + length + " bytes, expected " + expected);
    }

    /** The value of an ASCII hex digit, -1 for any other byte. */
    static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static String ascii(byte[] data, int offset, int length) {
        return new String(data, offset, length, StandardCharsets.ISO_8859_1);
    }

    static String utf8(byte[] data, int offset, int length) {
        return new String(data, offset, length, StandardCharsets.UTF_8);
    }

    static int getShort(byte[] b, int p) {
        return (short) ((b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF));
    }

    static int getInt(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    static long getLong(byte[] b, int p) {
        return (long) getInt(b, p) << 32 | (getInt(b, p + 4) & 0xFFFFFFFFL);
    }

    /** The first index in {@code [start, end)} that is not a blank as the server's input functions skip them. */
    static int skipBlanks(byte[] data, int start, int end) {
        while (start < end && isBlank(data[start])) {
            start++;
        }
        return start;
    }

    /** The end of {@code [start, end)} without its trailing blanks. */
    static int trimBlanks(byte[] data, int start, int end) {
        while (end > start && isBlank(data[end - 1])) {
            end--;
        }
        return end;
    }

    /** Space and the C {@code isspace} controls (tab, newline, vertical tab, form feed, carriage return). */
    private static boolean isBlank(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** Parses an optionally signed decimal integer made only of ASCII digits, or fails. */
    static long parseLong(byte[] b, int offset, int length, String typeName) {
        int p = offset;
        int end = offset + length;
        boolean negative = false;
        if (p < end && (b[p] == '-' || b[p] == '+')) {
            negative = b[p] == '-';
            p++;
        }
        if (p == end) {
            throw new DataException("bad " + typeName + " value: '" + ascii(b, offset, length) + "'");
        }
        long v = 0;
        if (end - p <= 18) {
            // 18 digits cannot overflow: no range check per digit (the hot path of integer columns)
            for (; p < end; p++) {
                int d = b[p] - '0';
                if (d < 0 || d > 9) {
                    throw new DataException("bad " + typeName + " value: '" + ascii(b, offset, length) + "'");
                }
                v = v * 10 + d;
            }
            return negative ? -v : v;
        }
        for (; p < end; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                throw new DataException("bad " + typeName + " value: '" + ascii(b, offset, length) + "'");
            }
            // accumulate negatively so Long.MIN_VALUE parses
            if (v < (Long.MIN_VALUE + d) / 10) {
                throw new DataException(typeName + " value out of range: '" + ascii(b, offset, length) + "'");
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                throw new DataException(typeName + " value out of range: '" + ascii(b, offset, length) + "'");
            }
            v = -v;
        }
        return v;
    }
}
