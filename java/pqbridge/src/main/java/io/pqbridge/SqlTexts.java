package io.pqbridge;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.internal.ComposedQueries;
import java.util.Map;

/**
 * The text the facade sends for a {@link Query}, a {@code io.pqbridge.sql.Composable} or the
 * application's own: rendered for the connection's session
 * settings, with {@code %} inside literals and names doubled when parameters go with it (so the
 * placeholder parser reads them as the characters they are). {@link Connection}'s class
 * initialiser hands {@link #sessionContext} to {@code io.pqbridge.sql}, so that any connection a
 * composable is given has it installed.
 */
final class SqlTexts {

    private SqlTexts() {
    }

    /** The text of {@code query} for a statement with {@code params} (an array, a map, or null for none). */
    static String of(Connection conn, Query query, Object params) {
        return of(conn, query, params instanceof Map<?, ?> map ? !map.isEmpty()
                : params instanceof Object[] array && array.length > 0);
    }

    /** The text of {@code query}; {@code forParameters} when the text will be parsed for placeholders. */
    static String of(Connection conn, Query query, boolean forParameters) {
        String composed = forParameters ? ComposedQueries.render(query, sessionContext(conn), true) : null;
        return composed != null ? composed : query.asString(conn);
    }

    /** The session settings of an open connection, read under its lock. */
    static AdaptContext sessionContext(Connection conn) {
        conn.lock.acquire();
        try {
            conn.checkOpen();
            return currentContext(conn);
        } finally {
            conn.lock.release();
        }
    }

    /**
     * The session settings of a connection whose lock the caller holds; the connection's last ones
     * if unchanged. When the backend counts the server's parameter reports and none arrived since
     * the last read, and no adapter was registered since, the last ones are answered without
     * reading the settings again.
     */
    static AdaptContext currentContext(Connection conn) {
        long generation = conn.pgconn.parameterStatusGeneration();
        AdaptContext last = conn.lastContext;
        if (generation >= 0 && generation == conn.lastContextGeneration && last != null
                && last.hasAdaptersOf(conn.adapters)) {
            return last;
        }
        AdaptContext ctx = AdaptContext.of(conn.pgconn, conn.adapters, last);
        conn.lastContext = ctx;
        conn.lastContextGeneration = generation;
        return ctx;
    }
}
