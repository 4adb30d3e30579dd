package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.types.Json;
import io.pqbridge.types.Jsonb;

/**
 * {@code json} ↔ {@link Json}, {@code jsonb} ↔ {@link Jsonb}, the JSON kept as text. Dumping takes
 * either wrapper or a String holding JSON (for a pinned json/jsonb column). Binary jsonb is a
 * version byte (1) followed by the text; binary json is the text. Sent as text parameters, as
 * psycopg does.
 */
final class JsonCodec extends Codec {

    static final JsonCodec JSON = new JsonCodec(PgTypes.JSON);
    static final JsonCodec JSONB = new JsonCodec(PgTypes.JSONB);

    private JsonCodec(int oid) {
        super(oid);
    }

    @Override
    int autoFormat() {
        return TEXT;
    }

    @Override
    boolean acceptsStrings() {
        return true;
    }

    private String value(Object v) {
        if (v instanceof Jsonb j) {
            return j.value();
        }
        if (v instanceof Json j) {
            return j.value();
        }
        if (v instanceof String s) {
            return s;
        }
        throw cannotDump(v, "io.pqbridge.types.Json, io.pqbridge.types.Jsonb or a String of JSON");
    }

    @Override
    void text(Object v, ByteSink out) {
        out.putUtf8(value(v), true);
    }

    @Override
    void binary(Object v, ByteSink out) {
        String s = value(v);
        if (oid == PgTypes.JSONB) {
            out.put(1);
        }
        out.putUtf8(s, true);
    }

    private Object wrap(String s) {
        return oid == PgTypes.JSONB ? new Jsonb(s) : new Json(s);
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        return wrap(utf8(data, offset, length));
    }

    /** The JSON text passes as it is, after jsonb's version byte (the server parses it). */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        if (oid == PgTypes.JSONB) {
            out.put(1);
        }
        out.put(data, offset, length);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (oid == PgTypes.JSONB) {
            if (length == 0 || data[offset] != 1) {
                throw new DataException("unknown jsonb binary format: " + (length == 0 ? "empty" : data[offset]));
            }
            return wrap(utf8(data, offset + 1, length - 1));
        }
        return wrap(utf8(data, offset, length));
    }
}
