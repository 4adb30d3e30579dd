package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;

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

    /**
     * Reads every spelling the server's {@code boolin} reads: {@code true}/{@code false},
     * {@code yes}/{@code no}, {@code on}/{@code off}, {@code 1}/{@code 0}, any unique prefix of the
     * words ({@code t}, {@code f}, {@code y}, {@code n}, but at least {@code on}/{@code of}), in any
     * case, blanks around allowed.
     */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        String word = ascii(data, offset, length).strip().toLowerCase(java.util.Locale.ROOT);
        Boolean value = null;
        if (!word.isEmpty()) {
            if ("true".startsWith(word) || "yes".startsWith(word) || word.equals("1")
                    || (word.length() >= 2 && "on".startsWith(word))) {
                value = true;
            } else if ("false".startsWith(word) || "no".startsWith(word) || word.equals("0")
                    || (word.length() >= 2 && "off".startsWith(word))) {
                value = false;
            }
        }
        if (value == null) {
            throw new DataException("invalid input syntax for type boolean: \"" + utf8(data, offset, length) + "\"");
        }
        out.put(value ? 1 : 0);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 1) {
            throw badBinary(length, "1");
        }
        return data[offset] != 0;
    }
}
