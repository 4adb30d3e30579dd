package io.pqbridge.fuzz;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The prepared-statement operations of the fuzzer, all on one statement of its own
 * ({@value #SQL}), whose place in the cache {@link CachedStatement} models: runs that prepare it
 * (per call, or by a threshold set for the call and restored after it), and a second path to the
 * server that the cache does not see, the raw {@link PgConn} under the connection
 * ({@link RawAccess}), on which the statement is dropped behind the cache's back.
 */
final class PreparedOps {

    /** The fuzzer's statement; its column name finds it in {@code pg_prepared_statements}. */
    static final String SQL = "SELECT %s::int AS fuzz_prepared";
    static final int VALUE = 7;
    private static final String FIND = "SELECT name FROM pg_prepared_statements WHERE statement LIKE"
            + " '%fuzz\\_prepared%'";

    private PreparedOps() {
    }

    /** {@link FuzzOp#PREPARED_EXPLICIT}: {@code execute(sql, params, prepare=true)} under the default threshold. */
    static void runExplicit(Connection conn) {
        check(conn.execute(SQL, new Object[] {VALUE}, true).fetchOne().get(0));
    }

    /**
     * {@link FuzzOp#PREPARED_THRESHOLD_0} and {@code _1}: the statement run plainly with the
     * threshold set for the call; the connection's own threshold (the default, 5) is restored, so
     * that no other statement of the sequence changes its course.
     */
    static void runAtThreshold(Connection conn, int threshold) {
        Integer before = conn.prepareThreshold();
        conn.setPrepareThreshold(threshold);
        try {
            check(conn.execute(SQL, VALUE).fetchOne().get(0));
        } finally {
            conn.setPrepareThreshold(before);
        }
    }

    /**
     * {@link FuzzOp#DROP_PREPARED_BEHIND_CACHE}: {@code DEALLOCATE} of every server statement of
     * {@link #SQL} through the raw connection, when it can run a command (IDLE or INTRANS; a raw
     * command in a failed transaction would only fail, and a busy or closed connection takes
     * none). Only this statement is dropped: the cache's {@code SELECT 1}, prepared after five
     * runs, is left alone, since nothing in the model tracks it.
     *
     * @return how many there were (the model knows: 1 when PREPARED, else 0), -1 when nothing ran
     */
    static int dropBehindCache(PgConn raw) {
        if (raw.isFinished()) {
            return -1;
        }
        PgTransactionStatus status = raw.transactionStatus();
        if (status != PgTransactionStatus.IDLE && status != PgTransactionStatus.INTRANS) {
            return -1;
        }
        PgResult found = command(raw, FIND);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < found.ntuples(); i++) {
            names.add(found.text(i, 0));
        }
        for (String name : names) {
            command(raw, "DEALLOCATE \"" + name.replace("\"", "\"\"") + "\"");
        }
        return names.size();
    }

    /**
     * Resets the cache between sequences on a reused connection, so every sequence starts with
     * the statement unknown (NONE): {@code DEALLOCATE ALL} through the facade clears the cache by
     * its own rule, and the server's statements with it. Leaves the connection IDLE, in autocommit.
     */
    static void forgetAll(Connection conn) {
        conn.setAutocommit(true);
        conn.execute("DEALLOCATE ALL");
    }

    private static void check(Object value) {
        if (!Integer.valueOf(VALUE).equals(value)) {
            throw new AssertionError("the prepared statement returned " + value + ", not " + VALUE);
        }
    }

    /** Runs one command on the raw connection and returns its single result, which must not be an error. */
    private static PgResult command(PgConn raw, String sql) {
        if (!raw.sendQuery(sql)) {
            throw new AssertionError("the raw connection did not send " + sql + ": " + raw.errorMessage());
        }
        PgResult result = null;
        for (PgResult r = raw.getResult(); r != null; r = raw.getResult()) {
            result = r;
        }
        if (result == null || result.status() == PgExecStatus.FATAL_ERROR) {
            throw new AssertionError("the raw connection failed " + sql + ": "
                    + (result == null ? "no result" : result.errorMessage()));
        }
        return result;
    }
}
