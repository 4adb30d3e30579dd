package io.pqbridge.adapt;

import io.pqbridge.DataException;

/** {@code bool} ↔ {@link Boolean}: text {@code t}/{@code f}, binary one byte, literal {@code true}/{@code false}. */
final class BoolCodec extends Codec {

    static final BoolCodec BOOL = new BoolCodec();

    private BoolCodec() {
        super(PgTypes.BOOL);
    }

    @Override
    boolean plainText() {
        return true;
    }

    private boolean value(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw cannotDump(v, "Boolean");
    }

    @Override
    void text(Object v, ByteSink out) {
        out.put(value(v) ? 't' : 'f');
    }

    @Override
    void binary(Object v, ByteSink out) {
        out.put(value(v) ? 1 : 0);
    }

    @Override
    void literal(Object v, ByteSink out, AdaptContext ctx) {
        out.putAscii(value(v) ? "true" : "false");
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length == 1 && (data[offset] == 't' || data[offset] == 'f')) {
            return data[offset] == 't';
        }
        throw new DataException("bad bool value: '" + ascii(data, offset, length) + "'");
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 1) {
            throw badBinary(length, "1");
        }
        return data[offset] != 0;
    }
}
