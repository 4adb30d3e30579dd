package io.pqbridge.types;

import io.pqbridge.errors.DataException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * Plugs a JSON library into {@code json} and {@code jsonb} (psycopg's {@code set_json_loads} and
 * {@code set_json_dumps}). pqbridge parses no JSON itself: without a hook the values stay text in
 * {@link Json} and {@link Jsonb}. The hooks are registrations in an {@link AdaptersMap}, so they
 * hold for one connection or, in {@link AdaptersMap#global()}, for all.
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper();
 * JsonHooks.setJsonLoads(conn.adapters(), text -> mapper.readTree(text));          // wrap checked exceptions
 * JsonHooks.setJsonDumps(conn.adapters(), JsonNode.class, node -> node.toString());
 * }</pre>
 */
public final class JsonHooks {

    private static final int JSON = 114;
    private static final int JSONB = 3802;
    /** The version byte in front of binary jsonb. */
    private static final int JSONB_VERSION = 1;

    private JsonHooks() {
    }

    /**
     * Makes {@code json} and {@code jsonb} values load as what {@code loads} makes of their text,
     * in text and binary results, COPY {@code readRow} and arrays.
     *
     * @param adapters where to register: a connection's, or the global map
     * @param loads parses one JSON document; what it throws propagates to the caller of the fetch
     */
    public static void setJsonLoads(AdaptersMap adapters, Function<String, ?> loads) {
        Objects.requireNonNull(loads, "loads");
        Loader<Object> text = data -> loads.apply(new String(data, StandardCharsets.UTF_8));
        adapters.registerLoader(JSON, Format.TEXT, text);
        adapters.registerLoader(JSON, Format.BINARY, text);
        adapters.registerLoader(JSONB, Format.TEXT, text);
        adapters.registerLoader(JSONB, Format.BINARY, data -> {
            if (data.length == 0 || data[0] != JSONB_VERSION) {
                throw new DataException("unsupported binary jsonb version: " + (data.length == 0 ? "none" : data[0]));
            }
            return text.load(Arrays.copyOfRange(data, 1, data.length));
        });
    }

    /**
     * Makes values of {@code type} (and its subclasses) go as {@code jsonb}, written by
     * {@code dumps}: in parameters, COPY {@code writeRow} (text and binary) and literals. The
     * server validates the text.
     *
     * @param <T> the class of the JSON values, for example a library's tree node or a map
     * @param adapters where to register
     * @param type the class
     * @param dumps writes one value as JSON text
     */
    public static <T> void setJsonDumps(AdaptersMap adapters, Class<T> type, Function<? super T, String> dumps) {
        Objects.requireNonNull(dumps, "dumps");
        adapters.registerDumper(type, Dumper.<T>of(JSONB, Format.BINARY, value -> {
            byte[] text = dumps.apply(value).getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[text.length + 1];
            out[0] = JSONB_VERSION;
            System.arraycopy(text, 0, out, 1, text.length);
            return out;
        }));
        // registered last: a parameter goes as text, as psycopg sends JSON
        adapters.registerDumper(type, Dumper.<T>of(JSONB, Format.TEXT,
                value -> dumps.apply(value).getBytes(StandardCharsets.UTF_8)));
    }
}
