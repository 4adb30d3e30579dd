package io.pqbridge.types;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.ProgrammingException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code hstore} extension's type as {@code Map<String, String>} (psycopg's
 * {@code register_hstore}): its OID differs from database to database, so it is registered after a
 * lookup, {@code Hstore.register(TypeInfos.fetch(conn, "hstore"), conn.adapters())}. Then a
 * {@code Map} is written as hstore (keys and values Strings, a value null for NULL) and hstore
 * values load as {@code LinkedHashMap}s in the server's order, in text and binary, COPY and
 * arrays.
 *
 * <p>Text: {@code "key"=>"value", "k2"=>NULL}, each key and value double-quoted with {@code "} and
 * {@code \} escaped by a backslash, as {@code hstore_out} writes it. Binary: the number of pairs,
 * then for each the key's length and bytes and the value's length (-1 for NULL) and bytes, as
 * {@code hstore_send} writes it.
 */
public final class Hstore {

    private Hstore() {
    }

    /**
     * Registers hstore in {@code adapters}: a dumper for {@code Map} (every map is then written as
     * hstore) and loaders for the type, and the type itself (its name for {@code setTypes}, arrays).
     *
     * @param info the hstore type of the database, from {@code TypeInfos.fetch(conn, "hstore")}
     * @param adapters where to register: a connection's, or the global map
     * @throws NullPointerException when {@code info} is null (the extension is not installed)
     */
    @SuppressWarnings("rawtypes")
    public static void register(TypeInfo info, AdaptersMap adapters) {
        Objects.requireNonNull(info, "info: is the hstore extension installed (CREATE EXTENSION hstore)?");
        int oid = info.oid();
        adapters.addType(info);
        adapters.registerDumper(Map.class, Dumper.<Map>of(oid, Format.BINARY, Hstore::binary));
        adapters.registerDumper(Map.class, Dumper.<Map>of(oid, Format.TEXT, Hstore::text)); // last: %s sends text
        adapters.registerLoader(oid, Format.TEXT, Hstore::parseText);
        adapters.registerLoader(oid, Format.BINARY, Hstore::parseBinary);
    }

    private static String string(Object o, String what) {
        if (o == null || o instanceof String) {
            return (String) o;
        }
        throw new ProgrammingException("cannot write a Map as hstore: its " + what + " " + o + " is a "
                + o.getClass().getName() + ", not a String");
    }

    private static byte[] text(Map<?, ?> map) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = string(e.getKey(), "key");
            if (key == null) {
                throw new ProgrammingException("cannot write a Map as hstore: a key is null");
            }
            String value = string(e.getValue(), "value");
            if (s.length() > 0) {
                s.append(", ");
            }
            quote(key, s);
            s.append("=>");
            if (value == null) {
                s.append("NULL");
            } else {
                quote(value, s);
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void quote(String v, StringBuilder s) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\0') {
                throw new DataException("hstore keys and values cannot contain NUL (0x00) characters");
            }
            if (c == '"' || c == '\\') {
                s.append('\\');
            }
            s.append(c);
        }
        s.append('"');
    }

    private static byte[] binary(Map<?, ?> map) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).putInt(map.size()).array());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = string(e.getKey(), "key");
            if (key == null) {
                throw new ProgrammingException("cannot write a Map as hstore: a key is null");
            }
            String value = string(e.getValue(), "value");
            for (String part : new String[] {key, value}) {
                if (part == null) {
                    out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
                    continue;
                }
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    /** hstore_out's form: {@code "k"=>"v", "k2"=>NULL}. */
    static Map<String, String> parseText(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        Map<String, String> out = new LinkedHashMap<>();
        int[] p = {0};
        skip(s, p);
        while (p[0] < s.length()) {
            String key = quoted(s, p);
            skip(s, p);
            if (!s.startsWith("=>", p[0])) {
                throw bad(s);
            }
            p[0] += 2;
            skip(s, p);
            String value;
            if (s.regionMatches(true, p[0], "NULL", 0, 4)) {
                value = null;
                p[0] += 4;
            } else {
                value = quoted(s, p);
            }
            out.put(key, value);
            skip(s, p);
            if (p[0] < s.length()) {
                if (s.charAt(p[0]) != ',') {
                    throw bad(s);
                }
                p[0]++;
                skip(s, p);
            }
        }
        return out;
    }

    private static String quoted(String s, int[] p) {
        if (p[0] >= s.length() || s.charAt(p[0]) != '"') {
            throw bad(s);
        }
        StringBuilder v = new StringBuilder();
        for (int i = p[0] + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                v.append(s.charAt(++i));
            } else if (c == '"') {
                p[0] = i + 1;
                return v.toString();
            } else {
                v.append(c);
            }
        }
        throw bad(s);
    }

    private static void skip(String s, int[] p) {
        while (p[0] < s.length() && Character.isWhitespace(s.charAt(p[0]))) {
            p[0]++;
        }
    }

    static Map<String, String> parseBinary(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        try {
            int n = b.getInt();
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String key = part(b);
                if (key == null) {
                    throw new DataException("bad binary hstore value: a null key");
                }
                out.put(key, part(b));
            }
            if (b.hasRemaining()) {
                throw new DataException("bad binary hstore value: " + b.remaining() + " bytes after the pairs");
            }
            return out;
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new DataException("bad binary hstore value: truncated");
        }
    }

    private static String part(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0) {
            return null;
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static DataException bad(String text) {
        return new DataException("bad hstore value: '" + text + "'");
    }
}
