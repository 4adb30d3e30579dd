package io.pqbridge.testing;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.Rollback;
import io.pqbridge.TransactionStatus;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The scenarios that ship with the kit ({@code scripts/repro --list}), each with the outcome
 * psycopg 3 gives in the same situation (its COPY exit rules), so a run
 * can say whether pqbridge matched it.
 *
 * <p>Psycopg issue #1008 is about leaving a COPY block before the end of its data. The scenarios
 * cover its three ways out (normal exit, exception exit, {@code transaction} block left with
 * {@link Rollback}) for COPY TO STDOUT after reading 10 of a million rows and for COPY FROM STDIN
 * after writing 10 rows; each without an outer transaction (autocommit: nothing is open around
 * the COPY) and inside one ({@code -in-transaction}: autocommit off and earlier work already done
 * in the implicit transaction, so the status is INTRANS before the COPY). {@link #CRASH} kills the
 * JVM on purpose, to show that a crash is detected and reported with its frame.
 */
public enum BuiltinScenario implements Scenario {

    /**
     * {@code 1008-copy-out-normal-exit}: COPY TO STDOUT in autocommit, 10 of 1,000,000 rows read,
     * normal exit. psycopg: no exception, status ACTIVE, {@code SELECT 1} fails ("another command
     * is already in progress").
     */
    COPY_OUT_NORMAL_EXIT("1008-copy-out-normal-exit", "COPY TO STDOUT, read 10 of 1,000,000 rows, normal exit",
            Shape.NORMAL_EXIT, true, false,
            outcome(null, TransactionStatus.ACTIVE, false)),
    /**
     * {@code 1008-copy-out-normal-exit-in-transaction}: as {@link #COPY_OUT_NORMAL_EXIT}, inside an
     * implicit transaction with earlier work. psycopg: no exception, status ACTIVE,
     * {@code SELECT 1} fails.
     */
    COPY_OUT_NORMAL_EXIT_IN_TRANSACTION("1008-copy-out-normal-exit-in-transaction",
            "the same inside an implicit transaction with earlier work", Shape.NORMAL_EXIT, true, true,
            outcome(null, TransactionStatus.ACTIVE, false)),
    /**
     * {@code 1008-copy-out-exception-exit}: COPY TO STDOUT in autocommit, 10 of 1,000,000 rows
     * read, left with an {@code IllegalStateException}. psycopg: that exception, status IDLE,
     * {@code SELECT 1} works.
     */
    COPY_OUT_EXCEPTION_EXIT("1008-copy-out-exception-exit",
            "COPY TO STDOUT, read 10 of 1,000,000 rows, leave with an IllegalStateException",
            Shape.EXCEPTION_EXIT, true, false,
            outcome("IllegalStateException", TransactionStatus.IDLE, true)),
    /**
     * {@code 1008-copy-out-exception-exit-in-transaction}: as {@link #COPY_OUT_EXCEPTION_EXIT},
     * inside an implicit transaction with earlier work. psycopg: that exception, status INERROR,
     * {@code SELECT 1} fails until rollback.
     */
    COPY_OUT_EXCEPTION_EXIT_IN_TRANSACTION("1008-copy-out-exception-exit-in-transaction",
            "the same inside an implicit transaction with earlier work", Shape.EXCEPTION_EXIT, true, true,
            outcome("IllegalStateException", TransactionStatus.INERROR, false)),
    /**
     * {@code 1008-copy-out-rollback}: a transaction block in autocommit: COPY TO STDOUT, 10 of
     * 1,000,000 rows read, {@code throw new Rollback()}. psycopg: no exception, status IDLE,
     * {@code SELECT 1} works.
     */
    COPY_OUT_ROLLBACK("1008-copy-out-rollback",
            "conn.transaction { COPY TO STDOUT, read 10 of 1,000,000 rows, throw new Rollback() }",
            Shape.ROLLBACK, true, false,
            outcome(null, TransactionStatus.IDLE, true)),
    /**
     * {@code 1008-copy-out-rollback-in-transaction}: as {@link #COPY_OUT_ROLLBACK}, inside an
     * implicit transaction with earlier work (the block is a savepoint). psycopg: no exception,
     * status INTRANS, {@code SELECT 1} works.
     */
    COPY_OUT_ROLLBACK_IN_TRANSACTION("1008-copy-out-rollback-in-transaction",
            "the same inside an implicit transaction with earlier work (the block is a savepoint)",
            Shape.ROLLBACK, true, true,
            outcome(null, TransactionStatus.INTRANS, true)),
    /**
     * {@code 1008-copy-in-normal-exit}: COPY FROM STDIN in autocommit, 10 rows written, normal
     * exit. psycopg: no exception, status IDLE, {@code SELECT 1} works.
     */
    COPY_IN_NORMAL_EXIT("1008-copy-in-normal-exit", "COPY FROM STDIN, write 10 rows, normal exit",
            Shape.NORMAL_EXIT, false, false,
            outcome(null, TransactionStatus.IDLE, true)),
    /**
     * {@code 1008-copy-in-normal-exit-in-transaction}: as {@link #COPY_IN_NORMAL_EXIT}, inside an
     * implicit transaction with earlier work. psycopg: no exception, status INTRANS,
     * {@code SELECT 1} works.
     */
    COPY_IN_NORMAL_EXIT_IN_TRANSACTION("1008-copy-in-normal-exit-in-transaction",
            "the same inside an implicit transaction with earlier work", Shape.NORMAL_EXIT, false, true,
            outcome(null, TransactionStatus.INTRANS, true)),
    /**
     * {@code 1008-copy-in-exception-exit}: COPY FROM STDIN in autocommit, 10 rows written, left
     * with an {@code IllegalStateException}. psycopg: that exception, status IDLE, {@code SELECT 1}
     * works.
     */
    COPY_IN_EXCEPTION_EXIT("1008-copy-in-exception-exit",
            "COPY FROM STDIN, write 10 rows, leave with an IllegalStateException", Shape.EXCEPTION_EXIT, false, false,
            outcome("IllegalStateException", TransactionStatus.IDLE, true)),
    /**
     * {@code 1008-copy-in-exception-exit-in-transaction}: as {@link #COPY_IN_EXCEPTION_EXIT},
     * inside an implicit transaction with earlier work. psycopg: that exception, status INERROR,
     * {@code SELECT 1} fails until rollback.
     */
    COPY_IN_EXCEPTION_EXIT_IN_TRANSACTION("1008-copy-in-exception-exit-in-transaction",
            "the same inside an implicit transaction with earlier work", Shape.EXCEPTION_EXIT, false, true,
            outcome("IllegalStateException", TransactionStatus.INERROR, false)),
    /**
     * {@code 1008-copy-in-rollback}: a transaction block in autocommit: COPY FROM STDIN, 10 rows
     * written, {@code throw new Rollback()}. psycopg: no exception, status IDLE, {@code SELECT 1}
     * works.
     */
    COPY_IN_ROLLBACK("1008-copy-in-rollback",
            "conn.transaction { COPY FROM STDIN, write 10 rows, throw new Rollback() }", Shape.ROLLBACK, false, false,
            outcome(null, TransactionStatus.IDLE, true)),
    /**
     * {@code 1008-copy-in-rollback-in-transaction}: as {@link #COPY_IN_ROLLBACK}, inside an
     * implicit transaction with earlier work (the block is a savepoint). psycopg: no exception,
     * status INTRANS, {@code SELECT 1} works.
     */
    COPY_IN_ROLLBACK_IN_TRANSACTION("1008-copy-in-rollback-in-transaction",
            "the same inside an implicit transaction with earlier work (the block is a savepoint)",
            Shape.ROLLBACK, false, true,
            outcome(null, TransactionStatus.INTRANS, true)),
    /**
     * {@code crash}: kills the JVM on purpose, by a NULL dereference in the test kit's crash library (native backend)
     * or a write to address 0 through {@code sun.misc.Unsafe} (java backend). Matched by a detected
     * crash with its crash report and problematic frame.
     */
    CRASH("crash", "kills the JVM on purpose: a NULL dereference in C (native), a write to address 0"
            + " through sun.misc.Unsafe (java, which has no native code of its own)", null, false, false,
            Expectation.CRASH);

    private static final String BIG_OUT = "COPY (SELECT g, repeat('x', 20) FROM generate_series(1, 1000000) g)"
            + " TO STDOUT";
    private static final int PARTIAL = 10;

    private enum Shape { NORMAL_EXIT, EXCEPTION_EXIT, ROLLBACK }

    private final String scenarioName;
    private final String description;
    private final Shape shape;
    private final boolean copyOut;
    private final boolean inTransaction;
    private final Expectation expected;

    BuiltinScenario(String scenarioName, String description, Shape shape, boolean copyOut, boolean inTransaction,
            Expectation expected) {
        this.scenarioName = scenarioName;
        this.description = description;
        this.shape = shape;
        this.copyOut = copyOut;
        this.inTransaction = inTransaction;
        this.expected = expected;
    }

    /**
     * {@return the name {@code scripts/repro} knows it by, e.g. {@code 1008-copy-out-normal-exit}}
     */
    public String scenarioName() {
        return scenarioName;
    }

    /** {@return what the scenario does, in words} */
    public String description() {
        return shape == null || inTransaction ? description : description + "; autocommit, no transaction around it";
    }

    /**
     * {@return what psycopg does in this situation (for {@link #CRASH}: what detecting it means),
     * in words}
     */
    public String expectation() {
        return expected.describe();
    }

    /**
     * Whether a run ended as psycopg's does.
     *
     * @param outcome how one run of this scenario ended
     * @return true when the outcome is what psycopg does (for {@link #CRASH}: a detected crash with
     *     its frame)
     */
    public boolean matches(ScenarioOutcome outcome) {
        return expected.matches(outcome);
    }

    /**
     * The scenario with that name.
     *
     * @param name a scenario's {@link #scenarioName()}
     * @return the scenario
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static BuiltinScenario byName(String name) {
        for (BuiltinScenario s : values()) {
            if (s.scenarioName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; the built-in scenarios are: "
                + Arrays.stream(values()).map(BuiltinScenario::scenarioName).collect(Collectors.joining(", ")));
    }

    @Override
    public void run(Connection conn) throws Exception {
        if (this == CRASH) {
            crash(conn.backend());
            return;
        }
        if (inTransaction) {
            conn.execute("CREATE TEMP TABLE repro_earlier (n int)");
            conn.execute("INSERT INTO repro_earlier VALUES (1)"); // the earlier work: status INTRANS
        } else {
            conn.setAutocommit(true);
        }
        if (!copyOut) {
            conn.execute("CREATE TEMP TABLE repro_in (n int, t text)");
        }
        if (shape == Shape.ROLLBACK) {
            conn.transaction(tx -> leaveCopy(conn, () -> {
                throw new Rollback();
            }));
        } else if (shape == Shape.EXCEPTION_EXIT) {
            leaveCopy(conn, () -> {
                throw new IllegalStateException("leaving the COPY block after " + PARTIAL + " rows");
            });
        } else {
            leaveCopy(conn, () -> { });
        }
    }

    /** Opens the COPY, reads or writes {@link #PARTIAL} rows, then leaves the block by {@code exit}. */
    private void leaveCopy(Connection conn, Runnable exit) {
        conn.cursor().copy(copyOut ? BIG_OUT : "COPY repro_in FROM STDIN", (Copy copy) -> {
            for (int i = 0; i < PARTIAL; i++) {
                if (copyOut) {
                    copy.read();
                } else {
                    copy.writeRow(i, "row " + i);
                }
            }
            exit.run();
        });
    }

    private static void crash(String backend) throws ReflectiveOperationException {
        if (backend.equals("native")) {
            CrashNatives.crash();
        }
        Class<?> type = Class.forName("sun.misc.Unsafe");
        var field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        Object unsafe = field.get(null);
        type.getMethod("putAddress", long.class, long.class).invoke(unsafe, 0L, 0L);
        throw new IllegalStateException("writing to address 0 did not crash the JVM");
    }

    private static Expectation outcome(String exception, TransactionStatus status, boolean usable) {
        return new Expectation(false, exception, status, usable);
    }

    /** psycopg's outcome: a crash, or a clean exit with this exception (simple name), status and usability. */
    record Expectation(boolean crash, String exception, TransactionStatus status, boolean usable) {

        static final Expectation CRASH = new Expectation(true, null, null, false);

        String describe() {
            if (crash) {
                return "a JVM crash, detected and reported with its crash report and problematic frame";
            }
            return "a clean exit, " + (exception == null ? "no exception" : exception) + ", status " + status
                    + ", SELECT 1 " + (usable ? "works" : "fails") + (status == TransactionStatus.ACTIVE
                    ? " (\"another command is already in progress\")" : status == TransactionStatus.INERROR
                    ? " until rollback()" : "");
        }

        boolean matches(ScenarioOutcome o) {
            if (crash) {
                return o.crashed() && o.crashReport() != null && o.problematicFrame() != null;
            }
            return !o.crashed() && !o.timedOut() && o.reported() && java.util.Objects.equals(exception,
                    o.exceptionSimpleName()) && o.transactionStatus() == status && o.usable() == usable
                    && o.exitCode() == (exception == null ? 0 : 1);
        }
    }
}
