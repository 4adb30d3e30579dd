package io.pqbridge.pq.wire.message.frontend;

/**
 * Bind ('B'), as libpq sends it: portal and statement names; the parameter format codes (none
 * when no formats were given, else one per parameter); the values (length -1 for NULL); and
 * exactly one result format code that applies to every column.
 *
 * <p>A text parameter ends at its first zero byte, as libpq measures it with {@code strlen}; a
 * binary parameter is sent whole.
 */
public final class Bind {

    public static final byte TYPE = 'B';

    private Bind() {
    }

    public static void encode(OutputBuffer out, String portal, String statement, byte[][] values, int[] formats,
            int resultFormat) {
        int count = values == null ? 0 : values.length;
        int at = out.begin(TYPE);
        out.cstring(portal).cstring(statement);
        if (count > 0 && formats != null) {
            out.int16(count);
            for (int i = 0; i < count; i++) {
                out.int16(format(formats, i));
            }
        } else {
            out.int16(0);
        }
        out.int16(count);
        for (int i = 0; i < count; i++) {
            byte[] value = values[i];
            if (value == null) {
                out.int32(-1);
            } else {
                int length = format(formats, i) != 0 ? value.length : textLength(value);
                out.int32(length).bytes(value, 0, length);
            }
        }
        out.int16(1).int16(resultFormat);
        out.end(at);
    }

    private static int format(int[] formats, int i) {
        return formats == null || i >= formats.length ? 0 : formats[i];
    }

    private static int textLength(byte[] value) {
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                return i;
            }
        }
        return value.length;
    }
}
