package io.pqbridge;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.adapt.BoundQuery;
import io.pqbridge.adapt.Queries;
import java.util.Arrays;
import java.util.Map;

/**
 * A statement's parameters, positional ({@code Object[]}, {@code %s}) or named ({@code Map},
 * {@code %(name)s}), adapted with the connection's session settings: bound on the server
 * (psycopg's {@code PostgresQuery}) or merged into the text as literals (its
 * {@code PostgresClientQuery}, for COPY).
 */
final class Parameters {

    private Parameters() {
    }

    /** The statement with {@code $n} placeholders and its values, to bind on the server. */
    static BoundQuery bind(Connection conn, String sql, Object params) {
        AdaptContext ctx = SqlTexts.currentContext(conn);
        return params instanceof Map<?, ?> named ? Queries.bind(sql, asNamed(named), ctx)
                : Queries.bind(sql, Arrays.asList((Object[]) params), ctx);
    }

    /** The statement with its values merged in as quoted literals. */
    static String merge(Connection conn, String sql, Object params) {
        AdaptContext ctx = SqlTexts.currentContext(conn);
        return params instanceof Map<?, ?> named ? Queries.merge(sql, asNamed(named), ctx)
                : Queries.merge(sql, Arrays.asList((Object[]) params), ctx);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> asNamed(Map<?, ?> params) {
        return (Map<String, ?>) params;
    }
}
