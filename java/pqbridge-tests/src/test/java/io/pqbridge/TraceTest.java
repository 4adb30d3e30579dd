package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Connection#trace}: libpq's trace lines, with timestamps, into a file or a stream, from
 * the call until {@link Connection#untrace} or {@link Connection#close}; a stream that fails ends
 * the trace and leaves the connection working.
 */
class TraceTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";
    /** A timestamp as libpq writes it, then direction, length, message and fields. */
    private static final Pattern LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\t[FB]\t\\d+\t[A-Za-z]+(\t.*)?");

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aFileGetsTheConversationFromTraceToUntrace(PgBackend backend, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("session.trace");
        Files.writeString(file, "an earlier line\n");
        try (Connection conn = Db.autocommit(backend)) {
            conn.execute("SELECT 'before'");
            conn.trace(file);
            assertEquals(42, conn.execute("SELECT 42").fetchOne().get(0));
            conn.untrace();
            conn.execute("SELECT 'after'");
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("an earlier line", lines.get(0), "appended");
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(LINE.matcher(line).matches(), line);
        }
        assertTrue(lines.get(1).endsWith("\tF\t14\tQuery\t \"SELECT 42\""), lines.get(1));
        assertTrue(lines.get(lines.size() - 1).endsWith("\tB\t5\tReadyForQuery\t I"), lines.toString());
        assertFalse(String.join("\n", lines).contains("before") || String.join("\n", lines).contains("after"),
                lines.toString());
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aDirectoryInTheSystemPropertyGetsATraceOfEveryConnection(PgBackend backend, @TempDir Path dir)
            throws IOException {
        System.setProperty("pqbridge.trace.dir", dir.toString());
        try {
            Db.autocommit(backend).close();
            try (Connection conn = Db.autocommit(backend)) {
                conn.execute("SELECT 'traced'");
            }
        } finally {
            System.clearProperty("pqbridge.trace.dir");
        }
        List<Path> files;
        try (var listing = Files.list(dir)) {
            files = listing.sorted().collect(Collectors.toList());
        }
        assertEquals(2, files.size(), files.toString());
        String pid = String.valueOf(ProcessHandle.current().pid());
        for (Path file : files) {
            assertTrue(file.getFileName().toString().matches("pqbridge-" + pid + "-\\d+\\.trace"), file.toString());
            String text = Files.readString(file);
            assertTrue(text.endsWith("\tF\t4\tTerminate\n"), text);
        }
        String both = Files.readString(files.get(0)) + Files.readString(files.get(1));
        assertTrue(both.contains("\tF\t20\tQuery\t \"SELECT 'traced'\"\n"), both);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void closingTheConnectionEndsTheTraceWithItsTerminate(PgBackend backend) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Connection conn = Db.autocommit(backend);
        conn.trace(out);
        conn.close();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\tF\t4\tTerminate\n"), text);
        int length = text.length();
        conn.untrace();
        conn.trace(out);
        assertEquals(length, out.size(), "tracing a closed connection is accepted and writes nothing");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aFailingStreamEndsTheTraceNotTheConnection(PgBackend backend) {
        int[] writes = {0};
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writes[0]++;
                throw new IOException("disk full");
            }
        };
        OutputStream failingUnchecked = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes[0]++;
                throw new IllegalStateException("a stream's own bug");
            }
        };
        try (Connection conn = Db.autocommit(backend)) {
            for (OutputStream stream : List.of(failing, failingUnchecked)) {
                writes[0] = 0;
                conn.trace(stream);
                // more lines than a pipe holds (the native backend's trace goes through one)
                for (int i = 0; i < 300; i++) {
                    assertEquals(i, conn.execute("SELECT %s::int", i).fetchOne().get(0));
                }
                conn.untrace();
                assertEquals(1, writes[0], "the first failure ended the trace");
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aFileThatCannotBeOpenedIsRefusedAndTheConnectionGoesOn(PgBackend backend, @TempDir Path dir) {
        try (Connection conn = Db.autocommit(backend)) {
            Path nowhere = dir.resolve("missing").resolve("session.trace");
            OperationalException e = assertThrows(OperationalException.class, () -> conn.trace(nowhere));
            assertTrue(e.getMessage().startsWith("cannot trace into " + nowhere + ": "), e.getMessage());
            assertEquals(1, conn.execute("SELECT 1").fetchOne().get(0));
        }
    }
}
