package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DatabaseException;
import io.pqbridge.errors.Errors;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.PqException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Copy API: data paths, chunking, the open form, cursor state, misuse and refusals. */
@Tag("server-matrix")
class CopyTest {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private static Connection connect(Recording rec) {
        return Connection.connect(rec, TestDatabase.conninfo());
    }

    private static List<String> texts(Connection conn, String table) {
        List<String> out = new ArrayList<>();
        for (Row row : conn.execute("SELECT s FROM " + table + " ORDER BY n")) {
            out.add(row.getString(0));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void exceptionExitSendsCopyFailAndDropsBufferedRows(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = connect(rec)) {
            conn.setAutocommit(true);
            conn.execute("CREATE TEMP TABLE t (n int)");
            assertThrows(IllegalStateException.class, () -> conn.cursor().copy("COPY t FROM STDIN", copy -> {
                copy.writeRow(1);
                throw new IllegalStateException("boom");
            }));
            assertThrows(IllegalStateException.class, () -> conn.cursor().copy("COPY t FROM STDIN", copy -> {
                throw new IllegalStateException();
            }));
            try (Copy copy = conn.cursor().copy("COPY t FROM STDIN")) {
                copy.writeRow(2);
            }
            assertEquals(List.of("error from Java: IllegalStateException - boom",
                    "error from Java: IllegalStateException - ", "error from Java: Copy.close() without finish()"),
                    rec.copyEnds);
            assertEquals(List.of(), rec.copyChunks, "buffered rows are dropped, not sent");
            assertEquals(0, conn.execute("SELECT count(*) FROM t").fetchOne().getLong(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void rowsGoInChunksOfAbout32KiBAndNeverMoreThan128KiB(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = connect(rec)) {
            conn.execute("CREATE TEMP TABLE t (n int, s text)");
            String filler = "x".repeat(50);
            Cursor cur = conn.cursor();
            cur.copy("COPY t FROM STDIN", copy -> {
                for (int i = 0; i < 20000; i++) {
                    copy.writeRow(i, filler);
                }
            });
            assertEquals(20000, cur.rowCount());
            List<Integer> chunks = new ArrayList<>(rec.copyChunks);
            assertTrue(chunks.size() > 10, chunks::toString);
            for (int i = 0; i < chunks.size() - 1; i++) {
                assertTrue(chunks.get(i) > 32 * 1024 && chunks.get(i) < 33 * 1024, chunks::toString);
            }
            long expected = 0;
            for (int i = 0; i < 20000; i++) {
                expected += String.valueOf(i).length() + 1 + filler.length() + 1;
            }
            assertEquals(expected, chunks.stream().mapToLong(Integer::longValue).sum());

            rec.copyChunks.clear();
            byte[] big = new byte[1024 * 1024 + 10];
            byte[] row = "1\tabcdefghi\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i + row.length <= big.length; i += row.length) {
                System.arraycopy(row, 0, big, i, row.length);
            }
            int used = big.length / row.length * row.length;
            cur.copy("COPY t FROM STDIN", copy -> copy.write(big, 0, used));
            assertTrue(rec.copyChunks.stream().allMatch(n -> n <= 128 * 1024), rec.copyChunks::toString);
            assertEquals(used, rec.copyChunks.stream().mapToInt(Integer::intValue).sum());
            assertEquals(9, rec.copyChunks.size());

            rec.copyChunks.clear();
            String huge = "y".repeat(300_000);
            cur.copy("COPY t FROM STDIN", copy -> copy.writeRow(1, huge));
            assertEquals(List.of(128 * 1024, 128 * 1024, "1\t".length() + 300_000 + 1 - 256 * 1024), rec.copyChunks);
            assertEquals(300_000, conn.execute("SELECT max(length(s)) FROM t").fetchOne().getInt(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void rawWritesInEveryShape(PgBackend backend) throws Exception {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE t (n int, s text)");
            Cursor cur = conn.cursor();
            cur.copy("COPY t FROM STDIN", copy -> {
                copy.write("1\tone\n".getBytes(StandardCharsets.UTF_8));
                byte[] padded = "xx2\ttwo\nxx".getBytes(StandardCharsets.UTF_8);
                copy.write(padded, 2, padded.length - 4);
                copy.writeRow(3, "three");
                copy.write("4\tfour\n");
                copy.write(ByteBuffer.wrap("5\tfive\n".getBytes(StandardCharsets.UTF_8)));
                ByteBuffer direct = ByteBuffer.allocateDirect(16);
                direct.put("6\tsix\n".getBytes(StandardCharsets.UTF_8)).flip();
                copy.write(direct);
                assertFalse(direct.hasRemaining(), "the buffer is consumed");
                try (OutputStream os = copy.asOutputStream()) {
                    os.write('7');
                    os.write("\tseven\n8\tei".getBytes(StandardCharsets.UTF_8));
                    os.write("ght\n".getBytes(StandardCharsets.UTF_8));
                }
                copy.write(new byte[0]);
            });
            assertEquals(8, cur.rowCount());
            assertEquals(List.of("one", "two", "three", "four", "five", "six", "seven", "eight"), texts(conn, "t"));

            String data = "9\tnine\n10\tten\n";
            assertEquals(2, cur.copyIn("COPY t FROM STDIN", new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8))));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(10, cur.copyOut("COPY (SELECT * FROM t ORDER BY n) TO STDOUT", out));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("1\tone\n2\ttwo\n"), out::toString);
            assertTrue(out.toString(StandardCharsets.UTF_8).endsWith(data), out::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void readPathsAgree(PgBackend backend) throws Exception {
        String sql = "COPY (SELECT g, repeat('z', g % 50) FROM generate_series(1, 5000) g) TO STDOUT";
        try (Connection conn = Db.connect(backend)) {
            ByteArrayOutputStream byRead = new ByteArrayOutputStream();
            int[] messages = {0};
            conn.cursor().copy(sql, copy -> {
                for (byte[] message : copy) {
                    assertEquals('\n', message[message.length - 1], "one row per message");
                    byRead.write(message);
                    messages[0]++;
                }
            });
            assertEquals(5000, messages[0]);
            byte[] expected = byRead.toByteArray();

            for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocateDirect(8192), ByteBuffer.allocate(8192)}) {
                ByteArrayOutputStream byReadInto = new ByteArrayOutputStream();
                Cursor cur = conn.cursor();
                cur.copy(sql, copy -> {
                    for (int n; (n = copy.readInto(buffer.clear())) >= 0;) {
                        assertEquals(n, buffer.position());
                        byte[] chunk = new byte[n];
                        buffer.flip().get(chunk);
                        byReadInto.write(chunk);
                    }
                    assertEquals(-1, copy.readInto(buffer.clear()), "-1 forever after");
                });
                assertEquals(5000, cur.rowCount());
                assertArrayEquals(expected, byReadInto.toByteArray(), buffer.isDirect() ? "direct" : "heap");
            }

            ByteArrayOutputStream byStream = new ByteArrayOutputStream();
            conn.cursor().copy(sql, copy -> {
                try (InputStream in = copy.asInputStream()) {
                    byte[] odd = new byte[7];
                    for (int n; (n = in.read(odd)) >= 0;) {
                        byStream.write(odd, 0, n);
                    }
                    assertEquals(-1, in.read());
                }
            });
            assertArrayEquals(expected, byStream.toByteArray());

            int[] rows = {0};
            conn.cursor().copy(sql, copy -> {
                for (Object[] row : copy.rows()) {
                    rows[0]++;
                    assertEquals(String.valueOf(rows[0]), row[0]);
                    assertEquals("z".repeat(rows[0] % 50), row[1]);
                }
                assertNull(copy.readRow());
            });
            assertEquals(5000, rows[0]);
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void readIntoRefusesABufferSmallerThanTheNextMessage(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            for (ByteBuffer small : new ByteBuffer[] {ByteBuffer.allocateDirect(10), ByteBuffer.allocate(10)}) {
                conn.cursor().copy("COPY (SELECT repeat('a', 100)) TO STDOUT", copy -> {
                    ProgrammingException e = assertThrows(ProgrammingException.class, () -> copy.readInto(small));
                    assertTrue(e.getMessage().startsWith("the next COPY message is 101 bytes, more than the 10 bytes"),
                            e.getMessage());
                    ByteBuffer large = ByteBuffer.allocate(200);
                    assertEquals(101, copy.readInto(large), "the message stayed pending");
                    assertEquals(-1, copy.readInto(large));
                });
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void binaryCopyOutHasHeaderAndTrailerAndReadRowReadsTheEnd(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            List<byte[]> messages = new ArrayList<>();
            conn.cursor().copy("COPY (VALUES (1), (2)) TO STDOUT (FORMAT BINARY)", copy -> {
                assertTrue(copy.isBinary());
                assertTrue(copy.isCopyOut());
                for (byte[] m : copy) {
                    messages.add(m);
                }
            });
            assertEquals(3, messages.size());
            assertArrayEquals(SIGNATURE, Arrays.copyOf(messages.get(0), SIGNATURE.length));
            assertEquals(19 + 2 + 4 + 4, messages.get(0).length);
            assertArrayEquals(new byte[] {-1, -1}, messages.get(2));

            Cursor cur = conn.cursor();
            cur.copy("COPY (VALUES (1, 'a'), (NULL, 'b')) TO STDOUT (FORMAT BINARY)", copy -> {
                Object[] first = copy.readRow();
                assertArrayEquals(new byte[] {0, 0, 0, 1}, (byte[]) first[0], "unparsed without setTypes");
                copy.setTypes("int4", "text");
                assertArrayEquals(new Object[] {null, "b"}, copy.readRow());
                assertNull(copy.readRow());
                assertNotEquals(TransactionStatus.ACTIVE, Db.status(conn), "the trailer made readRow read the end");
            });
            assertEquals(2, cur.rowCount());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theOpenForm(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.setAutocommit(true);
            conn.execute("CREATE TEMP TABLE t (n int)");
            Cursor cur = conn.cursor();
            try (Copy copy = cur.copy("COPY t FROM STDIN")) {
                copy.writeRow(1);
                copy.writeRow(2);
                copy.finish();
            }
            assertEquals(2, cur.rowCount());
            try (Copy copy = cur.copy("COPY t FROM STDIN")) {
                copy.writeRow(3);
            }
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertEquals(2, conn.execute("SELECT count(*) FROM t").fetchOne().getLong(0));

            try (Copy copy = cur.copy(CopyOutcomeTest.BIG_OUT)) {
                copy.read();
            }
            assertEquals(TransactionStatus.IDLE, Db.status(conn), "close() cancelled and drained");

            Copy copy = cur.copy("COPY t FROM STDIN");
            copy.finish(new IllegalStateException("explicit exception exit"));
            copy.close();
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void misuseOfAFinishedCopy(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE t (n int)");
            Copy in = conn.cursor().copy("COPY t FROM STDIN");
            in.writeRow(1);
            in.finish();
            ProgrammingException again = assertThrows(ProgrammingException.class, in::finish);
            assertEquals("copy blocks can be used only once", again.getMessage());
            assertThrows(ProgrammingException.class, () -> in.finish(new IllegalStateException()));
            in.close(); // nothing after finish()
            OperationalException write = assertThrows(OperationalException.class, () -> in.writeRow(2));
            assertTrue(write.getMessage().startsWith("sending copy data failed: no COPY in progress"), write.getMessage());
            assertThrows(OperationalException.class, () -> in.write("2\n"));
            OperationalException read = assertThrows(OperationalException.class, in::read);
            assertTrue(read.getMessage().startsWith("receiving copy data failed: no COPY in progress"), read.getMessage());
            assertThrows(ProgrammingException.class, in::cancel);
            assertThrows(ProgrammingException.class, in::asInputStream);

            AtomicReference<Copy> out = new AtomicReference<>();
            conn.cursor().copy("COPY (SELECT 1) TO STDOUT", copy -> {
                out.set(copy);
                assertThrows(OperationalException.class, () -> copy.writeRow(1));
                assertThrows(ProgrammingException.class, copy::asOutputStream);
                while (copy.read().length > 0) {
                    // to the end
                }
            });
            for (int i = 0; i < 3; i++) {
                assertEquals(0, out.get().read().length, "the end marker, forever");
                assertNull(out.get().readRow());
                assertEquals(-1, out.get().readInto(ByteBuffer.allocateDirect(16)));
            }
            assertThrows(ProgrammingException.class, () -> out.get().finish());
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void cursorStateAroundACopy(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            Cursor cur = conn.cursor();
            cur.copy("COPY (SELECT 1, 2) TO STDOUT", copy -> {
                assertEquals(TransactionStatus.ACTIVE, Db.status(conn));
                assertEquals(-1, cur.rowCount());
                assertNull(cur.statusMessage());
                assertEquals(List.of("column_1 0", "column_2 0"), cur.description().stream()
                        .map(c -> c.name() + " " + c.typeCode()).toList());
                ProgrammingException e = assertThrows(ProgrammingException.class, cur::fetchOne);
                assertEquals("the last operation didn't produce records (result status: COPY_OUT)", e.getMessage());
                while (copy.read().length > 0) {
                    // to the end
                }
            });
            assertEquals(1, cur.rowCount());
            assertNull(cur.statusMessage());
            assertEquals(2, cur.description().size());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void statementsThatAreNotOneCopy(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            ProgrammingException select = assertThrows(ProgrammingException.class,
                    () -> conn.cursor().copy("SELECT 1", copy -> {
                    }));
            assertEquals("copy() should be used only with COPY ... TO STDOUT or COPY ... FROM STDIN statements, got"
                    + " TUPLES_OK", select.getMessage());
            assertTrue(Db.selectOneWorks(conn));

            DatabaseException syntax = assertThrows(DatabaseException.class, () -> conn.cursor().copy("COPY nonsense",
                    copy -> {
                    }));
            assertInstanceOf(Errors.lookup("42601"), syntax);
            conn.rollback();
            assertTrue(Db.selectOneWorks(conn));

            ProgrammingException after = assertThrows(ProgrammingException.class,
                    () -> conn.cursor().copy("COPY (SELECT 1) TO STDOUT; SELECT 2", copy -> {
                        while (copy.read().length > 0) {
                            // the extra result shows at the end
                        }
                    }));
            assertEquals("you cannot mix COPY with other operations", after.getMessage());
            assertTrue(Db.selectOneWorks(conn), "usable: every result was read");

            ProgrammingException before = assertThrows(ProgrammingException.class,
                    () -> conn.cursor().copy("SELECT 1; COPY (SELECT 1) TO STDOUT", copy -> {
                    }));
            assertEquals("COPY cannot be mixed with other operations", before.getMessage());
            assertEquals(TransactionStatus.ACTIVE, Db.status(conn), "psycopg leaves it in COPY mode");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void parametersAreMergedAsLiteralsAndSentWithTheSimpleProtocol(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = connect(rec)) {
            conn.setAutocommit(true);
            List<Object[]> rows = new ArrayList<>();
            conn.cursor().copy("COPY (SELECT %s::text, %s::int, '100%%') TO STDOUT", new Object[] {"it's", null},
                    copy -> copy.rows().forEach(rows::add));
            conn.cursor().copy("COPY (SELECT %(a)s::text, %(b)s::int) TO STDOUT", Map.of("a", "x\\y", "b", 5),
                    copy -> copy.rows().forEach(rows::add));
            try (Copy copy = conn.cursor().copy("COPY (SELECT %s) TO STDOUT", 42L)) {
                copy.rows().forEach(rows::add);
                copy.finish();
            }
            assertEquals(List.of("COPY (SELECT 'it''s'::text, NULL::int, '100%') TO STDOUT",
                    "COPY (SELECT  E'x\\\\y'::text, 5::int) TO STDOUT", "COPY (SELECT 42) TO STDOUT"), rec.take());
            assertArrayEquals(new Object[] {"it's", null, "100%"}, rows.get(0));
            assertArrayEquals(new Object[] {"x\\y", "5"}, rows.get(1));
            assertArrayEquals(new Object[] {"42"}, rows.get(2));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void binaryCopyInNeedsTheExactTypes(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.setAutocommit(true);
            conn.execute("CREATE TEMP TABLE t (n int4, s text)");
            DatabaseException e = assertThrows(DatabaseException.class,
                    () -> conn.cursor().copy("COPY t FROM STDIN (FORMAT BINARY)", copy -> copy.writeRow(100L, "a")));
            assertNotNullSqlstate(e);
            assertEquals(TransactionStatus.IDLE, Db.status(conn));

            Cursor cur = conn.cursor();
            cur.copy("COPY t FROM STDIN (FORMAT BINARY)", copy -> {
                copy.setTypes("int4", "text");
                copy.writeRow(100L, "a");
                copy.writeRow(List.of(200, "b"));
                ProgrammingException text = assertThrows(ProgrammingException.class, () -> copy.write("3\tc\n"));
                assertEquals("cannot copy str data in binary mode: use bytes instead", text.getMessage());
            });
            assertEquals(2, cur.rowCount());
            cur.copy("COPY t FROM STDIN (FORMAT BINARY)", copy -> {
            });
            assertEquals(0, cur.rowCount(), "nothing written: header and trailer alone");
            assertEquals(300, conn.execute("SELECT sum(n) FROM t").fetchOne().getLong(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void setTypesOnCopyOut(PgBackend backend) {
        for (String format : new String[] {"TEXT", "BINARY"}) {
            try (Connection conn = Db.connect(backend)) {
                conn.cursor().copy("COPY (SELECT 1::int4, 2.5::numeric, '{1,NULL}'::int4[]) TO STDOUT (FORMAT "
                        + format + ")", copy -> {
                            copy.setTypes("int4", "numeric", "int4[]");
                            Object[] row = copy.readRow();
                            assertEquals(1, row[0]);
                            assertEquals(new java.math.BigDecimal("2.5"), row[1]);
                            assertEquals(Arrays.asList(1, null), row[2]);
                            assertNull(copy.readRow());
                        });
                assertThrows(ProgrammingException.class, () -> conn.cursor().copy("COPY (SELECT 1, 2, 3) TO STDOUT"
                        + " (FORMAT " + format + ")", copy -> {
                            copy.setTypes("int4", "int4");
                            copy.readRow();
                        }));
                conn.rollback();
                assertTrue(Db.selectOneWorks(conn));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aRowThatFailsToConvertLeavesNothingBehind(PgBackend backend) {
        for (String format : new String[] {"TEXT", "BINARY"}) {
            try (Connection conn = Db.connect(backend)) {
                conn.execute("CREATE TEMP TABLE t (n int4, s text)");
                Cursor cur = conn.cursor();
                cur.copy("COPY t FROM STDIN (FORMAT " + format + ")", copy -> {
                    copy.setTypes("int4", "text");
                    copy.writeRow(1, "one");
                    assertThrows(PqException.class, () -> copy.writeRow(2, new Object()));
                    assertThrows(PqException.class, () -> copy.writeRow(3, "a\0b"));
                    copy.writeRow(4, "four");
                });
                assertEquals(2, cur.rowCount());
                assertEquals(List.of("one", "four"), texts(conn, "t"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectionClosedInsideACopyBlock(PgBackend backend) {
        Connection in = Db.connect(backend);
        in.execute("CREATE TEMP TABLE t (n int)");
        OperationalException e = assertThrows(OperationalException.class, () -> in.cursor().copy("COPY t FROM STDIN",
                copy -> {
                    copy.writeRow(1);
                    in.close();
                }));
        assertEquals("the connection is closed", e.getMessage());

        Connection out = Db.connect(backend);
        out.cursor().copy(CopyOutcomeTest.BIG_OUT, copy -> {
            copy.read();
            out.close();
        });
        Connection out2 = Db.connect(backend);
        IllegalStateException mine = assertThrows(IllegalStateException.class, () -> out2.cursor().copy(
                CopyOutcomeTest.BIG_OUT, copy -> {
                    copy.read();
                    out2.close();
                    throw new IllegalStateException("mine");
                }));
        assertEquals("mine", mine.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void textEscapesNullsAndNonAsciiRoundTrip(PgBackend backend) {
        List<String> values = Arrays.asList("plain", "", null, "\\N", "N", "tab\there", "new\nline", "cr\rlf",
                "back\\slash", "bs\bvt\u000bff\f", "\\\\", "é€😀 ünïcödé", "\u0001\u001f control", "end\\");
        for (String format : new String[] {"TEXT", "BINARY"}) {
            try (Connection conn = Db.connect(backend)) {
                conn.execute("CREATE TEMP TABLE t (n int4, s text)");
                conn.cursor().copy("COPY t FROM STDIN (FORMAT " + format + ")", copy -> {
                    copy.setTypes("int4", "text");
                    for (int i = 0; i < values.size(); i++) {
                        copy.writeRow(i, values.get(i));
                    }
                });
                for (int i = 0; i < values.size(); i++) {
                    Row row = conn.execute("SELECT s, s IS NULL FROM t WHERE n = %s", i).fetchOne();
                    assertEquals(values.get(i), row.get(0), format + " stored value " + i);
                    assertEquals(values.get(i) == null, row.getBoolean(1));
                }
                List<Object> read = new ArrayList<>();
                conn.cursor().copy("COPY (SELECT s FROM t ORDER BY n) TO STDOUT (FORMAT " + format + ")", copy -> {
                    copy.setTypes("text");
                    for (Object[] row : copy.rows()) {
                        read.add(row[0]);
                    }
                });
                assertEquals(values, read, format);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void readIntoAllocatesLessThanAByteAPerRow(PgBackend backend) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        int rows = 500_000;
        try (Connection conn = Db.connect(backend)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            long[] measured = new long[2];
            conn.cursor().copy("COPY (SELECT g FROM generate_series(1, " + rows + ") g) TO STDOUT", copy -> {
                copy.readInto(buffer.clear()); // warm up: the first batch may size internal buffers
                long before = threads.getCurrentThreadAllocatedBytes();
                long bytes = 0;
                for (int n; (n = copy.readInto(buffer.clear())) >= 0;) {
                    bytes += n;
                }
                measured[0] = threads.getCurrentThreadAllocatedBytes() - before;
                measured[1] = bytes;
            });
            assertTrue(measured[1] > rows * 6L, "read " + measured[1] + " bytes");
            assertTrue(measured[0] < rows, measured[0] + " bytes allocated for " + rows + " rows");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void serverTerminationDuringCopyBreaksTheConnection(PgBackend backend) {
        for (boolean out : new boolean[] {true, false}) {
            try (Connection conn = Db.connect(backend)) {
                conn.execute("CREATE TEMP TABLE t (n int, s text)");
                int pid = conn.info().backendPid();
                OperationalException e = assertThrows(OperationalException.class, () -> conn.cursor().copy(
                        out ? CopyOutcomeTest.BIG_OUT : "COPY t FROM STDIN", copy -> {
                            for (int i = 0;; i++) {
                                if (out) {
                                    copy.read();
                                } else {
                                    copy.writeRow(i, "some text");
                                }
                                if (i == 100) {
                                    Db.scalar(backend, "SELECT pg_terminate_backend(" + pid + ")");
                                }
                            }
                        }));
                if (e.sqlstate() != null) {
                    assertInstanceOf(Errors.lookup("admin_shutdown"), e, e::toString);
                    assertEquals("terminating connection due to administrator command", e.diag().messagePrimary());
                }
                assertTrue(conn.isClosed(), e::toString);
                assertTrue(conn.isBroken(), e::toString);
                assertEquals(TransactionStatus.UNKNOWN, Db.status(conn));
            }
        }
    }

    private static void assertNotNullSqlstate(PqException e) {
        assertTrue(e.sqlstate() != null && e.sqlstate().length() == 5, () -> "sqlstate of " + e);
    }
}
