package io.pqbridge.fuzz;

import io.pqbridge.Connection;
import io.pqbridge.Cursor;
import io.pqbridge.Row;
import io.pqbridge.RowStream;
import io.pqbridge.errors.DivisionByZero;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The row-stream operations of the fuzzer ({@code Cursor.stream}), as {@link SequenceRunner}
 * performs them: each ends with its stream ended, so no step leaves the connection held. A
 * stream is closed explicitly rather than by try-with-resources, so that a failing
 * {@code close()} is the step's outcome instead of an exception suppressed under the body's.
 */
final class StreamOps {

    /** Ten rows, all sent at once: read to the end, or closed after the server has finished. */
    static final String SMALL = "SELECT g FROM generate_series(1, 10) g";
    /**
     * A million rows, streamed (a cross join, so not materialised first): the server is still
     * sending when a partial read stops, blocked on the full socket, and takes the cancel only
     * once the client has drained what is in flight (a socket buffer's worth). Each row carries
     * 8 kB so that this is a few dozen rows, not ten thousand: single-row mode pays per row, and
     * narrow rows made the drain cost over 100 ms a close.
     */
    static final String BIG = "SELECT a * 1000 + b, repeat('x', 8000) FROM generate_series(0, 999) a,"
            + " generate_series(1, 1000) b";
    /**
     * A row a millisecond for ten seconds: a cancel always finds the statement running (in
     * pg_sleep, not blocked on the socket), and only the rows made meanwhile stand between the
     * cancel and its error, so reading on ends quickly and always with QueryCanceled. Each row is
     * larger than the server's 8 kB send buffer, which it would otherwise fill before sending
     * anything.
     */
    static final String SLOW = "SELECT g, repeat('x', 16384) FROM generate_series(1, 10000) g"
            + " WHERE pg_sleep(0.001) IS NOT NULL";
    /**
     * 50 rows as slow as {@link #SLOW}'s: 50 ms and more, so another thread's cancel or close, sent
     * after 0-3 ms, nearly always lands before the end (a cancel takes tens of milliseconds to
     * arrive, and a late one ends the stream normally, which the model allows), while a stream it
     * misses costs little. (A fast stream of 100,000 rows cost a second per step to read, and the
     * server, done producing, often finished it despite the cancel.)
     */
    static final String RACED = "SELECT g, repeat('x', 16384) FROM generate_series(1, 50) g"
            + " WHERE pg_sleep(0.001) IS NOT NULL";
    /** 1 / (g - 3): rows 0 and -1, then division by zero. */
    static final String ERROR_AT_THIRD = "SELECT 1 / (g - 3) FROM generate_series(1, 5) g";
    private static final String COPY = "COPY (SELECT 1) TO STDOUT";

    /**
     * The calls that take the connection's lock, each made by {@link #callWhileHeld} while a stream
     * holds the connection: every one must be refused at once.
     */
    private static final List<Consumer<Connection>> LOCKING_CALLS = List.of(
            conn -> conn.execute("SELECT 1"),
            conn -> conn.execute(PreparedOps.SQL, new Object[] {PreparedOps.VALUE}, true),
            Connection::commit,
            Connection::rollback,
            conn -> conn.setAutocommit(conn.isAutocommit()),
            conn -> conn.transaction(tx -> {
            }),
            conn -> conn.cursor().stream(SMALL),
            conn -> conn.cursor().copy(SequenceRunner.BIG_OUT, copy -> {
            }));

    private StreamOps() {
    }

    /** {@link FuzzOp#STREAM_FULL}: all ten rows in order, and the cursor tells the statement's tag. */
    static void readAll(Connection conn) {
        Cursor cur = conn.cursor();
        List<Object> seen = new ArrayList<>();
        using(cur.stream(SMALL), rows -> {
            for (Row row : rows) {
                seen.add(row.get(0));
            }
        });
        if (!seen.equals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)) || !"SELECT 10".equals(cur.statusMessage())) {
            throw new AssertionError("a stream of 1..10 gave " + seen + ", tag " + cur.statusMessage());
        }
    }

    /** The stream of the operations racing another thread: {@link #RACED} read to its end, every row checked. */
    static void readRaced(Connection conn, Runnable onData) {
        Cursor cur = conn.cursor();
        int[] next = {1};
        using(cur.stream(RACED), rows -> {
            for (Row row : rows) {
                onData.run();
                if (!Integer.valueOf(next[0]++).equals(row.get(0))) {
                    throw new AssertionError("row " + (next[0] - 1) + " of the stream was " + row.get(0));
                }
            }
        });
        if (next[0] != 51) {
            throw new AssertionError("the stream ended normally after " + (next[0] - 1) + " rows");
        }
    }

    /** {@link FuzzOp#STREAM_PARTIAL_CLOSE}: three rows of a million, then {@code close()}. */
    static void closeEarly(Connection conn) {
        using(conn.cursor().stream(BIG), rows -> readSome(rows.iterator(), 3));
    }

    /** {@link FuzzOp#STREAM_PARTIAL_EXCEPTION}: three rows, then the sequence's exception leaves the loop. */
    static void leaveByException(Connection conn) {
        using(conn.cursor().stream(BIG), rows -> {
            int read = 0;
            for (Row ignored : rows) {
                if (++read == 3) {
                    throw new Outcome.SequenceAbort();
                }
            }
        });
    }

    /**
     * {@link FuzzOp#STREAM_HELD}: with one row read, every locking call of this thread; the step's
     * outcome is the first refusal unlike the others' (so a single wrong one shows), else the
     * first. Then the stream is closed with the server long finished: the cancel close() sends
     * finds nothing to cancel.
     */
    static void callWhileHeld(Connection conn) {
        using(conn.cursor().stream(SMALL), rows -> {
            rows.iterator().next();
            RuntimeException report = null;
            for (int i = 0; i < LOCKING_CALLS.size(); i++) {
                try {
                    LOCKING_CALLS.get(i).accept(conn);
                } catch (RuntimeException e) {
                    boolean unlike = Outcome.OWN_STREAM_OPEN.matches(report) && !Outcome.OWN_STREAM_OPEN.matches(e);
                    if (report == null || unlike) {
                        report = e;
                    }
                    continue;
                }
                throw new AssertionError("locking call " + i + " ran while this thread's stream held the connection");
            }
            throw report;
        });
    }

    /**
     * {@link FuzzOp#STREAM_CANCEL}: one slow row, {@code conn.cancel()} from this same thread (it
     * takes no lock), then the iteration goes on until the cancel's error ends it; a stream that
     * ends normally is a divergence.
     */
    static void cancelWhileStreaming(Connection conn) {
        using(conn.cursor().stream(SLOW), rows -> {
            Iterator<Row> it = rows.iterator();
            it.next();
            conn.cancel();
            readSome(it, Integer.MAX_VALUE);
        });
    }

    /** {@link FuzzOp#STREAM_ERROR_MIDWAY}: the rows before the failing one arrive, then the error. */
    static void failMidway(Connection conn) {
        List<Object> seen = new ArrayList<>();
        using(conn.cursor().stream(ERROR_AT_THIRD), rows -> {
            try {
                for (Row row : rows) {
                    seen.add(row.get(0));
                }
            } catch (DivisionByZero e) {
                if (!seen.equals(List.of(0, -1))) {
                    throw new AssertionError("the rows before the division by zero were " + seen, e);
                }
                throw e;
            }
        });
    }

    /** {@link FuzzOp#STREAM_COPY_REFUSED}: a COPY handed to stream(). */
    static void streamCopy(Connection conn) {
        Cursor cur = conn.cursor();
        RowStream rows = cur.stream(COPY);
        rows.close();
        throw new AssertionError("stream() accepted " + COPY);
    }

    private static void readSome(Iterator<Row> it, int how) {
        for (int i = 0; i < how && it.hasNext(); i++) {
            it.next();
        }
    }

    /**
     * Runs {@code body} on the stream, then closes it. When the body throws, a failure of
     * {@code close()} replaces the body's exception (which it carries as suppressed, when the
     * body's exception allows one), as the library's own blocks report a failed exit.
     */
    private static void using(RowStream rows, Consumer<RowStream> body) {
        try {
            body.accept(rows);
        } catch (RuntimeException | Error e) {
            try {
                rows.close();
            } catch (RuntimeException closeFailure) {
                closeFailure.addSuppressed(e);
                throw closeFailure;
            }
            throw e;
        }
        rows.close();
    }
}
