package io.pqbridge.adapt;

import io.pqbridge.DataException;
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

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        long hi = 0;
        long lo = 0;
        int digits = 0;
        for (int p = offset; p < offset + length; p++) {
            byte c = data[p];
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else if (c == '-' || c == '{' || c == '}') {
                continue;
            } else {
                digits = -1;
                break;
            }
            if (digits < 16) {
                hi = hi << 4 | d;
            } else {
                lo = lo << 4 | d;
            }
            digits++;
        }
        if (digits != 32) {
            throw new DataException("bad uuid value: '" + ascii(data, offset, length) + "'");
        }
        return new UUID(hi, lo);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 16) {
            throw badBinary(length, "16");
        }
        return new UUID(getLong(data, offset), getLong(data, offset + 8));
    }
}
