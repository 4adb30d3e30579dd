package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.DatabaseException;
import io.pqbridge.errors.Errors;
import io.pqbridge.errors.IntegrityException;
import io.pqbridge.errors.OutOfOrderTransactionNesting;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Transaction blocks: the SQL they send, savepoint names and nesting, Rollback targeting, exits. */
@Tag("server-matrix")
class TransactionTest {

    private static Connection recorded(Recording rec) {
        return Connection.connect(rec, TestDatabase.conninfo());
    }

    private static long count(PgBackend backend, String table) {
        return Long.parseLong(String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + table)));
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void outerBlockBeginsAndCommits(PgBackend backend) {
        Recording rec = new Recording(backend);
        String t = Db.table("tx_outer");
        Db.run(backend, "CREATE TABLE " + t + " (n int)");
        try (Connection conn = recorded(rec)) {
            AtomicReference<Transaction> seen = new AtomicReference<>();
            conn.transaction(tx -> {
                seen.set(tx);
                assertEquals(Transaction.Status.ACTIVE, tx.status());
                assertNull(tx.savepointName());
                assertSame(conn, tx.connection());
                conn.execute("INSERT INTO " + t + " VALUES (1)");
            });
            assertEquals(List.of("BEGIN", "INSERT INTO " + t + " VALUES (1)", "COMMIT"), rec.take());
            assertEquals(Transaction.Status.COMMITTED, seen.get().status());
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertFalse(conn.isAutocommit());
            assertEquals(1, count(backend, t));
        } finally {
            Db.run(backend, "DROP TABLE " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void nestedBlocksUseNumberedSavepoints(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec)) {
            conn.transaction(outer -> conn.transaction(inner -> {
                assertEquals("_pg3_2", inner.savepointName());
                conn.transaction(innermost -> assertEquals("_pg3_3", innermost.savepointName()));
                conn.transaction(sibling -> assertEquals("_pg3_3", sibling.savepointName()));
            }));
            assertEquals(List.of("BEGIN", "SAVEPOINT \"_pg3_2\"", "SAVEPOINT \"_pg3_3\"", "RELEASE \"_pg3_3\"",
                    "SAVEPOINT \"_pg3_3\"", "RELEASE \"_pg3_3\"", "RELEASE \"_pg3_2\"", "COMMIT"), rec.take());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void blockInsideTheImplicitTransactionIsASavepointAndLeavesItOpen(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec)) {
            conn.execute("SELECT 1");
            conn.transaction(tx -> assertEquals("_pg3_1", tx.savepointName()));
            assertEquals(List.of("BEGIN", "SELECT 1", "SAVEPOINT \"_pg3_1\"", "RELEASE \"_pg3_1\""), rec.take());
            assertEquals(TransactionStatus.INTRANS, Db.status(conn), "the caller still owns the implicit transaction");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void autocommitBlocksBeginAndCommitAndLeaveAutocommitAlone(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec)) {
            conn.setAutocommit(true);
            conn.transaction(tx -> {
                assertTrue(conn.isAutocommit());
                conn.execute("SELECT 1");
            });
            assertTrue(conn.isAutocommit());
            assertEquals(List.of("BEGIN", "SELECT 1", "COMMIT"), rec.take());
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void namedSavepointsAreQuotedIdentifiers(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec)) {
            conn.transaction("s-1; drop", outer -> conn.transaction("a\"b", inner -> {
                assertEquals("a\"b", inner.savepointName());
            }));
            assertEquals(List.of("BEGIN", "SAVEPOINT \"s-1; drop\"", "SAVEPOINT \"a\"\"b\"", "RELEASE \"a\"\"b\"",
                    "COMMIT"), rec.take());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void exceptionRollsBackAndPropagatesUnchanged(PgBackend backend) {
        Recording rec = new Recording(backend);
        String t = Db.table("tx_exc");
        Db.run(backend, "CREATE TABLE " + t + " (n int)");
        try (Connection conn = recorded(rec)) {
            IOException thrown = new IOException("checked");
            AtomicReference<Transaction> seen = new AtomicReference<>();
            IOException caught = assertThrows(IOException.class, () -> conn.transaction(tx -> {
                seen.set(tx);
                conn.execute("INSERT INTO " + t + " VALUES (1)");
                throw thrown;
            }));
            assertSame(thrown, caught);
            assertEquals(Transaction.Status.ROLLED_BACK_WITH_ERROR, seen.get().status());
            assertEquals(List.of("BEGIN", "INSERT INTO " + t + " VALUES (1)", "ROLLBACK"), rec.take());
            assertEquals(0, count(backend, t));
        } finally {
            Db.run(backend, "DROP TABLE " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void rollbackIsSwallowedByTheInnermostBlock(PgBackend backend) {
        Recording rec = new Recording(backend);
        String t = Db.table("tx_rb");
        Db.run(backend, "CREATE TABLE " + t + " (n int)");
        try (Connection conn = recorded(rec)) {
            AtomicReference<Transaction> inner = new AtomicReference<>();
            String result = conn.transactionResult(outer -> {
                conn.execute("INSERT INTO " + t + " VALUES (1)");
                conn.transaction(tx -> {
                    inner.set(tx);
                    conn.execute("INSERT INTO " + t + " VALUES (2)");
                    throw new Rollback();
                });
                conn.execute("INSERT INTO " + t + " VALUES (3)");
                return "done";
            });
            assertEquals("done", result);
            assertEquals(Transaction.Status.ROLLED_BACK_EXPLICITLY, inner.get().status());
            assertEquals(List.of("BEGIN", "INSERT INTO " + t + " VALUES (1)", "SAVEPOINT \"_pg3_2\"",
                    "INSERT INTO " + t + " VALUES (2)", "ROLLBACK TO \"_pg3_2\"", "RELEASE \"_pg3_2\"",
                    "INSERT INTO " + t + " VALUES (3)", "COMMIT"), rec.take());
            assertEquals(2, count(backend, t));
            assertEquals("1", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t + " WHERE n = 3")));
        } finally {
            Db.run(backend, "DROP TABLE " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void rollbackOfTheOuterBlockUnwindsEveryBlockUpToIt(PgBackend backend) {
        Recording rec = new Recording(backend);
        String t = Db.table("tx_rbouter");
        Db.run(backend, "CREATE TABLE " + t + " (n int)");
        try (Connection conn = recorded(rec)) {
            AtomicReference<Transaction> outerSeen = new AtomicReference<>();
            AtomicReference<Transaction> middleSeen = new AtomicReference<>();
            AtomicReference<Transaction> innerSeen = new AtomicReference<>();
            conn.transaction(top -> {
                conn.execute("INSERT INTO " + t + " VALUES (1)");
                Object value = conn.transactionResult(outer -> {
                    outerSeen.set(outer);
                    conn.transaction(middle -> {
                        middleSeen.set(middle);
                        conn.transaction(inner -> {
                            innerSeen.set(inner);
                            conn.execute("INSERT INTO " + t + " VALUES (2)");
                            throw new Rollback(outer);
                        });
                        conn.execute("INSERT INTO " + t + " VALUES (99)"); // skipped
                    });
                    return "not reached";
                });
                assertNull(value);
                conn.execute("INSERT INTO " + t + " VALUES (3)");
            });
            assertEquals(Transaction.Status.ROLLED_BACK_EXPLICITLY, innerSeen.get().status());
            assertEquals(Transaction.Status.ROLLED_BACK_EXPLICITLY, middleSeen.get().status());
            assertEquals(Transaction.Status.ROLLED_BACK_EXPLICITLY, outerSeen.get().status());
            assertEquals(List.of("BEGIN", "INSERT INTO " + t + " VALUES (1)", "SAVEPOINT \"_pg3_2\"",
                    "SAVEPOINT \"_pg3_3\"", "SAVEPOINT \"_pg3_4\"", "INSERT INTO " + t + " VALUES (2)",
                    "ROLLBACK TO \"_pg3_4\"", "RELEASE \"_pg3_4\"", "ROLLBACK TO \"_pg3_3\"", "RELEASE \"_pg3_3\"",
                    "ROLLBACK TO \"_pg3_2\"", "RELEASE \"_pg3_2\"", "INSERT INTO " + t + " VALUES (3)", "COMMIT"),
                    rec.take());
            assertEquals("1,3", String.valueOf(Db.scalar(backend, "SELECT string_agg(n::text, ',' ORDER BY n) FROM " + t)));
        } finally {
            Db.run(backend, "DROP TABLE " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void rollbackOfAFinishedBlockEscapesEveryBlock(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            AtomicReference<Transaction> finished = new AtomicReference<>();
            conn.transaction(finished::set);
            Rollback stray = new Rollback(finished.get());
            Rollback escaped = assertThrows(Rollback.class, () -> conn.transaction(outer -> conn.transaction(inner -> {
                throw stray;
            })));
            assertSame(stray, escaped);
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            Rollback plain = assertThrows(Rollback.class, () -> {
                throw new Rollback();
            });
            assertNull(plain.transaction());
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void forceRollbackRollsBackANormalExit(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec)) {
            AtomicReference<Transaction> seen = new AtomicReference<>();
            conn.transaction(null, true, tx -> {
                seen.set(tx);
                assertTrue(tx.forceRollback());
            });
            assertEquals(Transaction.Status.ROLLED_BACK_EXPLICITLY, seen.get().status());
            conn.transaction(outer -> conn.transaction("keep", true, inner -> seen.set(inner)));
            assertEquals(List.of("BEGIN", "ROLLBACK", "BEGIN", "SAVEPOINT \"keep\"", "ROLLBACK TO \"keep\"",
                    "RELEASE \"keep\"", "COMMIT"), rec.take());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> conn.transaction(null, true, tx -> {
                        seen.set(tx);
                        throw new IllegalStateException("still propagates");
                    }));
            assertEquals("still propagates", e.getMessage());
            assertEquals(Transaction.Status.ROLLED_BACK_EXPLICITLY, seen.get().status());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void explicitCommitRollbackAndAutocommitAreForbiddenInsideABlock(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.transaction(tx -> {
                ProgrammingException commit = assertThrows(ProgrammingException.class, conn::commit);
                assertEquals("Explicit commit() forbidden within a Transaction context. (Transaction will be"
                        + " automatically committed on successful exit from context.)", commit.getMessage());
                ProgrammingException rollback = assertThrows(ProgrammingException.class, conn::rollback);
                assertEquals("Explicit rollback() forbidden within a Transaction context. (Either raise Rollback()"
                        + " or allow an exception to propagate out of the context.)", rollback.getMessage());
                ProgrammingException autocommit = assertThrows(ProgrammingException.class,
                        () -> conn.setAutocommit(true));
                assertEquals("can't change 'autocommit' now: connection.transaction() context in progress",
                        autocommit.getMessage());
            });
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            conn.commit();
            conn.setAutocommit(true);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void failedEnterIsUndone(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            assertThrows(DataException.class, () -> conn.execute("SELECT 1/0"));
            DatabaseException e = assertThrows(DatabaseException.class, () -> conn.transaction(tx -> {
                throw new AssertionError("the body must not run");
            }));
            assertInstanceOf(Errors.lookup("25P02"), e);
            assertEquals(TransactionStatus.INERROR, Db.status(conn));
            conn.rollback(); // psycopg would refuse: "forbidden within a Transaction context"
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            conn.transaction(tx -> assertNull(tx.savepointName()));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void failedCommitReportsFailed(PgBackend backend) {
        String parent = Db.table("tx_parent");
        String child = Db.table("tx_child");
        Db.run(backend, "CREATE TABLE " + parent + " (id int PRIMARY KEY); CREATE TABLE " + child
                + " (p int REFERENCES " + parent + " DEFERRABLE INITIALLY DEFERRED)");
        try (Connection conn = Db.connect(backend)) {
            AtomicReference<Transaction> seen = new AtomicReference<>();
            DatabaseException e = assertThrows(DatabaseException.class, () -> conn.transaction(tx -> {
                seen.set(tx);
                conn.execute("INSERT INTO " + child + " VALUES (42)");
            }));
            assertInstanceOf(Errors.lookup("foreign_key_violation"), e);
            assertInstanceOf(IntegrityException.class, e);
            assertEquals(Transaction.Status.FAILED, seen.get().status(), "psycopg would say COMMITTED");
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertTrue(Db.selectOneWorks(conn));
        } finally {
            Db.run(backend, "DROP TABLE " + child + ", " + parent);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectionClosedInsideABlockSendsNothingAtExit(PgBackend backend) {
        Connection conn = Db.connect(backend);
        AtomicReference<Transaction> seen = new AtomicReference<>();
        conn.transaction(tx -> {
            seen.set(tx);
            conn.close();
        });
        assertEquals(Transaction.Status.FAILED, seen.get().status());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            Connection other = Db.connect(backend);
            other.transaction(tx -> {
                other.close();
                throw new IllegalStateException("mine");
            });
        });
        assertEquals("mine", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void outOfOrderExitIsDetectedBeforeAnySql(PgBackend backend) throws Exception {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec)) {
            CountDownLatch outerIn = new CountDownLatch(1);
            CountDownLatch innerIn = new CountDownLatch(1);
            CountDownLatch outerOut = new CountDownLatch(1);
            IOException outerFailure = new IOException("outer body failed");
            CompletableFuture<Throwable> outer = CompletableFuture.supplyAsync(() -> {
                try {
                    conn.transaction(tx -> {
                        outerIn.countDown();
                        await(innerIn);
                        throw outerFailure;
                    });
                    return null;
                } catch (Throwable t) {
                    return t;
                } finally {
                    outerOut.countDown();
                }
            });
            CompletableFuture<Throwable> inner = CompletableFuture.supplyAsync(() -> {
                try {
                    await(outerIn);
                    conn.transaction(tx -> {
                        assertEquals("_pg3_2", tx.savepointName());
                        innerIn.countDown();
                        await(outerOut);
                    });
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Throwable outerError = outer.get(30, TimeUnit.SECONDS);
            Throwable innerError = inner.get(30, TimeUnit.SECONDS);
            OutOfOrderTransactionNesting o = assertInstanceOf(OutOfOrderTransactionNesting.class, outerError);
            assertTrue(o.getMessage().startsWith("transaction rollback at the wrong nesting level: Transaction["),
                    o.getMessage());
            assertSame(outerFailure, o.getSuppressed()[0], "the block's exception is kept as suppressed");
            OutOfOrderTransactionNesting i = assertInstanceOf(OutOfOrderTransactionNesting.class, innerError);
            assertTrue(i.getMessage().startsWith("transaction commit at the wrong nesting level: Transaction['_pg3_2'"),
                    i.getMessage());
            assertEquals(List.of("BEGIN", "SAVEPOINT \"_pg3_2\""), rec.take(), "no SQL at the exits");
            assertEquals(TransactionStatus.INTRANS, Db.status(conn), "psycopg leaves the transaction open");
            conn.rollback();
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
