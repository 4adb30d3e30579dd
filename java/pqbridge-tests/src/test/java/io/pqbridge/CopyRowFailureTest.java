package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A row that fails to parse in {@link Copy#readRow()} is consumed, as in psycopg, where
 * {@code _read_row_gen} has taken the message from the connection before {@code parse_row} fails:
 * the next readRow returns the next row, or null at the end; in binary format the header, which
 * comes with the first row, is consumed with it. Each case runs in text and binary format. The bad
 * values are a text 'x' loaded as int4, refused in both formats (text: not a number; binary: one
 * byte where int4 has four).
 */
class CopyRowFailureTest {

    private static final String[] FORMATS = {"TEXT", "BINARY"};

    /** The COPY was read to its end: the connection is not busy and the rowcount is set. */
    private static void assertEnded(Connection conn, Cursor cur, int rows) {
        assertNotEquals(TransactionStatus.ACTIVE, Db.status(conn), "the end of the COPY was read");
        assertEquals(rows, cur.rowCount());
        assertTrue(Db.selectOneWorks(conn));
    }

    static Stream<Arguments> wrongTypeCounts() {
        return Backends.crossed(Stream.of(
                Arguments.of(new String[] {"int4", "int4"}, "cannot load sequence of 3 items: 2 loaders registered"),
                Arguments.of(new String[] {"int4", "int4", "text", "text"},
                        "cannot load sequence of 3 items: 4 loaders registered")));
    }

    /** psycopg's set_types with the wrong number of types, then the right ones: the failed row is gone. */
    @ParameterizedTest
    @MethodSource("wrongTypeCounts")
    void wrongNumberOfTypesThenTheRightOnesReadsTheNextRow(PgBackend backend, String[] wrong, String message) {
        for (String format : FORMATS) {
            try (Connection conn = Db.connect(backend)) {
                Cursor cur = conn.cursor();
                cur.copy("COPY (VALUES (1, 2, 'a'), (3, 4, 'b')) TO STDOUT (FORMAT " + format + ")", copy -> {
                    copy.setTypes(wrong);
                    ProgrammingException e = assertThrows(ProgrammingException.class, copy::readRow, format);
                    assertEquals(message, e.getMessage(), format);
                    copy.setTypes("int4", "int4", "text");
                    assertArrayEquals(new Object[] {3, 4, "b"}, copy.readRow(), format);
                    assertNull(copy.readRow(), format);
                });
                assertEnded(conn, cur, 2);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aBadValueInTheFirstRowIsConsumedWithTheHeader(PgBackend backend) {
        for (String format : FORMATS) {
            try (Connection conn = Db.connect(backend)) {
                Cursor cur = conn.cursor();
                cur.copy("COPY (VALUES ('x'), ('2'), ('3')) TO STDOUT (FORMAT " + format + ")", copy -> {
                    copy.setTypes("int4");
                    assertThrows(DataException.class, copy::readRow, format);
                    copy.setTypes("text");
                    assertArrayEquals(new Object[] {"2"}, copy.readRow(), format);
                    assertArrayEquals(new Object[] {"3"}, copy.readRow(), format);
                    assertNull(copy.readRow(), format);
                });
                assertEnded(conn, cur, 3);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aBadValueInAMiddleRowIsConsumed(PgBackend backend) {
        for (String format : FORMATS) {
            try (Connection conn = Db.connect(backend)) {
                Cursor cur = conn.cursor();
                cur.copy("COPY (VALUES ('1'), ('x'), ('3')) TO STDOUT (FORMAT " + format + ")", copy -> {
                    assertEquals(1, copy.readRow().length, format);
                    copy.setTypes("int4");
                    assertThrows(DataException.class, copy::readRow, format);
                    copy.setTypes("text");
                    assertArrayEquals(new Object[] {"3"}, copy.readRow(), format);
                    assertNull(copy.readRow(), format);
                });
                assertEnded(conn, cur, 3);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aFailureAtTheLastRowIsFollowedByTheEnd(PgBackend backend) {
        for (String format : FORMATS) {
            try (Connection conn = Db.connect(backend)) {
                Cursor cur = conn.cursor();
                cur.copy("COPY (VALUES (1, 2, 'a'), (3, 4, 'b')) TO STDOUT (FORMAT " + format + ")", copy -> {
                    copy.setTypes("int4", "int4", "text");
                    assertArrayEquals(new Object[] {1, 2, "a"}, copy.readRow(), format);
                    copy.setTypes("int4", "int4");
                    assertThrows(ProgrammingException.class, copy::readRow, format);
                    assertNull(copy.readRow(), format);
                    assertNull(copy.readRow(), "and null again: " + format);
                });
                assertEnded(conn, cur, 2);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void rowsGoOnAfterAFailure(PgBackend backend) {
        for (String format : FORMATS) {
            try (Connection conn = Db.connect(backend)) {
                Cursor cur = conn.cursor();
                cur.copy("COPY (VALUES ('1'), ('x'), ('3'), ('4')) TO STDOUT (FORMAT " + format + ")", copy -> {
                    Iterator<Object[]> it = copy.rows().iterator();
                    assertEquals(1, it.next().length, format);
                    copy.setTypes("int4");
                    assertThrows(DataException.class, it::hasNext, format);
                    copy.setTypes("text");
                    assertArrayEquals(new Object[] {"3"}, it.next(), "the same iterator resumes: " + format);
                    List<Object> rest = new ArrayList<>();
                    for (Object[] row : copy.rows()) {
                        rest.add(row[0]);
                    }
                    assertEquals(List.of("4"), rest, "a new iteration: " + format);
                });
                assertEnded(conn, cur, 4);
            }
        }
    }
}
