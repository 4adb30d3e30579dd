package io.pqbridge.adapt;

/**
 * The textual types ({@code text}, {@code varchar}, {@code bpchar}, {@code name}, {@code "char"},
 * {@code unknown}) ↔ {@link String}, UTF-8 in both formats; dumping also takes a {@link Character}.
 * A NUL character is refused with psycopg's DataError message: PostgreSQL text cannot hold it.
 *
 * <p>{@link #STRING} is the codec of an unpinned Java String: sent as a text parameter of type
 * {@code unknown} (OID 0) so the server infers the type from the context, as psycopg does, and as
 * {@code text} when binary is asked for.
 */
final class TextCodec extends Codec {

    static final TextCodec STRING = new TextCodec(PgTypes.TEXT, true);
    static final TextCodec TEXT_TYPE = new TextCodec(PgTypes.TEXT, false);
    static final TextCodec VARCHAR = new TextCodec(PgTypes.VARCHAR, false);
    static final TextCodec BPCHAR = new TextCodec(PgTypes.BPCHAR, false);
    static final TextCodec NAME = new TextCodec(PgTypes.NAME, false);
    static final TextCodec CHAR = new TextCodec(PgTypes.CHAR, false);
    static final TextCodec UNKNOWN = new TextCodec(PgTypes.UNKNOWN, false);

    private final boolean unknownAsText;

    private TextCodec(int oid, boolean unknownAsText) {
        super(oid);
        this.unknownAsText = unknownAsText;
    }

    @Override
    int autoFormat() {
        return TEXT;
    }

    @Override
    int paramOid(int format) {
        return unknownAsText && format == TEXT ? 0 : oid;
    }

    @Override
    boolean acceptsStrings() {
        return true;
    }

    private static CharSequence value(Codec codec, Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Character c) {
            return String.valueOf(c);
        }
        throw codec.cannotDump(v, "a String");
    }

    @Override
    void text(Object v, ByteSink out) {
        out.putUtf8(value(this, v), true);
    }

    @Override
    void binary(Object v, ByteSink out) {
        out.putUtf8(value(this, v), true);
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        return utf8(data, offset, length);
    }

    /**
     * The binary form of a string type is its text: the bytes pass as they are (the server checks
     * the encoding), except where the type's text input function changes them and its binary one
     * does not: {@code name} is cut to 63 bytes on a character boundary ({@code namein}; its binary
     * input refuses a longer one), and {@code "char"} is one byte ({@code charin}: {@code \ooo}
     * in octal, else the first byte, or 0 for an empty text).
     */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        if (oid == PgTypes.NAME && length > NAME_MAX_BYTES) {
            int cut = NAME_MAX_BYTES;
            while (cut > 0 && (data[offset + cut] & 0xC0) == 0x80) {
                cut--; // do not split a UTF-8 character
            }
            out.put(data, offset, cut);
        } else if (oid == PgTypes.CHAR) {
            out.put(charByte(data, offset, length));
        } else {
            out.put(data, offset, length);
        }
    }

    /** NAMEDATALEN - 1: the longest {@code name}, in bytes. */
    private static final int NAME_MAX_BYTES = 63;

    private static int charByte(byte[] data, int offset, int length) {
        if (length == 4 && data[offset] == '\\' && isOctal(data[offset + 1]) && isOctal(data[offset + 2])
                && isOctal(data[offset + 3])) {
            return ((data[offset + 1] - '0') << 6) + ((data[offset + 2] - '0') << 3) + (data[offset + 3] - '0');
        }
        return length == 0 ? 0 : data[offset];
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        return utf8(data, offset, length);
    }
}
