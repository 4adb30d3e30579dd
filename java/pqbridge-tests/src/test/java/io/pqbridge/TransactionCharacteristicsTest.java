package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pqbridge.errors.DivisionByZero;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.errors.ReadOnlySqlTransaction;
import io.pqbridge.pq.PgBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * psycopg's {@code isolation_level}, {@code read_only} and {@code deferrable}: the BEGIN that
 * opens the implicit transaction and the outer {@code transaction()} block asks for them, the
 * server runs the transaction so (as {@code SHOW} reports inside it), and they cannot change while
 * a transaction is open.
 */
@Tag("server-matrix")
class TransactionCharacteristicsTest {

    private static String show(Connection conn, String setting) {
        return (String) conn.execute("SHOW " + setting).fetchOne().get(0);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theImplicitTransactionBeginsWithTheCharacteristicsSet(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            assertNull(conn.isolationLevel());
            assertNull(conn.readOnly());
            assertNull(conn.deferrable());
            assertEquals("read committed", show(conn, "transaction_isolation"), "the server's default");
            conn.rollback();
            conn.setIsolationLevel(IsolationLevel.SERIALIZABLE);
            conn.setReadOnly(true);
            conn.setDeferrable(true);
            assertEquals(IsolationLevel.SERIALIZABLE, conn.isolationLevel());
            assertEquals("serializable", show(conn, "transaction_isolation"));
            assertEquals("on", show(conn, "transaction_read_only"));
            assertEquals("on", show(conn, "transaction_deferrable"));
            assertThrows(ReadOnlySqlTransaction.class, () -> conn.execute("CREATE TEMP TABLE t (n int)"));
            conn.rollback();
            conn.setIsolationLevel(IsolationLevel.REPEATABLE_READ);
            conn.setReadOnly(false);
            conn.setDeferrable(false);
            assertEquals("repeatable read", show(conn, "transaction_isolation"));
            assertEquals("off", show(conn, "transaction_read_only"));
            assertEquals("off", show(conn, "transaction_deferrable"));
            conn.rollback();
            conn.setIsolationLevel(null);
            conn.setReadOnly(null);
            conn.setDeferrable(null);
            assertEquals("read committed", show(conn, "transaction_isolation"), "back to the server's default");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void inAutocommitOnlyTransactionBlocksBeginWithThem(PgBackend backend) {
        try (Connection conn = Db.autocommit(backend)) {
            conn.setIsolationLevel(IsolationLevel.REPEATABLE_READ);
            assertEquals("read committed", show(conn, "transaction_isolation"), "no BEGIN in autocommit");
            conn.transaction(tx -> {
                assertEquals("repeatable read", show(conn, "transaction_isolation"));
                conn.transaction(inner -> assertEquals("repeatable read", show(conn, "transaction_isolation"),
                        "a savepoint keeps the outer transaction's level"));
            });
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theyCannotChangeWhileATransactionIsOpen(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("SELECT 1");
            assertEquals("can't change 'isolation_level' now: connection in transaction status INTRANS",
                    assertThrows(ProgrammingException.class, () -> conn.setIsolationLevel(IsolationLevel.SERIALIZABLE))
                            .getMessage());
            assertEquals("can't change 'read_only' now: connection in transaction status INTRANS",
                    assertThrows(ProgrammingException.class, () -> conn.setReadOnly(true)).getMessage());
            assertThrows(DivisionByZero.class, () -> conn.execute("SELECT 1/0"));
            assertEquals("can't change 'deferrable' now: connection in transaction status INERROR",
                    assertThrows(ProgrammingException.class, () -> conn.setDeferrable(true)).getMessage());
            conn.rollback();
            conn.transaction(tx -> assertEquals("can't change 'read_only' now: connection.transaction() context in"
                    + " progress", assertThrows(ProgrammingException.class, () -> conn.setReadOnly(true)).getMessage()));
            assertNull(conn.isolationLevel(), "a refused change changes nothing");
            assertNull(conn.readOnly());
            assertNull(conn.deferrable());
        }
    }
}
