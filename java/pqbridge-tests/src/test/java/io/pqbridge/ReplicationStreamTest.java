package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A replication stream started through {@code execute} is refused as psycopg refuses every COPY
 * there ("use copy() instead"), on both backends alike: at once, without waiting on the stream,
 * leaving the connection in the stream (other commands refused) until it is closed. {@code copy()}
 * refuses it too: it takes COPY TO STDOUT and COPY FROM STDIN only.
 */
@Tag("server-matrix")
class ReplicationStreamTest {

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    @Timeout(60)
    void startReplicationThroughExecuteIsRefusedAtOnce(PgBackend backend) {
        Connection conn = Connection.connect(backend, TestDatabase.conninfo() + " replication=database");
        try {
            conn.setAutocommit(true);
            Object position = conn.execute("IDENTIFY_SYSTEM").fetchOne().get(2);
            ProgrammingException refused = assertThrows(ProgrammingException.class,
                    () -> conn.execute("START_REPLICATION PHYSICAL " + position));
            assertTrue(refused.getMessage().contains("use copy() instead"), refused.getMessage());
            assertEquals(TransactionStatus.ACTIVE, conn.info().transactionStatus());
            OperationalException busy = assertThrows(OperationalException.class, () -> conn.execute("SELECT 1"));
            assertTrue(busy.getMessage().contains("another command is already in progress"), busy.getMessage());
        } finally {
            conn.close();
        }
        assertTrue(conn.isClosed());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    @Timeout(60)
    void startReplicationThroughCopyIsRefusedAtOnce(PgBackend backend) {
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo() + " replication=database")) {
            conn.setAutocommit(true);
            Object position = conn.execute("IDENTIFY_SYSTEM").fetchOne().get(2);
            ProgrammingException refused = assertThrows(ProgrammingException.class,
                    () -> conn.cursor().copy("START_REPLICATION PHYSICAL " + position).close());
            assertTrue(refused.getMessage().contains("got COPY_BOTH"), refused.getMessage());
        }
    }
}
