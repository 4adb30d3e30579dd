package io.pqbridge.fuzz;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.Rollback;
import io.pqbridge.TransactionStatus;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.test.Fill;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Performs a misuse sequence on a fresh connection and checks every step against
 * {@link PsycopgModel}: the operation must end in one of the outcomes the model allows, and then
 * the connection's closed flag and transaction status must be the model's, and {@code SELECT 1}
 * must work exactly when the model says the connection is usable (that probe is itself checked as
 * a step); on a closed connection another thread's call must fail at once too. The first
 * divergence is returned as a description; a clean run returns null.
 *
 * <p>Not thread-safe; one runner per thread. Operations that race another thread start it, do
 * their part, and join it before the step is checked, so nothing outlives its step.
 */
final class SequenceRunner {

    /**
     * A million rows, streamed: the server is still producing when a partial read stops (a single
     * generate_series would be materialised whole before the first row is sent).
     */
    static final String BIG_OUT = "COPY (SELECT a * 1000 + b, 'fuzz row' FROM generate_series(0, 999) a,"
            + " generate_series(1, 1000) b) TO STDOUT";
    private static final String SMALL_OUT = "COPY (SELECT g FROM generate_series(1, 100) g) TO STDOUT";
    /** The bytes SMALL_OUT sends: 1..9, 10..99 and 100, each with its newline. */
    private static final long SMALL_OUT_BYTES = 9 * 2 + 90 * 3 + 4;
    /** The rows of COPY_IN_WRITE_BUFFER: 8 rows of {@value #ROW_LENGTH} bytes, so every window edge is a row's. */
    private static final int ROW_LENGTH = 8;
    private static final byte[] ROWS = rows();
    private static final FuzzStep PROBE = FuzzStep.of(FuzzOp.SELECT_ONE);
    private static final long OTHER_THREAD_WAIT_MS = 2000;

    /** The backend, through which the runner also keeps each connection's raw {@code PgConn}. */
    private final RawAccess backend;
    private final String conninfo;
    /** {@code COPY <table> FROM STDIN}: a table of this runner's own, made once (a temporary one per connection costs more than the sequence). */
    private final String copyIn;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    /** The current operation's statement sent data (set by the bodies that can tell; cleared per step). */
    private boolean statementAnswered;
    /** Where mapped buffers' files go. */
    private final java.nio.file.Path scratch;
    /** A connection the last sequence left usable, or null. */
    private Connection reusable;
    /** The raw connection under {@link #reusable}. */
    private PgConn reusableRaw;
    /** The last sequence left the fuzzer's prepared statement known to the cache of {@link #reusable}. */
    private boolean reusableCacheTouched;
    /** The raw connection under the running sequence's connection: the path behind the facade's back. */
    private PgConn raw;
    private final long[] nanosByOp = new long[FuzzOp.values().length];
    private final long[] countByOp = new long[FuzzOp.values().length];
    private final Coverage coverage = new Coverage();

    SequenceRunner(PgBackend backend, String conninfo) {
        this.backend = new RawAccess(backend);
        this.conninfo = conninfo;
        String table = "fuzz_in_" + backend.name();
        this.copyIn = "COPY " + table + " FROM STDIN";
        try {
            this.scratch = java.nio.file.Files.createTempDirectory("fuzz-buffers");
            scratch.toFile().deleteOnExit(); // registered before its files, so deleted after them
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Connection conn = Connection.connect(backend, conninfo)) {
            conn.setAutocommit(true);
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE UNLOGGED TABLE " + table + " (n int, t text)");
        }
    }

    /** Runs the sequence; null when every step matched the model, else what diverged. */
    String run(FuzzSequence sequence) {
        Connection conn = connectionFor(sequence);
        try {
            PsycopgModel model = PsycopgModel.fresh(sequence.autocommit());
            AtomicReference<Copy> left = new AtomicReference<>();
            List<FuzzStep> steps = sequence.steps();
            for (int i = 0; i < steps.size(); i++) {
                String where = "step " + (i + 1) + " (" + steps.get(i) + ")";
                model = step(conn, model, steps.get(i), left, where);
                String state = checkState(conn, model);
                if (state == null && model.closed() && !model.stuck()) {
                    state = otherThreadSeesClosed(conn);
                }
                if (state != null) {
                    throw new Divergence(where + ": afterwards " + state);
                }
                model = step(conn, model, PROBE, left, where + ", the SELECT 1 probe after it");
            }
            if (!model.closed() && !model.stuck() && model.status() != TransactionStatus.ACTIVE) {
                reusable = conn; // the next sequence starts on it after a rollback
                reusableRaw = raw;
                reusableCacheTouched = model.cached() != CachedStatement.NONE;
            }
            return null;
        } catch (Divergence d) {
            return d.getMessage();
        } catch (RuntimeException | AssertionError e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return "the sequence failed outside the model: " + trace;
        } finally {
            if (reusable != conn) {
                conn.close();
            }
        }
    }

    /**
     * The connection a sequence starts on, IDLE with the sequence's autocommit: the previous
     * sequence's when it ended usable (rolled back, and its statement cache cleared when the
     * fuzzer's prepared statement is in it; a new connection per sequence would cost more than the
     * sequence itself), else a new one.
     */
    private Connection connectionFor(FuzzSequence sequence) {
        Connection conn = reusable;
        reusable = null;
        if (conn != null) {
            conn.rollback();
            if (reusableCacheTouched) {
                PreparedOps.forgetAll(conn);
            }
            raw = reusableRaw;
        } else {
            conn = Connection.connect(backend, conninfo);
            raw = backend.last();
        }
        conn.setAutocommit(sequence.autocommit());
        return conn;
    }

    /** Performs one operation and returns the model after it; throws when no allowed outcome matched. */
    private PsycopgModel step(Connection conn, PsycopgModel model, FuzzStep step, AtomicReference<Copy> left,
            String where) throws Divergence {
        List<PsycopgModel.Step> allowed = model.expect(step);
        FuzzOp op = step.op();
        long started = System.nanoTime();
        statementAnswered = false;
        Throwable thrown = perform(conn, step, left, model);
        nanosByOp[op.ordinal()] += System.nanoTime() - started;
        countByOp[op.ordinal()]++;
        PsycopgModel.Step matched = null;
        boolean lostAfterData = false;
        for (PsycopgModel.Step s : allowed) {
            // of the steps that end as it did, the one whose state the connection is in (a race
            // can end two ways with the same error); when none is, the first, which the state
            // check then reports. An ending before the statement ran is out once the statement
            // sent data: a transaction lost after it would otherwise pass for one
            if (s.beforeStatement() && statementAnswered) {
                lostAfterData |= s.outcome().matches(thrown) && checkState(conn, s.next()) == null;
                continue;
            }
            if (s.outcome().matches(thrown) && (matched == null || checkState(conn, s.next()) == null
                    && checkState(conn, matched.next()) != null)) {
                matched = s;
            }
        }
        if (lostAfterData && (matched == null || checkState(conn, matched.next()) != null)) {
            throw new Divergence(where + ": in " + model + " it threw " + describe(thrown) + " and left no transaction"
                    + " open, as when the cancel reaches the BEGIN, but the statement had sent data by then:"
                    + " the transaction it ran in was lost");
        }
        if (matched == null) {
            throw new Divergence(where + ": in " + model + " psycopg ends it "
                    + allowed.stream().map(PsycopgModel.Step::outcome).toList() + ", but it "
                    + (thrown == null ? "ended normally" : "threw " + describe(thrown)));
        }
        coverage.record(op, model, matched.outcome());
        PsycopgModel next = matched.next();
        boolean recoverable = next.status() == TransactionStatus.ACTIVE && !next.stuck();
        if (!next.closed() && !recoverable) {
            left.set(null); // nothing left to recover; a Copy kept past close() is kept for misuse
        }
        return next;
    }

    /** A step that psycopg's rules do not allow; the message says which and how. */
    private static final class Divergence extends Exception {
        Divergence(String message) {
            super(message, null, false, false);
        }
    }

    /** The operations that took the most time so far: {@code OP n×, t ms} for the slowest few. */
    String slowest(int how) {
        return java.util.stream.IntStream.range(0, nanosByOp.length).boxed()
                .sorted((a, b) -> Long.compare(nanosByOp[b], nanosByOp[a])).limit(how)
                .map(i -> String.format(java.util.Locale.ROOT, "%s %d×, %.0f ms", FuzzOp.values()[i], countByOp[i],
                        nanosByOp[i] / 1e6))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /** What the run exercised of the stream and prepared-statement rules ({@link Coverage}). */
    String coverage() {
        return coverage.summary();
    }

    /**
     * On a closed connection every thread's call fails at once with "the connection is closed"
     * (ConnectionLock's rule). The sequence's own thread cannot tell a lock left held from a free
     * one, since its calls fail on the closed check first; another thread's call would wait for
     * that lock forever. So another thread calls, and may wait {@value #OTHER_THREAD_WAIT_MS} ms.
     */
    private static String otherThreadSeesClosed(Connection conn) {
        AtomicReference<Throwable> got = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                conn.commit(); // takes the lock first (execute() would fail in cursor(), before it)
            } catch (Throwable t) {
                got.set(t);
            }
        }, "fuzz-other-caller");
        other.start();
        try {
            other.join(OTHER_THREAD_WAIT_MS);
            if (other.isAlive()) {
                other.interrupt(); // its wait for the lock is interruptible
                other.join();
                return "another thread's commit() on the closed connection still waited for the connection's lock"
                        + " after " + OTHER_THREAD_WAIT_MS + " ms: the lock was left held";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable t = got.get();
        return Outcome.CLOSED.matches(t) ? null : "another thread's commit() on the closed connection "
                + (t == null ? "ran" : "threw " + describe(t));
    }

    private static String checkState(Connection conn, PsycopgModel model) {
        if (conn.isClosed() != model.closed()) {
            return "isClosed() is " + conn.isClosed() + ", the model says " + model.closed();
        }
        if (!model.closed()) {
            TransactionStatus status = conn.info().transactionStatus();
            if (status != model.status()) {
                return "the transaction status is " + status + ", the model says " + model.status();
            }
        }
        return null;
    }

    /** Runs the operation in {@code model}'s state; the exception it ended with, null for a normal end. */
    private Throwable perform(Connection conn, FuzzStep step, AtomicReference<Copy> left, PsycopgModel model) {
        try {
            switch (step.op()) {
                case SELECT_ONE -> {
                    long one = conn.execute("SELECT 1").fetchOne().getLong(0);
                    if (one != 1) {
                        throw new AssertionError("SELECT 1 returned " + one);
                    }
                }
                case DIVIDE_BY_ZERO -> conn.execute("SELECT 1/0");
                case COMMIT -> conn.commit();
                case ROLLBACK -> conn.rollback();
                case TOGGLE_AUTOCOMMIT -> conn.setAutocommit(!conn.isAutocommit());
                case COPY_OUT_FULL -> conn.cursor().copy(SMALL_OUT, copy -> {
                    int rows = 0;
                    while (copy.read().length > 0) {
                        rows++;
                    }
                    if (rows != 100) {
                        throw new AssertionError("COPY OUT of 100 rows gave " + rows);
                    }
                });
                case COPY_OUT_PARTIAL_NORMAL_EXIT -> conn.cursor().copy(BIG_OUT, copy -> {
                    left.set(copy);
                    readSome(copy);
                });
                case COPY_OUT_PARTIAL_EXCEPTION_EXIT -> conn.cursor().copy(BIG_OUT, copy -> {
                    readSome(copy);
                    throw new Outcome.SequenceAbort();
                });
                case COPY_IN_FULL -> conn.cursor().copy(copyIn, SequenceRunner::writeSome);
                case COPY_IN_EXCEPTION_EXIT -> conn.cursor().copy(copyIn, copy -> {
                    writeSome(copy);
                    throw new Outcome.SequenceAbort();
                });
                case COPY_IN_BAD_DATA -> conn.cursor().copy(copyIn, copy -> {
                    writeSome(copy);
                    copy.write("not a number\tx\n");
                });
                case DROP_OPEN_COPY_OUT -> {
                    Copy copy = conn.cursor().copy(BIG_OUT);
                    copy.read();
                    collectGarbage(); // the Copy is unreachable now
                }
                case TX_ROLLBACK -> conn.transaction(tx -> {
                    conn.execute("SELECT 1");
                    throw new Rollback();
                });
                case TX_COMMIT -> conn.transaction(tx -> conn.execute("SELECT 1"));
                case TX_ERROR -> conn.transaction(tx -> conn.execute("SELECT 1/0"));
                case TX_NESTED_ROLLBACK_OUTER -> conn.transaction(outer -> conn.transaction(inner -> {
                    conn.execute("SELECT 1");
                    throw new Rollback(outer);
                }));
                case TX_COPY_OUT_PARTIAL_ROLLBACK -> conn.transaction(tx -> conn.cursor().copy(BIG_OUT, copy -> {
                    readSome(copy);
                    throw new Rollback();
                }));
                case TX_COPY_IN_ROLLBACK -> conn.transaction(tx -> conn.cursor().copy(copyIn, copy -> {
                    writeSome(copy);
                    throw new Rollback();
                }));
                case CANCEL_FROM_OTHER_THREAD -> whileAnotherThread(conn, Connection::cancel, this::readBigCopy);
                case CLOSE_FROM_OTHER_THREAD -> whileAnotherThread(conn, Connection::close, this::readBigCopy);
                case STREAM_CANCEL_FROM_OTHER_THREAD ->
                        whileAnotherThread(conn, Connection::cancel, c -> StreamOps.readRaced(c, this::dataArrived));
                case STREAM_CLOSE_FROM_OTHER_THREAD ->
                        whileAnotherThread(conn, Connection::close, c -> StreamOps.readRaced(c, this::dataArrived));
                case CANCEL -> conn.cancel();
                case CLOSE -> conn.close();
                case RECOVER_BY_READING -> {
                    Copy copy = left.getAndSet(null);
                    if (copy != null) {
                        while (copy.read().length > 0) {
                            // the rest of the data: the way out of the busy state
                        }
                    }
                }
                case RECOVER_BY_CANCEL -> {
                    Copy copy = left.getAndSet(null);
                    if (copy != null) {
                        copy.cancel();
                    }
                }
                case COPY_OUT_READ_INTO -> conn.cursor().copy(step.kind().readOnly ? BIG_OUT : SMALL_OUT,
                        copy -> readAllInto(copy, step));
                case COPY_IN_WRITE_BUFFER -> conn.cursor().copy(copyIn, copy -> {
                    ByteBuffer rows = step.fill().apply(step.kind().make(step.fill() == Fill.EMPTY ? new byte[0] : ROWS,
                            scratch), ROW_LENGTH, ROWS.length - ROW_LENGTH, step.fill() == Fill.EMPTY ? 0 : ROWS.length);
                    copy.write(rows);
                });
                case GC -> collectGarbage();
                case STREAM_FULL -> StreamOps.readAll(conn);
                case STREAM_PARTIAL_CLOSE -> StreamOps.closeEarly(conn);
                case STREAM_PARTIAL_EXCEPTION -> StreamOps.leaveByException(conn);
                case STREAM_HELD -> StreamOps.callWhileHeld(conn);
                case STREAM_CANCEL -> StreamOps.cancelWhileStreaming(conn);
                case STREAM_ERROR_MIDWAY -> StreamOps.failMidway(conn);
                case STREAM_COPY_REFUSED -> StreamOps.streamCopy(conn);
                case PIPELINE_OK -> PipelineOps.runOk(conn);
                case PIPELINE_ERROR -> PipelineOps.runError(conn);
                case PIPELINE_ABORTED_FETCH -> PipelineOps.fetchAborted(conn);
                case PIPELINE_USER_EXCEPTION -> PipelineOps.leaveByException(conn);
                case EXECUTE_MANY -> PipelineOps.executeMany(conn);
                case PREPARED_EXPLICIT -> PreparedOps.runExplicit(conn);
                case PREPARED_THRESHOLD_0 -> PreparedOps.runAtThreshold(conn, 0);
                case PREPARED_THRESHOLD_1 -> PreparedOps.runAtThreshold(conn, 1);
                case DROP_PREPARED_BEHIND_CACHE -> dropBehindCache(model);
                case PREPARED_AFTER_COMMIT -> {
                    conn.commit();
                    PreparedOps.runExplicit(conn);
                }
                case PREPARED_THEN_DROPPED -> {
                    PreparedOps.runExplicit(conn);
                    dropBehindCache(model.expect(FuzzStep.of(FuzzOp.PREPARED_EXPLICIT)).get(0).next());
                }
            }
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * Drops the fuzzer's statement on the raw connection, checking the server's count of it
     * against the cache's bookkeeping in {@code model}'s state: nothing left behind, nothing missing.
     */
    private void dropBehindCache(PsycopgModel model) {
        int found = PreparedOps.dropBehindCache(raw);
        int expected = !model.usable() ? -1 : model.cached() == CachedStatement.PREPARED ? 1 : 0;
        if (found != expected) {
            throw new AssertionError("the server held " + found + " of the fuzzer's prepared statements (-1: not"
                    + " asked); in " + model + " there should be " + expected);
        }
    }

    /** {@code body}, which reads a long result to its end, while {@code action} runs on another thread after 0-3 ms. */
    private void whileAnotherThread(Connection conn, Consumer<Connection> action, Consumer<Connection> body) {
        AtomicReference<Throwable> helperFailure = new AtomicReference<>();
        long delayNanos = ThreadLocalRandom.current().nextLong(3_000_000);
        Thread helper = new Thread(() -> {
            try {
                long until = System.nanoTime() + delayNanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                action.accept(conn);
            } catch (Throwable t) {
                helperFailure.set(t);
            }
        }, "fuzz-helper");
        helper.start();
        try {
            body.accept(conn);
        } finally {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (helperFailure.get() != null) {
                throw new AssertionError("the other thread's call failed: " + describe(helperFailure.get()),
                        helperFailure.get());
            }
        }
    }

    private void dataArrived() {
        statementAnswered = true;
    }

    private void readBigCopy(Connection conn) {
        try {
            conn.cursor().copy(BIG_OUT, copy -> {
                while (copy.readInto(buffer) > 0) {
                    dataArrived();
                    buffer.clear();
                }
            });
        } finally {
            buffer.clear();
        }
    }

    /**
     * Reads the whole small COPY with {@code readInto} into the step's buffer, its window set
     * again before each call; a window with no room for the next message (0 bytes read, or the
     * message larger than the window) is finished with {@code read()}. Checks every byte arrived.
     */
    private void readAllInto(Copy copy, FuzzStep step) {
        int capacity = step.fill() == Fill.EMPTY ? 0 : 64;
        ByteBuffer dst = step.kind().make(new byte[capacity], scratch);
        long total = 0;
        try {
            for (;;) {
                step.fill().apply(dst, 6, 58, capacity);
                int start = dst.position();
                int n = copy.readInto(dst);
                if (n <= 0) {
                    if (n == 0) {
                        total += readRest(copy);
                    }
                    break;
                }
                if (dst.position() - start != n) {
                    throw new AssertionError("readInto returned " + n + " but moved the position by " + (dst.position() - start));
                }
                total += n;
            }
        } catch (io.pqbridge.errors.ProgrammingException e) {
            if (!e.getMessage().contains("again with a larger buffer")) {
                throw e;
            }
            total += readRest(copy); // the message did not fit the window: it stays pending for read()
        }
        if (total != SMALL_OUT_BYTES) {
            throw new AssertionError("readInto into " + step + " delivered " + total + " bytes of " + SMALL_OUT_BYTES);
        }
    }

    private static long readRest(Copy copy) {
        long total = 0;
        for (byte[] message; (message = copy.read()).length > 0;) {
            total += message.length;
        }
        return total;
    }

    private static void readSome(Copy copy) {
        for (int i = 0; i < 10; i++) {
            copy.read();
        }
    }

    private static void writeSome(Copy copy) {
        for (int i = 0; i < 5; i++) {
            copy.writeRow(i, "row " + i);
        }
    }

    private static void collectGarbage() {
        System.gc();
    }

    private static byte[] rows() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append(String.format("%03d\trow\n", i));
        }
        return s.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static String describe(Throwable t) {
        return t.getClass().getName() + ": " + t.getMessage();
    }
}
