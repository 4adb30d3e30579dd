package io.pqbridge;

import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.ConninfoSecrets;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConninfoOption;
import io.pqbridge.pq.Pq;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connection strings built from parts and taken apart again (psycopg's {@code conninfo} module:
 * {@code make_conninfo}, {@code conninfo_to_dict}), so that no caller quotes values by hand.
 *
 * <p>A value is written as libpq reads it: backslashes and single quotes escaped with a
 * backslash, the whole value in single quotes when it holds white space, {@code ''} when empty.
 * Every string built is parsed back by the JVM's backend ({@code PQconninfoParse}) before it is
 * returned, so an unknown keyword fails here, with libpq's message, not at connect time.
 */
public final class Conninfo {

    private Conninfo() {
    }

    /**
     * {@code conninfo} with {@code params} set in it (psycopg's {@code make_conninfo}): the string's
     * options, in libpq's order, then the parameters' new keywords in their order; a parameter
     * overrides the string's value, and a null one is left out. Without parameters the string is
     * returned as it is, once checked.
     *
     * @param conninfo a connection string ({@code key=value} or URI); may be empty
     * @param params keywords and values, written with {@link String#valueOf}; may be empty
     * @return the connection string, in {@code key=value} form when parameters were given
     * @throws ProgrammingException when the string or a keyword is invalid, with libpq's message
     */
    public static String makeConninfo(String conninfo, Map<String, ?> params) {
        String base = conninfo == null ? "" : conninfo;
        if (params.values().stream().allMatch(v -> v == null)) {
            parse(base, Pq.backend());
            return base;
        }
        Map<String, Object> merged = new LinkedHashMap<>(base.isEmpty() ? Map.of() : conninfoToDict(base));
        params.forEach((keyword, value) -> {
            if (value != null) {
                merged.put(keyword, value);
            }
        });
        StringBuilder text = new StringBuilder();
        merged.forEach((keyword, value) -> {
            text.append(text.length() == 0 ? "" : " ").append(keyword).append('=').append(quoted(String.valueOf(value)));
        });
        String built = text.toString();
        parse(built, Pq.backend());
        return built;
    }

    /** {@link #makeConninfo(String, Map)} from parameters alone. */
    public static String makeConninfo(Map<String, ?> params) {
        return makeConninfo("", params);
    }

    /**
     * The options a connection string sets, in libpq's order (psycopg's {@code conninfo_to_dict});
     * defaults from the environment are not added.
     *
     * @throws ProgrammingException when the string is invalid, with libpq's message
     */
    public static Map<String, String> conninfoToDict(String conninfo) {
        Map<String, String> options = new LinkedHashMap<>();
        for (PgConninfoOption option : parse(conninfo == null ? "" : conninfo, Pq.backend())) {
            if (option.value() != null) {
                options.put(option.keyword(), option.value());
            }
        }
        return Collections.unmodifiableMap(options);
    }

    /** psycopg's {@code _param_escape}: a value as a connection string must carry it. */
    static String quoted(String value) {
        if (value.isEmpty()) {
            return "''";
        }
        StringBuilder escaped = new StringBuilder(value.length() + 2);
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\'') {
                escaped.append('\\');
            }
            space |= Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
            escaped.append(c);
        }
        return space ? "'" + escaped + "'" : escaped.toString();
    }

    private static List<PgConninfoOption> parse(String conninfo, PgBackend backend) {
        if (conninfo.indexOf('\0') >= 0) {
            throw new ProgrammingException("the connection string contains a NUL character, which libpq cannot"
                    + " carry; remove it");
        }
        try {
            return backend.conninfoParse(conninfo);
        } catch (IllegalArgumentException e) {
            throw new ProgrammingException(ConninfoSecrets.mask(e.getMessage().strip(), conninfo));
        }
    }
}
