package io.pqbridge.adapt;

import io.pqbridge.errors.ProgrammingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Queries with psycopg's placeholders, converted for the server.
 *
 * <ul>
 *   <li>{@link #bind} (server-side binding, psycopg's {@code PostgresQuery}): {@code %s} and
 *       {@code %(name)s} become {@code $1..$n} (a name used twice is one parameter), {@code %%}
 *       becomes {@code %}, and every value is encoded by its Java type: see {@link BoundQuery}.
 *       {@code %t} / {@code %b} ask for the text / binary format.</li>
 *   <li>{@link #merge} (client-side binding, psycopg's {@code PostgresClientQuery}, used for
 *       COPY statements, which take no parameters): every placeholder becomes the value's SQL
 *       literal ({@link #literal}).</li>
 * </ul>
 *
 * <p>Given null parameters, both return the query untouched: no {@code %} is interpreted, as in
 * psycopg. Given an empty list or map, the query is still converted. Java cannot tell
 * {@code execute(sql)} from {@code execute(sql, new Object[0])}; the facade treats both as "no
 * parameters".
 *
 * <p>Errors, all {@link ProgrammingException} with psycopg's messages: "the query has 1
 * placeholders but 2 parameters were passed", "positional and named placeholders cannot be
 * mixed", "query parameter missing: a, b", "only '%s', '%b', '%t' are allowed as placeholders, got
 * '%d'", "incomplete placeholder: ...", "named placeholders require a mapping of parameters",
 * "positional placeholders (%s) require a sequence of parameters", "placeholder 'x' cannot have
 * different formats"; and "cannot adapt type ..." for a value pqbridge cannot convert.
 *
 * <p>Stateless and thread-safe.
 */
public final class Queries {

    private Queries() {
    }

    /**
     * Server-side binding of positional parameters ({@code %s}, {@code %t}, {@code %b}).
     *
     * @param sql the query with psycopg's placeholders
     * @param params the values, one per placeholder, in order; null for none
     * @param ctx the session settings values are encoded for
     * @return the query with {@code $n} placeholders and the encoded values; the query untouched,
     *     without parameters, for null {@code params}
     * @throws ProgrammingException for a placeholder error or a value pqbridge cannot convert (see
     *     the class comment)
     */
    public static BoundQuery bind(String sql, List<?> params, AdaptContext ctx) {
        if (params == null) {
            return new BoundQuery(sql, new int[0], new byte[0][], new int[0]);
        }
        QueryTemplate t = QueryTemplate.parse(sql);
        checkSequence(t, params);
        return encode(t.positionalSql(), params, t.formats, ctx);
    }

    /**
     * Server-side binding of named parameters ({@code %(name)s}, {@code %(name)t},
     * {@code %(name)b}); a name used twice is one parameter.
     *
     * @param sql the query with psycopg's placeholders
     * @param params the values by name; null for none
     * @param ctx the session settings values are encoded for
     * @return the query with {@code $n} placeholders and the encoded values; the query untouched,
     *     without parameters, for null {@code params}
     * @throws ProgrammingException for a placeholder error or a value pqbridge cannot convert (see
     *     the class comment)
     */
    public static BoundQuery bind(String sql, Map<String, ?> params, AdaptContext ctx) {
        if (params == null) {
            return new BoundQuery(sql, new int[0], new byte[0][], new int[0]);
        }
        QueryTemplate t = QueryTemplate.parse(sql);
        checkMapping(t, params);
        // one parameter per distinct name, numbered in order of first use
        Map<String, Integer> numbers = new LinkedHashMap<>();
        StringBuilder formats = new StringBuilder();
        StringBuilder query = new StringBuilder(sql.length() + 8);
        for (int i = 0; i < t.items.size(); i++) {
            String name = (String) t.items.get(i);
            Integer n = numbers.get(name);
            if (n == null) {
                n = numbers.size() + 1;
                numbers.put(name, n);
                formats.append(t.formats[i]);
            } else if (formats.charAt(n - 1) != t.formats[i]) {
                throw new ProgrammingException("placeholder '" + name + "' cannot have different formats");
            }
            query.append(t.fragments.get(i)).append('$').append(n);
        }
        query.append(t.fragments.get(t.items.size()));
        List<Object> values = new ArrayList<>(numbers.size());
        for (String name : numbers.keySet()) {
            values.add(params.get(name));
        }
        return encode(query.toString(), values, formats.toString().toCharArray(), ctx);
    }

    /**
     * Client-side binding of positional parameters as SQL literals.
     *
     * @param sql the query with psycopg's placeholders
     * @param params the values, one per placeholder, in order; null for none
     * @param ctx the session settings literals are written for
     * @return the query with every placeholder replaced by its value's literal; {@code sql}
     *     untouched for null {@code params}
     * @throws ProgrammingException for a placeholder error or a value pqbridge cannot convert (see
     *     the class comment)
     */
    public static String merge(String sql, List<?> params, AdaptContext ctx) {
        if (params == null) {
            return sql;
        }
        QueryTemplate t = QueryTemplate.parse(sql);
        checkSequence(t, params);
        return literals(t, params, ctx);
    }

    /**
     * Client-side binding of named parameters as SQL literals.
     *
     * @param sql the query with psycopg's placeholders
     * @param params the values by name; null for none
     * @param ctx the session settings literals are written for
     * @return the query with every placeholder replaced by its value's literal; {@code sql}
     *     untouched for null {@code params}
     * @throws ProgrammingException for a placeholder error or a value pqbridge cannot convert (see
     *     the class comment)
     */
    public static String merge(String sql, Map<String, ?> params, AdaptContext ctx) {
        if (params == null) {
            return sql;
        }
        QueryTemplate t = QueryTemplate.parse(sql);
        checkMapping(t, params);
        List<Object> values = new ArrayList<>(t.items.size());
        for (Object name : t.items) {
            values.add(params.get((String) name));
        }
        return literals(t, values, ctx);
    }

    /**
     * A value as a SQL literal, psycopg's {@code as_literal}: {@code NULL}, {@code true},
     * {@code 42} ({@code  -42} with a leading space), {@code 'it''s'}, {@code  E'a\\b'},
     * {@code '2020-01-02'::date}, {@code '\x0102'::bytea}, {@code '{1,2}'::int4[]},
     * {@code 'NaN'::float8}...
     *
     * @param value the value, null for {@code NULL}
     * @param ctx the session settings the literal is written for
     *     ({@code standard_conforming_strings})
     * @return the literal
     * @throws ProgrammingException "cannot adapt type ..." for a value pqbridge cannot convert
     */
    public static String literal(Object value, AdaptContext ctx) {
        if (value == null) {
            return "NULL";
        }
        ByteSink out = new ByteSink(32);
        Codecs.forValue(value, ctx).literal(value, out, ctx);
        return Codec.utf8(out.array(), 0, out.size());
    }

    private static String literals(QueryTemplate t, List<?> values, AdaptContext ctx) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < t.items.size(); i++) {
            query.append(t.fragments.get(i)).append(literal(values.get(i), ctx));
        }
        return query.append(t.fragments.get(t.items.size())).toString();
    }

    private static void checkSequence(QueryTemplate t, Collection<?> params) {
        if (params.size() != t.items.size()) {
            throw new ProgrammingException("the query has " + t.items.size() + " placeholders but " + params.size()
                    + " parameters were passed");
        }
        if (!params.isEmpty() && t.named()) {
            throw new ProgrammingException("named placeholders require a mapping of parameters");
        }
    }

    private static void checkMapping(QueryTemplate t, Map<String, ?> params) {
        if (!t.items.isEmpty() && !t.named()) {
            throw new ProgrammingException("positional placeholders (%s) require a sequence of parameters");
        }
        TreeSet<String> missing = new TreeSet<>();
        for (Object item : t.items) {
            if (item instanceof String name && !params.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new ProgrammingException("query parameter missing: " + String.join(", ", missing));
        }
    }

    private static BoundQuery encode(String sql, List<?> values, char[] wanted, AdaptContext ctx) {
        int n = values.size();
        int[] types = new int[n];
        byte[][] encoded = new byte[n][];
        int[] formats = new int[n];
        ByteSink sink = new ByteSink(64);
        for (int i = 0; i < n; i++) {
            Object v = values.get(i);
            if (v == null) {
                continue;   // NULL: no value, type 0, text
            }
            Codec codec = Codecs.forValue(v, ctx);
            int format = wanted[i] == QueryTemplate.TEXT ? Codec.TEXT
                    : wanted[i] == QueryTemplate.BINARY ? Codec.BINARY : codec.autoFormat();
            sink.clear();
            if (format == Codec.BINARY) {
                codec.dumpBinary(v, sink);
            } else {
                codec.dumpText(v, sink);
            }
            encoded[i] = sink.toByteArray(0);
            types[i] = codec.paramOid(format);
            formats[i] = format;
        }
        return new BoundQuery(sql, types, encoded, formats);
    }
}
