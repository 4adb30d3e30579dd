package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.util.UUID;

/** {@code uuid} ↔ {@link UUID}: text in the canonical lower-case form, binary 16 bytes big-endian. */
final class UuidCodec extends Codec {

    static final UuidCodec UUID_TYPE = new UuidCodec();

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private UuidCodec() {
        super(PgTypes.UUID);
    }

    @Override
    boolean plainText() {
        return true;
    }

    private UUID value(Object v) {
        if (v instanceof UUID u) {
            return u;
        }
        throw cannotDump(v, "a java.util.UUID");
    }

    @Override
    void text(Object v, ByteSink out) {
        UUID u = value(v);
        out.ensure(36);
        hex(u.getMostSignificantBits() >>> 32, 8, out);
        out.put('-');
        hex(u.getMostSignificantBits() >>> 16, 4, out);
        out.put('-');
        hex(u.getMostSignificantBits(), 4, out);
        out.put('-');
        hex(u.getLeastSignificantBits() >>> 48, 4, out);
        out.put('-');
        hex(u.getLeastSignificantBits(), 12, out);
    }

    private static void hex(long bits, int digits, ByteSink out) {
        for (int i = digits - 1; i >= 0; i--) {
            out.put(HEX[(int) (bits >>> (4 * i)) & 0xF]);
        }
    }

    @Override
    void binary(Object v, ByteSink out) {
        UUID u = value(v);
        out.putLong(u.getMostSignificantBits());
        out.putLong(u.getLeastSignificantBits());
    }

    /**
     * uuid_in's spellings: 32 hex digits, optionally in one pair of braces, with a hyphen allowed
     * after any group of four digits (one at a time, not at the end).
     */
    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        int end = offset + length;
        int p = offset;
        boolean braces = p < end && data[p] == '{';
        if (braces) {
            p++;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 16; i++) {
            int d1 = p < end ? hexValue(data[p]) : -1;
            int d2 = p + 1 < end ? hexValue(data[p + 1]) : -1;
            if (d1 < 0 || d2 < 0) {
                throw bad(data, offset, length);
            }
            p += 2;
            if (i < 8) {
                hi = hi << 8 | d1 << 4 | d2;
            } else {
                lo = lo << 8 | d1 << 4 | d2;
            }
            if (p < end && data[p] == '-' && i % 2 == 1 && i < 15) {
                p++;
            }
        }
        if (braces) {
            if (p >= end || data[p] != '}') {
                throw bad(data, offset, length);
            }
            p++;
        }
        if (p != end) {
            throw bad(data, offset, length);
        }
        return new UUID(hi, lo);
    }

    private static DataException bad(byte[] data, int offset, int length) {
        return new DataException("bad uuid value: '" + ascii(data, offset, length) + "'");
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 16) {
            throw badBinary(length, "16");
        }
        return new UUID(getLong(data, offset), getLong(data, offset + 8));
    }
}
