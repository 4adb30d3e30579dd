package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.util.ArrayList;
import java.util.List;

/**
 * A composite type's two wire forms, the fields converted by their types' codecs for the
 * session. Text as {@code record_out}: {@code (f1,f2,...)}, a NULL field empty, a field
 * double-quoted when it is empty or holds a quote, a backslash, a parenthesis, a comma or white
 * space, with {@code "} and {@code \} doubled inside. Binary as {@code record_send}: the number
 * of fields, then per field its type OID, its length (-1 for NULL) and its binary form.
 */
public final class CompositeFormat {

    private CompositeFormat() {
    }

    /**
     * {@return the text form of a value whose fields are {@code values}}
     *
     * @param values the fields' values in order, null for NULL
     * @param oids the fields' type OIDs
     * @param ctx the session
     */
    public static byte[] dumpText(Object[] values, int[] oids, AdaptContext ctx) {
        ByteSink out = new ByteSink(64);
        out.put('(');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.put(',');
            }
            if (values[i] == null) {
                continue;
            }
            ByteSink field = new ByteSink(32);
            Codecs.forOid(oids[i], ctx).dumpText(values[i], field);
            byte[] b = field.array();
            int n = field.size();
            boolean quote = n == 0;
            for (int j = 0; j < n && !quote; j++) {
                byte c = b[j];
                quote = c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' || c == ' ' || (c >= '\t' && c <= '\r');
            }
            if (quote) {
                out.put('"');
            }
            for (int j = 0; j < n; j++) {
                if (b[j] == '"' || b[j] == '\\') {
                    out.put(b[j]);
                }
                out.put(b[j]);
            }
            if (quote) {
                out.put('"');
            }
        }
        out.put(')');
        return java.util.Arrays.copyOf(out.array(), out.size());
    }

    /**
     * {@return the fields of a value in text form, each loaded by its type}
     *
     * @param data the text form
     * @param oids the fields' type OIDs
     * @param ctx the session
     * @throws DataException for a malformed value or another number of fields
     */
    public static Object[] loadText(byte[] data, int[] oids, AdaptContext ctx) {
        int end = Codec.trimBlanks(data, 0, data.length);
        int p = Codec.skipBlanks(data, 0, end);
        if (p >= end || data[p] != '(' || data[end - 1] != ')') {
            throw bad(data);
        }
        p++;
        end--;
        List<Object> fields = new ArrayList<>();
        for (;;) {
            ByteSink field = new ByteSink(32);
            boolean any = false;
            boolean quoted = false;
            while (p < end && (quoted || data[p] != ',')) {
                byte c = data[p];
                if (c == '\\' && p + 1 < end) {
                    field.put(data[++p]);
                } else if (c == '"') {
                    if (quoted && p + 1 < end && data[p + 1] == '"') {
                        field.put('"');
                        p++;
                    } else {
                        quoted = !quoted;
                    }
                } else {
                    field.put(c);
                }
                any = true;
                p++;
            }
            if (quoted) {
                throw bad(data);
            }
            int i = fields.size();
            if (i >= oids.length) {
                throw new DataException("a composite value with more fields than its type's " + oids.length + ": '"
                        + Codec.utf8(data, 0, data.length) + "'");
            }
            fields.add(any ? Codecs.forOid(oids[i], ctx).loadText(field.array(), 0, field.size(), ctx) : null);
            if (p >= end) {
                break;
            }
            p++; // the comma
        }
        if (fields.size() != oids.length) {
            throw new DataException("a composite value with " + fields.size() + " fields, its type has " + oids.length);
        }
        return fields.toArray();
    }

    /**
     * {@return the binary form of a value whose fields are {@code values}}
     *
     * @param values the fields' values in order, null for NULL
     * @param oids the fields' type OIDs
     * @param ctx the session
     */
    public static byte[] dumpBinary(Object[] values, int[] oids, AdaptContext ctx) {
        ByteSink out = new ByteSink(64);
        out.putInt(values.length);
        for (int i = 0; i < values.length; i++) {
            out.putInt(oids[i]);
            if (values[i] == null) {
                out.putInt(-1);
                continue;
            }
            int at = out.size();
            out.putInt(0);
            Codecs.forOid(oids[i], ctx).dumpBinary(values[i], out);
            out.setInt(at, out.size() - at - 4);
        }
        return java.util.Arrays.copyOf(out.array(), out.size());
    }

    /**
     * {@return the fields of a value in binary form, each loaded by its type}
     *
     * @param data the binary form
     * @param oids the fields' type OIDs
     * @param ctx the session
     * @throws DataException for a truncated value or another number of fields
     */
    public static Object[] loadBinary(byte[] data, int[] oids, AdaptContext ctx) {
        if (data.length < 4 || Codec.getInt(data, 0) != oids.length) {
            throw new DataException("a binary composite value with " + (data.length < 4 ? "no" : Codec.getInt(data, 0))
                    + " fields, its type has " + oids.length);
        }
        Object[] fields = new Object[oids.length];
        int p = 4;
        for (int i = 0; i < oids.length; i++) {
            if (p + 8 > data.length) {
                throw new DataException("bad binary composite value: truncated");
            }
            int oid = Codec.getInt(data, p);
            int len = Codec.getInt(data, p + 4);
            p += 8;
            if (len < 0) {
                continue;
            }
            if (p + len > data.length) {
                throw new DataException("bad binary composite value: truncated");
            }
            fields[i] = Codecs.forOid(oid, ctx).loadBinary(data, p, len, ctx);
            p += len;
        }
        return fields;
    }

    private static DataException bad(byte[] data) {
        return new DataException("bad composite value: '" + Codec.utf8(data, 0, data.length) + "'");
    }
}
