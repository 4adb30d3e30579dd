package io.pqbridge;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgDiagField;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection's automatic preparation of statements (psycopg's {@code PrepareManager} and the
 * cursor's {@code _maybe_prepare_gen}): a statement run {@link #threshold()} times is prepared on
 * the server as {@code _pg3_<n>} and from then on only bound and executed; at most {@link #max()}
 * statements stay prepared, the least recently used are closed on the server when more come.
 *
 * <p>Where psycopg's own behaviour looks accidental, this class decides (and its tests hold it):
 * <ul>
 * <li>Every {@code DROP}, {@code ALTER}, {@code DISCARD}, {@code DEALLOCATE} or {@code ROLLBACK}
 *     seen in a result clears the cache (psycopg looks only the first time a text is seen): an
 *     object may have been dropped and made again, and the server would then fail lookups.</li>
 * <li>A cached statement the server can no longer use ("cached plan must not change result type",
 *     SQLSTATE 0A000, after another session changed a table; or 26000, dropped behind the cache's
 *     back) is forgotten and the call runs once more, prepared afresh, when that is invisible to
 *     the caller: the statement ran alone (autocommit) or first in the transaction this very call
 *     opened (which is then rolled back and opened again). Inside a transaction that already did
 *     work the server has aborted it; the error is raised and the next run prepares afresh.</li>
 * <li>A name removed from the cache for any reason but a full clear is closed on the server, so a
 *     statement whose first prepared run failed is never left behind; a full clear sends
 *     {@code DEALLOCATE ALL}. Closing uses the protocol's Close where the backend can, otherwise
 *     {@code DEALLOCATE} ({@link PgConn#closeSendsCloseMessage()}); it happens after the
 *     statement, when the connection is idle or in a transaction that has not failed (otherwise
 *     after the next one that succeeds).</li>
 * <li>A string of several statements is never prepared: its first run gives more than one result
 *     and it leaves the count; asked to prepare one (threshold 0, or per call), the server's
 *     refusal marks it never to be prepared and it runs unprepared, when that is invisible as
 *     above (otherwise the refusal is raised).</li>
 * </ul>
 *
 * <p>Not thread-safe: used under the connection's lock, which every caller holds.
 */
final class PreparedStatements {

    static final int DEFAULT_THRESHOLD = 5;
    static final int DEFAULT_MAX = 100;
    /** The count of a statement that is never to be prepared (several statements in one string). */
    private static final int NEVER = Integer.MIN_VALUE;

    /** What a run of a statement does (psycopg's {@code Prepare}). */
    enum Decision {
        /** Run it unprepared. */
        NO,
        /** It is prepared: bind and execute the named statement. */
        YES,
        /** Prepare it now under a new name, then execute it. */
        SHOULD
    }

    /** A statement to run: its text, its parameters (none: null values), as bound, and the result format (1 binary). */
    record Statement(String sql, int[] types, byte[][] values, int[] formats, int resultFormat) {
        Key key() {
            return new Key(sql, types == null ? NO_TYPES : types);
        }

        /** Parameters, or binary results, need the extended protocol; otherwise the simple one serves, as in psycopg. */
        boolean needsExtendedProtocol() {
            return values != null && values.length > 0 || resultFormat != 0;
        }
    }

    /**
     * A statement sent in pipeline mode, as the cache decided when sending it: {@link #validate}
     * corrects the cache when its results come back.
     *
     * @param parsed whether a Parse under {@code name} went out before the execution
     * @param isNew whether the cache did not know the statement before
     */
    record Sent(Key key, Decision decision, String name, boolean parsed, boolean isNew) {
    }

    /** The parameter types of a statement without parameters; never written. */
    private static final int[] NO_TYPES = {};

    /** psycopg's key: the query text and its parameter types. */
    record Key(String sql, int[] types) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.sql.equals(sql) && Arrays.equals(k.types, types);
        }

        @Override
        public int hashCode() {
            return sql.hashCode() * 31 + Arrays.hashCode(types);
        }
    }

    private volatile Integer threshold = DEFAULT_THRESHOLD;
    private volatile int max = DEFAULT_MAX;
    /**
     * Times each not yet prepared statement was run, least recently run first. Both maps are in
     * access order: a lookup makes its key the most recently used, as psycopg's
     * {@code move_to_end} does, without the node that a remove and a put would allocate per run.
     */
    private final LinkedHashMap<Key, Integer> counts = new LinkedHashMap<>(16, 0.75f, true);
    /** Name of each prepared statement, least recently run first (access order). */
    private final LinkedHashMap<Key, String> names = new LinkedHashMap<>(16, 0.75f, true);
    /** Names to close on the server. */
    private final ArrayDeque<String> toClose = new ArrayDeque<>();
    /** Everything prepared is to be dropped on the server ({@code DEALLOCATE ALL}). */
    private boolean closeAll;
    private long nextIndex;

    Integer threshold() {
        return threshold;
    }

    void threshold(Integer value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException("prepareThreshold must be 0 or more, or null to never prepare: " + value);
        }
        threshold = value;
    }

    int max() {
        return max;
    }

    void max(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("preparedMax must be 0 or more: " + value);
        }
        max = value;
    }

    /** {@return how many statements are prepared on the server by this cache} */
    int preparedCount() {
        return names.size();
    }

    /**
     * Runs {@code statement} (preparing it when its time has come) and returns its results, which
     * the caller checks.
     *
     * @param conn the connection, its lock held
     * @param statement what to run
     * @param prepare true to prepare at once, false never, null by the threshold
     * @param opened whether this call's own BEGIN just opened the transaction
     */
    List<PgResult> run(Connection conn, Statement statement, Boolean prepare, boolean opened) {
        boolean alone = opened || conn.pgconn.transactionStatus() == PgTransactionStatus.IDLE;
        Key key = statement.key();
        String name = names.get(key);
        Decision decision = decide(key, name, prepare);
        if (decision == Decision.SHOULD) {
            name = "_pg3_" + nextIndex++;
            PgResult refused = prepare(conn, statement, name);
            if (refused != null) {
                if (!severalCommands(refused)) {
                    throw ResultReading.errorFrom(conn.pgconn, refused);
                }
                counts.put(key, NEVER);
                if (!alone) {
                    throw ResultReading.errorFrom(conn.pgconn, refused);
                }
                restart(conn, opened);
                decision = Decision.NO;
            }
        }
        List<PgResult> results = execute(conn, statement, decision, name);
        if (decision != Decision.NO && unusable(results)) {
            // a statement that no longer exists needs no closing (DEALLOCATE would even fail)
            forget(key, !"26000".equals(results.get(0).errorField(PgDiagField.SQLSTATE)));
            if (alone && conn.pgconn.transactionStatus() != PgTransactionStatus.UNKNOWN) {
                restart(conn, opened);
                name = "_pg3_" + nextIndex++;
                decision = Decision.SHOULD;
                PgResult refused = prepare(conn, statement, name);
                if (refused != null) {
                    throw ResultReading.errorFrom(conn.pgconn, refused);
                }
                results = execute(conn, statement, decision, name);
            }
        }
        boolean isNew = remember(key, decision, name);
        if (!discardOn(results) && isNew && !cacheable(results)) {
            forget(key, true);
        } else {
            rotate();
        }
        return results;
    }

    /**
     * Sends {@code statement} in pipeline mode without waiting (psycopg's {@code _maybe_prepare_gen}
     * there): always with the extended protocol, after a Parse under a new name when its time has
     * come. The cache counts the run now, as psycopg's {@code maybe_add_to_cache} does; the
     * results, when they come, go to {@link #validate} (and a failed Parse to {@link #parseFailed}).
     */
    Sent send(Connection conn, Statement statement, Boolean prepare) {
        Key key = statement.key();
        String name = names.get(key);
        Decision decision = decide(key, name, prepare);
        if (decision == Decision.SHOULD) {
            name = "_pg3_" + nextIndex++;
            if (!conn.pgconn.sendPrepare(name, statement.sql(), statement.types())) {
                throw Sending.failed(conn, "sending query failed");
            }
        }
        if (decision == Decision.NO) {
            Sending.queryParams(conn, statement.sql(), statement.types(), statement.values(), statement.formats(),
                    statement.resultFormat());
        } else if (!conn.pgconn.sendQueryPrepared(name, statement.values(), statement.formats(),
                statement.resultFormat())) {
            throw Sending.failed(conn, "sending query and params failed");
        }
        return new Sent(key, decision, name, decision == Decision.SHOULD, remember(key, decision, name));
    }

    /** The Parse of a pipelined statement failed: the name does not exist; several statements are never prepared. */
    void parseFailed(Sent sent, PgResult refused) {
        forget(sent.key(), false);
        if (severalCommands(refused)) {
            counts.put(sent.key(), NEVER);
        }
    }

    /** psycopg's {@code validate}: the results of a pipelined statement correct what {@link #send} assumed. */
    void validate(Sent sent, List<PgResult> results) {
        if (sent.decision() != Decision.NO && unusable(results)) {
            forget(sent.key(), !"26000".equals(results.get(0).errorField(PgDiagField.SQLSTATE)));
            return;
        }
        if (!discardOn(results) && sent.isNew() && !cacheable(results)) {
            forget(sent.key(), true);
        } else {
            rotate();
        }
    }

    /** A close queued in an aborted pipeline was skipped: the name is closed at the next chance. */
    void closeLater(String name) {
        if (!closeAll) {
            toClose.add(name);
        }
    }

    /** psycopg's {@code PrepareManager.get}. */
    private Decision decide(Key key, String name, Boolean prepare) {
        Integer limit = threshold;
        if (Boolean.FALSE.equals(prepare) || limit == null) {
            return Decision.NO;
        }
        if (name != null) {
            return Decision.YES;
        }
        int count = counts.getOrDefault(key, 0);
        if (count == NEVER) {
            return Decision.NO;
        }
        return Boolean.TRUE.equals(prepare) || count >= limit ? Decision.SHOULD : Decision.NO;
    }

    /** Prepares the statement under {@code name}; null when done, else the server's error result. */
    private static PgResult prepare(Connection conn, Statement statement, String name) {
        if (!conn.pgconn.sendPrepare(name, statement.sql(), statement.types())) {
            throw Sending.failed(conn, "sending query failed");
        }
        List<PgResult> prepared = ResultReading.fetch(conn.pgconn);
        return !prepared.isEmpty() && prepared.get(0).status() == PgExecStatus.FATAL_ERROR ? prepared.get(0) : null;
    }

    private static List<PgResult> execute(Connection conn, Statement statement, Decision decision, String name) {
        if (decision == Decision.NO) {
            if (statement.needsExtendedProtocol()) {
                Sending.queryParams(conn, statement.sql(), statement.types(), statement.values(), statement.formats(),
                        statement.resultFormat());
            } else {
                Sending.query(conn, statement.sql());
            }
        } else if (!conn.pgconn.sendQueryPrepared(name, statement.values(), statement.formats(),
                statement.resultFormat())) {
            throw Sending.failed(conn, "sending query and params failed");
        }
        return ResultReading.fetch(conn.pgconn);
    }

    /**
     * Undoes the failed try of a statement that ran alone: the transaction this call opened (which
     * held nothing else) is rolled back and opened again; in autocommit there is nothing to undo.
     */
    private static void restart(Connection conn, boolean opened) {
        if (opened) {
            conn.execCommand("ROLLBACK");
            conn.execCommand(conn.transactions.beginCommand());
        }
    }

    /** The server refused to prepare a string of several statements. */
    private static boolean severalCommands(PgResult refused) {
        return "42601".equals(refused.errorField(PgDiagField.SQLSTATE))
                && "cannot insert multiple commands into a prepared statement".equals(
                        refused.errorField(PgDiagField.MESSAGE_PRIMARY));
    }

    /** The server can no longer run the cached statement (see the class comment). */
    private static boolean unusable(List<PgResult> results) {
        if (results.size() != 1 || results.get(0).status() != PgExecStatus.FATAL_ERROR) {
            return false;
        }
        String sqlstate = results.get(0).errorField(PgDiagField.SQLSTATE);
        String primary = results.get(0).errorField(PgDiagField.MESSAGE_PRIMARY);
        return "26000".equals(sqlstate)
                || "0A000".equals(sqlstate) && "cached plan must not change result type".equals(primary);
    }

    /** psycopg's {@code maybe_add_to_cache}: true when the key was not known before. */
    private boolean remember(Key key, Decision decision, String name) {
        if (threshold == null) {
            return false;
        }
        Integer count = counts.get(key); // now the most recently used
        if (count != null) {
            if (decision == Decision.SHOULD) {
                counts.remove(key);
                names.put(key, name);
            } else if (count != NEVER) {
                counts.put(key, count + 1);
            }
            return false;
        }
        if (names.get(key) != null) { // now the most recently used
            return false;
        }
        if (decision == Decision.SHOULD) {
            names.put(key, name);
        } else {
            counts.put(key, 1);
        }
        return true;
    }

    /** A command that may have dropped or changed what a statement uses clears the cache. */
    private boolean discardOn(List<PgResult> results) {
        for (PgResult r : results) {
            if (r.status() != PgExecStatus.COMMAND_OK) {
                continue;
            }
            String tag = r.cmdStatus();
            if (tag.startsWith("DROP ") || tag.startsWith("ALTER ") || tag.startsWith("DISCARD")
                    || tag.startsWith("DEALLOCATE") || tag.equals("ROLLBACK")) {
                clear();
                return true;
            }
        }
        return false;
    }

    /** psycopg's {@code _check_results}: one result, rows or a command. */
    private static boolean cacheable(List<PgResult> results) {
        if (results.size() != 1) {
            return false;
        }
        PgExecStatus status = results.get(0).status();
        return status == PgExecStatus.COMMAND_OK || status == PgExecStatus.TUPLES_OK;
    }

    /** Drops the key; a name it had is closed on the server later when {@code close}. */
    private void forget(Key key, boolean close) {
        counts.remove(key);
        String name = names.remove(key);
        if (name != null && close && !closeAll) {
            toClose.add(name);
        }
    }

    /** psycopg's {@code _rotate}: evicts the least recently used beyond the maximum. */
    private void rotate() {
        evictBeyond(counts, max);
        while (names.size() > max) {
            Iterator<Map.Entry<Key, String>> eldest = names.entrySet().iterator();
            String name = eldest.next().getValue();
            eldest.remove();
            if (!closeAll) {
                toClose.add(name);
            }
        }
    }

    private static void evictBeyond(LinkedHashMap<Key, Integer> map, int limit) {
        if (map.size() <= limit) {
            return;
        }
        Iterator<Key> eldest = map.keySet().iterator();
        while (map.size() > limit) {
            eldest.next();
            eldest.remove();
        }
    }

    /** Forgets everything (rollback, dropped objects); the server's statements go at the next chance. */
    void clear() {
        counts.clear();
        if (!names.isEmpty()) {
            names.clear();
            toClose.clear();
            closeAll = true;
        }
    }

    /**
     * {@link #maintain} after the statement failed: in autocommit the connection is idle again and
     * what the failure let go of is closed at once; a failure here is added to the statement's.
     */
    void maintainAfterFailure(Connection conn, RuntimeException failure) {
        try {
            maintain(conn);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Closes on the server what the cache let go of, when the transaction allows a command
     * (psycopg runs its maintenance commands after the statement). A failure propagates: the
     * connection's state is then the caller's error to see.
     */
    void maintain(Connection conn) {
        if (!closeAll && toClose.isEmpty()) {
            return;
        }
        Pipeline pipeline = conn.pipelineInProgress();
        if (pipeline != null) {
            // queued behind the statements that may still use the names; their answers are checked there
            if (closeAll) {
                closeAll = false;
                pipeline.command("DEALLOCATE ALL");
            }
            while (!toClose.isEmpty()) {
                pipeline.closePrepared(toClose.poll());
            }
            return;
        }
        PgTransactionStatus status = conn.pgconn.transactionStatus();
        if (status != PgTransactionStatus.IDLE && status != PgTransactionStatus.INTRANS) {
            return;
        }
        if (closeAll) {
            closeAll = false;
            conn.execCommand("DEALLOCATE ALL");
            return;
        }
        while (!toClose.isEmpty()) {
            String name = toClose.poll();
            PgResult closed = conn.pgconn.closePrepared(name);
            if (closed == null) {
                throw Sending.failed(conn, "sending query failed");
            }
            if (closed.status() == PgExecStatus.FATAL_ERROR) {
                throw ResultReading.errorFrom(conn.pgconn, closed);
            }
        }
    }
}
