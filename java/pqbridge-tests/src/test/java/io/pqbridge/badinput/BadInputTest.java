package io.pqbridge.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.errors.DataException;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.PqException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.TransactionStatus;
import io.pqbridge.errors.BadCopyFileFormat;
import io.pqbridge.errors.CharacterNotInRepertoire;
import io.pqbridge.errors.DatetimeFieldOverflow;
import io.pqbridge.errors.InvalidTextRepresentation;
import io.pqbridge.errors.NumericValueOutOfRange;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import io.pqbridge.test.Backends;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on every backend (issue 6): malformed COPY text and binary data, wrong column
 * counts, invalid UTF-8, NUL characters, values out of range, a 100 MB field, and malformed,
 * huge or hostile conninfo strings. Each gives a clear error of the right class, stores nothing
 * (checked from a second connection), and leaves the connection usable where PostgreSQL allows.
 */
@Tag("heavy")
class BadInputTest {

    /** One bad COPY FROM STDIN: what the body sends, and the error class and message it must give. */
    record BadCopy(String name, String columns, boolean binary, Consumer<Copy> body, Class<? extends PqException> error,
            String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);

    static Stream<Arguments> badCopies() {
        List<BadCopy> cases = List.of(
                new BadCopy("text into int", "n int, t text", false, c -> c.write("7\tgood\nabc\tx\n"),
                        InvalidTextRepresentation.class, "invalid input syntax for type integer: \"abc\""),
                new BadCopy("missing column", "n int, t text", false, c -> c.write("7\tgood\n1\n"),
                        BadCopyFileFormat.class, "missing data for column \"t\""),
                new BadCopy("extra column", "n int, t text", false, c -> c.write("7\tgood\n1\tx\ty\n"),
                        BadCopyFileFormat.class, "extra data after last expected column"),
                new BadCopy("writeRow with too few values", "n int, t text", false, c -> {
                    c.writeRow(7, "good");
                    c.writeRow(1);
                },
                        BadCopyFileFormat.class, "missing data for column \"t\""),
                new BadCopy("invalid UTF-8", "n int, t text", false,
                        c -> c.write(new byte[] {'1', '\t', (byte) 0xC3, 0x28, '\n'}),
                        CharacterNotInRepertoire.class, "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28"),
                new BadCopy("NUL in raw text data", "n int, t text", false,
                        c -> c.write(new byte[] {'1', '\t', 'a', 0, 'b', '\n'}),
                        CharacterNotInRepertoire.class, "invalid byte sequence for encoding \"UTF8\": 0x00"),
                new BadCopy("int2 overflow", "n int2", false, c -> {
                    c.writeRow(7);
                    c.writeRow(70000);
                },
                        NumericValueOutOfRange.class, "value \"70000\" is out of range for type smallint"),
                new BadCopy("numeric overflow", "n numeric(5,2)", false, c -> c.writeRow(new java.math.BigDecimal("12345.678")),
                        NumericValueOutOfRange.class, "numeric field overflow"),
                new BadCopy("date out of range", "d date", false, c -> c.write("2020-01-01\n5874898-01-01\n"),
                        DatetimeFieldOverflow.class, "date out of range: \"5874898-01-01\""),
                new BadCopy("binary: garbage signature", "n int, t text", true, c -> c.write("not a binary copy".getBytes()),
                        BadCopyFileFormat.class, "COPY file signature not recognized"),
                new BadCopy("binary: header cut short", "n int, t text", true,
                        c -> c.write(java.util.Arrays.copyOf(SIGNATURE, 8)),
                        BadCopyFileFormat.class, "COPY file signature not recognized"),
                new BadCopy("binary: wrong field count", "n int, t text", true, c -> {
                    c.write(SIGNATURE);
                    c.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}); // flags, header extension length
                    c.write(new byte[] {0, 3}); // three fields for two columns
                }, BadCopyFileFormat.class, "row field count is 3, expected 2"),
                new BadCopy("binary: truncated field", "n int, t text", true, c -> {
                    c.write(SIGNATURE);
                    c.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0});
                }, BadCopyFileFormat.class, "unexpected EOF in COPY data"));
        return Backends.crossed(cases.stream().map(Arguments::of));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("badCopies")
    void aBadCopyGivesAClearErrorStoresNothingAndLeavesTheConnectionUsable(PgBackend backend, BadCopy bad) {
        String table = "bad_" + backend.name() + "_" + Integer.toHexString(bad.name().hashCode());
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo())) {
            conn.setAutocommit(true);
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (" + bad.columns() + ")");
            conn.execute("INSERT INTO " + table + " DEFAULT VALUES"); // a row from before, which must survive alone
            String sql = "COPY " + table + " FROM STDIN" + (bad.binary() ? " (FORMAT BINARY)" : "");
            PqException e = assertThrows(PqException.class, () -> conn.cursor().copy(sql, copy -> bad.body().accept(copy)));
            assertInstanceOf(bad.error(), e, e::toString);
            assertTrue(e.getMessage().startsWith(bad.message()), e.getMessage());
            assertEquals(TransactionStatus.IDLE, conn.info().transactionStatus());
            assertEquals(1L, conn.execute("SELECT 1").fetchOne().getLong(0), "usable afterwards");
        }
        try (Connection other = Connection.connect(TestDatabase.conninfo())) {
            assertEquals(1L, other.execute("SELECT count(*) FROM " + table).fetchOne().getLong(0),
                    "nothing of the failed COPY was stored (only the row inserted before it)");
        }
    }

    /** psycopg's text, raised before anything of the row or query is sent. */
    private static final String NUL_IN_TEXT = "PostgreSQL text fields cannot contain NUL (0x00) bytes";

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aNulCharacterInATextValueIsRefusedAndNothingIsStored(PgBackend backend) {
        String table = "bad_nul_" + backend.name();
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo())) {
            conn.setAutocommit(true);
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (n int, t text)");
            PqException e = assertThrows(PqException.class, () -> conn.cursor().copy("COPY " + table + " FROM STDIN",
                    copy -> {
                        copy.writeRow(1, "fine");
                        copy.writeRow(2, "a\0b");
                    }));
            assertInstanceOf(DataException.class, e, e::toString);
            assertEquals(NUL_IN_TEXT, e.getMessage());
            PqException p = assertThrows(PqException.class, () -> conn.execute("SELECT %s::text", "a\0b"));
            assertInstanceOf(DataException.class, p, p::toString);
            assertEquals(NUL_IN_TEXT, p.getMessage());
            assertEquals(TransactionStatus.IDLE, conn.info().transactionStatus());
            assertEquals(0L, conn.execute("SELECT count(*) FROM " + table).fetchOne().getLong(0));
            assertEquals(1L, conn.execute("SELECT 1").fetchOne().getLong(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aHundredMegabyteFieldGoesThroughWhole(PgBackend backend) {
        String table = "big_field_" + backend.name();
        int size = 100_000_000;
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo())) {
            conn.setAutocommit(true);
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (n int, t text)");
            conn.cursor().copy("COPY " + table + " FROM STDIN", copy -> copy.writeRow(1, "x".repeat(size)));
            var row = conn.execute("SELECT length(t), md5(t) = md5(repeat('x', %s)) FROM " + table, size).fetchOne();
            assertEquals(size, row.getLong(0));
            assertTrue(row.getBoolean(1), "the same bytes");
            conn.execute("DROP TABLE " + table);
        }
    }

    static Stream<Arguments> badConninfos() {
        return Backends.crossed(Stream.of(
                Arguments.of("host='unterminated", ProgrammingException.class,
                        "unterminated quoted string in connection info string"),
                Arguments.of("nonsense", ProgrammingException.class,
                        "missing \"=\" after \"nonsense\" in connection info string"),
                Arguments.of("hostx=localhost", ProgrammingException.class,
                        "invalid connection option \"hostx\""),
                Arguments.of("postgresql://[::1", ProgrammingException.class,
                        "end of string reached when looking for matching \"]\" in IPv6 host address in URI:"
                                + " \"postgresql://[::1\""),
                Arguments.of("port=abc " + "host=127.0.0.1", OperationalException.class,
                        "connection failed: invalid integer value \"abc\" for connection option \"port\"")));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("badConninfos")
    void aMalformedConninfoGivesLibpqsMessage(PgBackend backend, String conninfo, Class<? extends PqException> error,
            String message) {
        PqException e = assertThrows(PqException.class, () -> Connection.connect(backend, conninfo).close());
        assertInstanceOf(error, e, e::toString);
        assertEquals(message, e.getMessage().strip());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void quotesInAConninfoValueStayInsideTheValue(PgBackend backend) {
        String hostile = "pq' host=evil.example options='-c search_path=evil";
        String quoted = "'" + hostile.replace("\\", "\\\\").replace("'", "\\'") + "'";
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo() + " application_name=" + quoted)) {
            var row = conn.execute("SELECT current_setting('application_name'), current_setting('search_path'),"
                    + " inet_server_addr() IS NULL").fetchOne();
            assertEquals(hostile, row.getString(0), "the whole value, nothing injected");
            assertEquals("\"$user\", public", row.getString(1));
            assertTrue(row.getBoolean(2), "still the Unix socket, not another host");
        }
    }

    /**
     * The server refuses a startup packet over 10,000 bytes by closing the socket. libpq, still
     * writing, reports the closed connection, followed by "could not send startup packet: ..." when
     * its write (rather than its next read) was the call that saw the close: a race, on both backends.
     */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aHugeConninfoValueFailsCleanly(PgBackend backend) {
        String huge = TestDatabase.conninfo() + " application_name=" + "a".repeat(1_000_000);
        PqException e = assertThrows(PqException.class, () -> Connection.connect(backend, huge).close());
        assertInstanceOf(OperationalException.class, e, e::toString);
        assertTrue(e.getMessage().startsWith("connection failed: connection to server on socket"), e.getMessage());
        assertTrue(e.getMessage().contains("server closed the connection unexpectedly"), e.getMessage());
    }

    /** libpq reads a C string, so the facade refuses a NUL rather than let the rest vanish. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aNulInAConninfoIsRefused(PgBackend backend) {
        String conninfo = TestDatabase.conninfo() + " application_name=a\0 host=evil";
        PqException e = assertThrows(PqException.class, () -> Connection.connect(backend, conninfo).close());
        assertInstanceOf(ProgrammingException.class, e, e::toString);
        assertEquals("the connection string contains a NUL character at offset " + conninfo.indexOf('\0')
                + ", which libpq cannot carry; remove it or use a different value", e.getMessage());
    }

    /** Below the facade both backends see what libpq sees: the string ends at the NUL. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theSpiReadsAConninfoUpToItsNul(PgBackend backend) {
        var options = backend.conninfoParse("application_name=a\0 host=evil");
        assertEquals(List.of("application_name=a"), options.stream()
                .filter(o -> o.value() != null).map(o -> o.keyword() + "=" + o.value()).toList());
    }
}
