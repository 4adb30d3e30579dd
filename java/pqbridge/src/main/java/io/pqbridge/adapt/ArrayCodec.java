package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PostgreSQL arrays ↔ {@link List} (loaded as nested {@link ArrayList}s, NULL elements as null);
 * dumping takes Lists and Java arrays ({@link ArrayLike}), nested for several dimensions.
 *
 * <p>Text form: {@code {1,2,NULL}}, {@code {{1,2},{3,4}}}; an element is double-quoted when it is
 * empty, is {@code NULL} in any case, or holds a brace, comma, double quote, backslash or white
 * space, with {@code "} and {@code \} backslash-escaped (PostgreSQL's array_out rules, as psycopg
 * writes them). Reading follows {@code array_in} ({@link ArrayLiteral}); a dimension prefix such as
 * {@code [0:1]=} is checked, its lower bounds kept in a binary-wire conversion and dropped from a List.
 *
 * <p>Binary form: int32 ndim, int32 has-nulls flag, int32 element OID, ndim × (int32 size, int32
 * lower bound 1), then each element as int32 length (-1 for NULL) and its binary form. A nested
 * List must be rectangular ("nested lists have inconsistent lengths/depths") and an inner list
 * cannot be empty, as in psycopg; at most 6 dimensions (PostgreSQL's limit).
 *
 * <p>One instance per element codec. The array of an unknown element type (an empty list, a list
 * of nulls, a list of Strings) is sent like psycopg sends it: as text of type {@code unknown} (the
 * server infers the array type), or as {@code text[]} in binary.
 */
final class ArrayCodec extends Codec {

    private static final int MAX_DIMENSIONS = ArrayLiteral.MAX_DIMENSIONS;
    private static final Map<Codec, ArrayCodec> BY_ELEMENT = new ConcurrentHashMap<>();

    final Codec element;

    private ArrayCodec(Codec element, int arrayOid) {
        super(arrayOid);
        this.element = element;
    }

    /** The array codec of an element codec; its OID is the element type's array OID (text[] if none). */
    static ArrayCodec of(Codec element) {
        return BY_ELEMENT.computeIfAbsent(element, e -> {
            int arrayOid = PgTypes.arrayOid(e.oid);
            return new ArrayCodec(e, arrayOid == 0 ? PgTypes.TEXT_ARRAY : arrayOid);
        });
    }

    /** The array codec of a registered element codec (made per session, so not cached here). */
    static ArrayCodec registered(Codec element, int arrayOid) {
        return new ArrayCodec(element, arrayOid);
    }

    /** Text, as psycopg sends lists, unless the elements' registered dumper writes only binary. */
    @Override
    int autoFormat() {
        return element instanceof RegisteredCodec && element.autoFormat() == BINARY ? BINARY : TEXT;
    }

    @Override
    int paramOid(int format) {
        return format == TEXT && element.paramOid(TEXT) == 0 ? 0 : oid;
    }

    @Override
    String typeName() {
        String name = PgTypes.name(oid);
        return name == null ? element.typeName() + "[]" : name;
    }

    private Object array(Object v) {
        if (!ArrayLike.is(v)) {
            throw cannotDump(v, "a List or a Java array");
        }
        return ArrayLike.indexable(v);
    }

    // ---------------------------------------------------------------- text

    @Override
    void text(Object v, ByteSink out) {
        writeText(array(v), out, 1);
    }

    private void writeText(Object array, ByteSink out, int depth) {
        if (depth > MAX_DIMENSIONS) {
            throw tooDeep();
        }
        out.put('{');
        int n = ArrayLike.length(array);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.put(',');
            }
            Object e = ArrayLike.get(array, i);
            if (e == null) {
                out.putAscii("NULL");
            } else if (ArrayLike.is(e)) {
                writeText(ArrayLike.indexable(e), out, depth + 1);
            } else {
                int start = out.size();
                element.dumpText(e, out);
                quoteIfNeeded(out, start);
            }
        }
        out.put('}');
    }

    private static DataException tooDeep() {
        return new DataException("cannot dump a list nested more than " + MAX_DIMENSIONS
                + " levels deep (PostgreSQL's limit of array dimensions); is the list recursive?");
    }

    /** Quotes and escapes, in place, the element text written from {@code start}. */
    private static void quoteIfNeeded(ByteSink out, int start) {
        int end = out.size();
        int length = end - start;
        boolean quote = length == 0 || (length == 4 && isNullWord(out, start));
        int escapes = 0;
        for (int i = start; i < end; i++) {
            byte b = out.get(i);
            if (b == '"' || b == '\\') {
                escapes++;
                quote = true;
            } else if (b == '{' || b == '}' || b == ',' || b == ' ' || (b >= 0x09 && b <= 0x0D)) {
                quote = true;
            }
        }
        if (!quote) {
            return;
        }
        out.openGap(start, 1 + escapes);
        byte[] buf = out.array();
        // The text now sits at start + 1 + escapes; move it left to start + 1, escaping as we go.
        // A byte's destination is never right of its source, so one forward pass is safe.
        int w = start + 1;
        for (int r = start + 1 + escapes; r < end + 1 + escapes; r++) {
            byte b = buf[r];
            if (b == '"' || b == '\\') {
                buf[w++] = '\\';
            }
            buf[w++] = b;
        }
        buf[start] = '"';
        out.put('"');
    }

    private static boolean isNullWord(ByteSink out, int start) {
        return (out.get(start) | 0x20) == 'n' && (out.get(start + 1) | 0x20) == 'u'
                && (out.get(start + 2) | 0x20) == 'l' && (out.get(start + 3) | 0x20) == 'l';
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        return ArrayLiteral.parse(data, offset, length, (d, o, l) -> element.loadText(d, o, l, ctx)).values();
    }

    /**
     * Each element goes through its own codec's {@link Codec#transcode}, not through a Java value,
     * so an element keeps everything its text says (an interval's months); the lower bounds of a
     * dimension prefix go into the binary header, as the server keeps them.
     */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        ByteSink encoded = new ByteSink(64);
        ArrayLiteral literal = ArrayLiteral.parse(data, offset, length, (d, o, l) -> {
            encoded.clear();
            element.transcode(d, o, l, ctx, encoded);
            return new Encoded(encoded.toByteArray(0));
        });
        writeBinary(literal.values(), literal.lowerBounds(), out);
    }

    @Override
    boolean transcodes() {
        return element.transcodes();
    }

    /** An element already in its binary form (made by {@link #transcode}), written as it is. */
    private record Encoded(byte[] bytes) {
    }

    // ---------------------------------------------------------------- binary

    @Override
    void binary(Object v, ByteSink out) {
        writeBinary(array(v), new int[0], out);
    }

    /** The binary form with these lower bounds (none given: all 1). */
    private void writeBinary(Object array, int[] lowerBounds, ByteSink out) {
        int[] dims = dimensions(array);
        int header = out.size();
        out.putInt(dims.length);
        out.putInt(0);   // has-nulls flag, patched below
        out.putInt(element.oid);
        for (int d = 0; d < dims.length; d++) {
            out.putInt(dims[d]);
            out.putInt(d < lowerBounds.length ? lowerBounds[d] : 1);
        }
        if (dims.length > 0 && writeBinary(array, dims, 0, out)) {
            out.setInt(header + 4, 1);
        }
    }

    /** The sizes along the first elements; ndim 0 for an empty top-level list. */
    private static int[] dimensions(Object array) {
        int[] dims = new int[MAX_DIMENSIONS];
        int ndim = 0;
        Object level = array;
        for (;;) {
            int n = ArrayLike.length(level);
            if (n == 0) {
                if (ndim > 0) {
                    throw new DataException("lists cannot contain empty lists");
                }
                return new int[0];
            }
            if (ndim == MAX_DIMENSIONS) {
                throw tooDeep();
            }
            dims[ndim++] = n;
            Object first = ArrayLike.get(level, 0);
            if (!ArrayLike.is(first)) {
                return java.util.Arrays.copyOf(dims, ndim);
            }
            level = ArrayLike.indexable(first);
        }
    }

    /** Writes the elements of one level; true when a NULL element was written. */
    private boolean writeBinary(Object array, int[] dims, int dim, ByteSink out) {
        int n = ArrayLike.length(array);
        if (n != dims[dim]) {
            throw new DataException("nested lists have inconsistent lengths");
        }
        boolean nulls = false;
        boolean last = dim == dims.length - 1;
        for (int i = 0; i < n; i++) {
            Object e = ArrayLike.get(array, i);
            if (!last) {
                if (!ArrayLike.is(e)) {
                    throw new DataException("nested lists have inconsistent depths");
                }
                nulls |= writeBinary(ArrayLike.indexable(e), dims, dim + 1, out);
            } else if (e == null) {
                out.putInt(-1);
                nulls = true;
            } else if (ArrayLike.is(e)) {
                throw new DataException("nested lists have inconsistent depths");
            } else {
                int slot = out.size();
                out.putInt(0);
                if (e instanceof Encoded encoded) {
                    out.put(encoded.bytes());
                } else {
                    element.dumpBinary(e, out);
                }
                out.setInt(slot, out.size() - slot - 4);
            }
        }
        return nulls;
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length < 12) {
            throw badBinary(length, "at least 12");
        }
        int ndim = getInt(data, offset);
        int elementOid = getInt(data, offset + 8);
        if (ndim < 0 || ndim > MAX_DIMENSIONS || length < 12 + 8 * ndim) {
            throw new DataException("bad binary array: " + ndim + " dimensions in " + length + " bytes");
        }
        if (ndim == 0) {
            return new ArrayList<>();
        }
        int[] dims = new int[ndim];
        for (int d = 0; d < ndim; d++) {
            dims[d] = getInt(data, offset + 12 + 8 * d);
        }
        Codec codec = element.oid == elementOid ? element : Codecs.forOid(elementOid, ctx);
        int[] pos = {offset + 12 + 8 * ndim};
        return readBinary(data, offset + length, dims, 0, pos, codec, ctx);
    }

    private static List<Object> readBinary(byte[] data, int end, int[] dims, int dim, int[] pos, Codec codec,
            AdaptContext ctx) {
        List<Object> out = new ArrayList<>(dims[dim]);
        for (int i = 0; i < dims[dim]; i++) {
            if (dim < dims.length - 1) {
                out.add(readBinary(data, end, dims, dim + 1, pos, codec, ctx));
                continue;
            }
            if (pos[0] + 4 > end) {
                throw new DataException("bad binary array: truncated");
            }
            int len = getInt(data, pos[0]);
            pos[0] += 4;
            if (len < 0) {
                out.add(null);
                continue;
            }
            if (pos[0] + len > end) {
                throw new DataException("bad binary array: truncated");
            }
            out.add(codec.loadBinary(data, pos[0], len, ctx));
            pos[0] += len;
        }
        return out;
    }
}
