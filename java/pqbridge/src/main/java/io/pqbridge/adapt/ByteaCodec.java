package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.util.Arrays;

/**
 * {@code bytea} ↔ {@code byte[]}. Text form written in hex ({@code \x0102}); both of PostgreSQL's
 * output forms are read ({@code bytea_output} hex or escape). A literal is
 * {@code '\x0102'::bytea}, or {@code  E'\\x0102'::bytea} when the session has
 * {@code standard_conforming_strings} off (psycopg's quoting).
 */
final class ByteaCodec extends Codec {

    static final ByteaCodec BYTEA = new ByteaCodec();

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ByteaCodec() {
        super(PgTypes.BYTEA);
    }

    private byte[] value(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        throw cannotDump(v, "byte[]");
    }

    @Override
    void text(Object v, ByteSink out) {
        byte[] b = value(v);
        out.ensure(2 + 2 * b.length);
        out.put('\\');
        out.put('x');
        for (byte x : b) {
            out.put(HEX[(x >> 4) & 0xF]);
            out.put(HEX[x & 0xF]);
        }
    }

    @Override
    void binary(Object v, ByteSink out) {
        out.put(value(v));
    }

    @Override
    void literal(Object v, ByteSink out, AdaptContext ctx) {
        out.putAscii(ctx.standardConformingStrings() ? "'\\" : " E'\\\\");
        ByteSink hex = new ByteSink(2 + 2 * value(v).length);
        text(v, hex);
        out.put(hex.array(), 1, hex.size() - 1);
        out.putAscii("'::bytea");
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length >= 2 && data[offset] == '\\' && data[offset + 1] == 'x') {
            if (length % 2 != 0) {
                throw new DataException("bad bytea hex value: odd number of digits");
            }
            byte[] out = new byte[(length - 2) / 2];
            for (int i = 0, p = offset + 2; i < out.length; i++, p += 2) {
                out[i] = (byte) (hexDigit(data[p]) << 4 | hexDigit(data[p + 1]));
            }
            return out;
        }
        return unescape(data, offset, length);
    }

    private static int hexDigit(byte c) {
        int v = hexValue(c);
        if (v < 0) {
            throw new DataException("bad bytea hex digit: '" + (char) c + "'");
        }
        return v;
    }

    /** The escape output form: {@code \\} for a backslash, {@code \ooo} octal, other bytes as they are. */
    private static byte[] unescape(byte[] data, int offset, int length) {
        byte[] out = new byte[length];
        int n = 0;
        int end = offset + length;
        for (int p = offset; p < end; p++) {
            byte c = data[p];
            if (c != '\\') {
                out[n++] = c;
            } else if (p + 1 < end && data[p + 1] == '\\') {
                out[n++] = '\\';
                p++;
            } else if (p + 3 < end && data[p + 1] >= '0' && data[p + 1] <= '3' && isOctal(data[p + 2])
                    && isOctal(data[p + 3])) { // byteain: \000 to \377
                out[n++] = (byte) ((data[p + 1] - '0') << 6 | (data[p + 2] - '0') << 3 | (data[p + 3] - '0'));
                p += 3;
            } else {
                throw new DataException("bad bytea escape value at byte " + (p - offset));
            }
        }
        return n == length ? out : Arrays.copyOf(out, n);
    }

    private static boolean isOctal(byte c) {
        return c >= '0' && c <= '7';
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        return Arrays.copyOfRange(data, offset, offset + length);
    }
}
