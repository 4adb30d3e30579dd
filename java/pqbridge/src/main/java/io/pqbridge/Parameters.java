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

    /**
     * A cursor's statement to send (psycopg's {@code PostgresQuery}), its parameters bound on the
     * server; without parameters ({@code params} null) the text goes as it is, and a query left
     * without parameters after conversion goes with the simple protocol, as psycopg sends it.
     *
     * @param binary whether the cursor asks for results in binary format
     */
    static PreparedStatements.Statement statement(Connection conn, String sql, Object params, boolean binary) {
        int resultFormat = binary ? 1 : 0;
        if (params == null) {
            return new PreparedStatements.Statement(sql, null, null, null, resultFormat);
        }
        BoundQuery query = bind(conn, sql, params);
        return new PreparedStatements.Statement(query.sql(), query.paramTypes(), query.paramValues(),
                query.paramFormats(), resultFormat);
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
