package io.pqbridge.adapt;

import io.pqbridge.errors.ProgrammingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query split at its placeholders, with psycopg's rules ({@code _queries.py},
 * {@code _split_query}): {@code %s}, {@code %t}, {@code %b} positional placeholders (any format,
 * text, binary), {@code %(name)s} named ones, {@code %%} a literal {@code %}; every other use of
 * {@code %} followed by a character on the same line is an error with psycopg's message. A
 * {@code %} at the end of the query or before a newline is kept as it is (psycopg's regular
 * expression does not match there).
 *
 * <p>Immutable (the lazily made {@link #positionalSql()} aside); {@link #fragments} has one more element than {@link #items}: the query is
 * fragments[0], item 0, fragments[1], ..., fragments[n] (with {@code %%} already made {@code %}).
 */
final class QueryTemplate {

    static final char AUTO = 's';
    static final char TEXT = 't';
    static final char BINARY = 'b';

    /** psycopg's {@code %(?:\(([^)]+)\).|.)}, where {@code .} is any character but a newline. */
    private static final Pattern PLACEHOLDER = Pattern.compile("%(?:\\(([^)]+)\\)[^\\n]|[^\\n])");

    final List<String> fragments;
    /** Per placeholder: an Integer (positional index) or a String (name). */
    final List<Object> items;
    /** Per placeholder: {@link #AUTO}, {@link #TEXT} or {@link #BINARY}. */
    final char[] formats;

    private QueryTemplate(List<String> fragments, List<Object> items, char[] formats) {
        this.fragments = fragments;
        this.items = items;
        this.formats = formats;
    }

    boolean named() {
        return !items.isEmpty() && items.get(0) instanceof String;
    }

    /**
     * Templates of recent queries, as psycopg caches its query conversion ({@code lru_cache} on
     * {@code _query2pg}): an application runs the same few statements over and over, and the
     * parse is a regular-expression scan. Shared by all connections; bounded by being emptied
     * when full, which costs one parse per query afterwards.
     */
    private static final ConcurrentHashMap<String, QueryTemplate> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_ENTRIES = 256;
    /** psycopg's {@code MAX_CACHED_STATEMENT_LENGTH}: longer texts are parsed every time. */
    private static final int CACHED_LENGTH = 4096;

    /** The query with {@code $1..$n} for its positional placeholders; made when first asked. */
    private String positionalSql;

    /** {@return the query with its positional placeholders numbered {@code $1}, {@code $2}...} */
    String positionalSql() {
        String sql = positionalSql;
        if (sql == null) {
            StringBuilder query = new StringBuilder();
            for (int i = 0; i < items.size(); i++) {
                query.append(fragments.get(i)).append('$').append(i + 1);
            }
            sql = query.append(fragments.get(items.size())).toString();
            positionalSql = sql; // racy but idempotent: every thread computes the same string
        }
        return sql;
    }

    static QueryTemplate parse(String query) {
        if (query.length() > CACHED_LENGTH) {
            return scan(query);
        }
        QueryTemplate t = CACHE.get(query);
        if (t == null) {
            t = scan(query);
            if (CACHE.size() >= CACHE_ENTRIES) {
                CACHE.clear();
            }
            CACHE.put(query, t);
        }
        return t;
    }

    private static QueryTemplate scan(String query) {
        List<String> fragments = new ArrayList<>();
        List<Object> items = new ArrayList<>();
        StringBuilder formats = new StringBuilder();
        StringBuilder pre = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(query);
        int cursor = 0;
        Class<?> kind = null;
        while (m.find()) {
            pre.append(query, cursor, m.start());
            cursor = m.end();
            String ph = m.group();
            if (ph.equals("%%")) {
                pre.append('%');
                continue;
            }
            if (ph.equals("%(")) {
                String rest = query.substring(m.start()).strip();
                throw new ProgrammingException("incomplete placeholder: '" + rest.split("\\s+", 2)[0] + "'");
            }
            if (ph.equals("% ")) {
                throw new ProgrammingException("incomplete placeholder: '%'; if you want to use '%' as an"
                        + " operator you can double it up, i.e. use '%%'");
            }
            char format = ph.charAt(ph.length() - 1);
            if (format != AUTO && format != TEXT && format != BINARY) {
                throw new ProgrammingException("only '%s', '%b', '%t' are allowed as placeholders, got '" + ph + "'");
            }
            Object item = m.group(1) != null ? m.group(1) : Integer.valueOf(items.size());
            if (kind == null) {
                kind = item.getClass();
            } else if (kind != item.getClass()) {
                throw new ProgrammingException("positional and named placeholders cannot be mixed");
            }
            fragments.add(pre.toString());
            pre.setLength(0);
            items.add(item);
            formats.append(format);
        }
        pre.append(query, cursor, query.length());
        fragments.add(pre.toString());
        return new QueryTemplate(List.copyOf(fragments), List.copyOf(items), formats.toString().toCharArray());
    }
}
