package io.pqbridge.adapt;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A type pqbridge has no codec for (inet, point, an enum, a domain...): loaded as the
 * {@link String} of its text form, or as the raw {@code byte[]} of its binary form (psycopg loads
 * unknown binary values as bytes too). When such a type is pinned for COPY IN, a text value is the
 * value's own text form (a String passes as it is), and a binary value must be given as the
 * {@code byte[]} of the type's binary form.
 */
final class UnknownCodec extends Codec {

    private static final Map<Integer, UnknownCodec> BY_OID = new ConcurrentHashMap<>();

    private UnknownCodec(int oid) {
        super(oid);
    }

    static UnknownCodec of(int oid) {
        return BY_OID.computeIfAbsent(oid, UnknownCodec::new);
    }

    @Override
    int autoFormat() {
        return TEXT;
    }

    @Override
    void text(Object v, ByteSink out) {
        Codecs.forValue(v).dumpText(v, out);
    }

    @Override
    void binary(Object v, ByteSink out) {
        if (v instanceof byte[] b) {
            out.put(b);
            return;
        }
        throw new io.pqbridge.errors.ProgrammingException("cannot dump " + v.getClass().getName() + " as " + typeName()
                + " in binary: pqbridge has no binary encoder for this type; pass its binary form as byte[]"
                + " or use the text format");
    }

    /** Without a codec there is no way from the text form to the binary one. */
    @Override
    boolean transcodes() {
        return false;
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        return utf8(data, offset, length);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        return Arrays.copyOfRange(data, offset, offset + length);
    }
}
