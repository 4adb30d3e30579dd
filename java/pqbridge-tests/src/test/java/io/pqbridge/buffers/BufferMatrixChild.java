package io.pqbridge.buffers;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.Pq;
import io.pqbridge.test.BufferKind;
import io.pqbridge.test.Fill;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The child JVM of {@link BufferMatrixTest}: calls every SPI and facade method that takes a
 * {@code ByteBuffer} with every {@link BufferKind} at every {@link Fill}, on the backend of
 * {@code -Dpqbridge.impl}, and writes one line per case (case, outcome) to the file named by its
 * second argument. An outcome names the return value, the buffer's position and limit and
 * contents afterwards, what the server stored or sent, and whether the connection still answers
 * {@code SELECT 1}; or the exception class. A JVM crash kills only this process.
 *
 * <p>Array and stream arguments are covered by {@link ArrayAndStreamCases}.
 */
final class BufferMatrixChild {

    static final String DONE = "MATRIX DONE";

    /** 16 rows of 4 bytes: the COPY IN source, and what the COPY OUT query sends (one message per row). */
    static final byte[] ROWS = rows();
    static final String COPY_IN = "COPY m (line) FROM STDIN";
    static final String COPY_OUT = "COPY (SELECT 'r' || lpad(g::text, 2, '0') FROM generate_series(0, 15) g) TO STDOUT";
    /** What a destination holds before a read, so bytes written outside the window show. */
    private static final byte UNTOUCHED = '*';

    private final String conninfo;
    private final Path scratch;

    private BufferMatrixChild(String conninfo, Path scratch) {
        this.conninfo = conninfo;
        this.scratch = scratch;
    }

    public static void main(String[] args) throws IOException {
        Path scratch = Files.createTempDirectory("buffer-matrix");
        scratch.toFile().deleteOnExit(); // registered before its files, so deleted after them
        BufferMatrixChild child = new BufferMatrixChild(args[0], scratch);
        List<String> lines = new ArrayList<>();
        child.run(lines);
        new ArrayAndStreamCases(args[0]).run(lines);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1])))) {
            lines.forEach(out::println);
        }
        System.out.println(DONE + " " + lines.size() + " cases on " + Pq.backend().name());
    }

    private void run(List<String> lines) {
        for (BufferKind kind : BufferKind.values()) {
            for (Fill fill : Fill.values()) {
                String suffix = "\t" + kind + "\t" + fill;
                lines.add("spi.putCopyData(ByteBuffer)" + suffix + "\t" + outcome(() -> spiPut(source(kind, fill))));
                lines.add("spi.getCopyData(ByteBuffer,int[])" + suffix + "\t"
                        + outcome(() -> spiGet(destination(kind, fill))));
                lines.add("Copy.write(ByteBuffer)" + suffix + "\t" + outcome(() -> facadeWrite(source(kind, fill))));
                lines.add("Copy.readInto(ByteBuffer)" + suffix + "\t"
                        + outcome(() -> facadeReadInto(destination(kind, fill))));
            }
        }
    }

    // ---- the cases --------------------------------------------------------------------------------

    private String spiPut(ByteBuffer source) {
        try (PgConn conn = Pq.connect(conninfo)) {
            prepareTable(conn);
            exec(conn, COPY_IN);
            String result;
            try {
                result = "ret=" + conn.putCopyData(source) + " " + describe(source);
            } finally {
                conn.putCopyEnd(null);
                drainResults(conn);
            }
            return result + " stored=" + stored(conn) + usable(conn);
        }
    }

    private String spiGet(ByteBuffer dst) {
        try (PgConn conn = Pq.connect(conninfo)) {
            exec(conn, COPY_OUT);
            String result;
            try {
                result = "ret=" + conn.getCopyData(dst, new int[16]) + " " + describe(dst);
            } finally {
                drainCopyOut(conn);
            }
            return result + usable(conn);
        }
    }

    private String facadeWrite(ByteBuffer source) {
        try (Connection conn = Connection.connect(Pq.backend(), conninfo)) {
            conn.setAutocommit(true);
            conn.execute("CREATE TEMP TABLE m (id serial, line text)");
            String result;
            try {
                conn.cursor().copy(COPY_IN, copy -> copy.write(source));
                result = "ok " + describe(source);
            } catch (RuntimeException e) {
                result = "throws " + e.getClass().getSimpleName() + " " + describe(source);
            }
            return result + " stored=" + conn.execute(STORED).fetchOne().get(0) + usable(conn);
        }
    }

    private String facadeReadInto(ByteBuffer dst) {
        try (Connection conn = Connection.connect(Pq.backend(), conninfo)) {
            conn.setAutocommit(true);
            String result;
            try (Copy copy = conn.cursor().copy(COPY_OUT)) {
                result = "ret=" + copy.readInto(dst) + " " + describe(dst);
                while (copy.read().length > 0) {
                    // to the end, so the connection is idle again
                }
                copy.finish();
            } catch (RuntimeException e) {
                result = "throws " + e.getClass().getSimpleName() + " " + describe(dst);
            }
            return result + usable(conn);
        }
    }

    // ---- buffers ------------------------------------------------------------------------------------

    /** A source: the rows at the fill's window (row boundaries, so the COPY data stays valid). */
    private ByteBuffer source(BufferKind kind, Fill fill) {
        byte[] contents = fill == Fill.EMPTY ? new byte[0] : ROWS;
        return fill.apply(kind.make(contents, scratch), 8, ROWS.length - 8, contents.length);
    }

    /** A destination full of {@link #UNTOUCHED}; EXACT leaves room for exactly one message. */
    private ByteBuffer destination(BufferKind kind, Fill fill) {
        int capacity = switch (fill) {
            case EMPTY -> 0;
            case EXACT -> 4;
            default -> 64;
        };
        byte[] contents = new byte[capacity];
        java.util.Arrays.fill(contents, UNTOUCHED);
        ByteBuffer b = kind.make(contents, scratch);
        return fill.apply(b, 6, 58, capacity);
    }

    /** Position, limit, and every byte of the buffer (read through a duplicate, so read-only ones too). */
    static String describe(ByteBuffer b) {
        ByteBuffer all = b.duplicate().clear();
        byte[] bytes = new byte[all.remaining()];
        all.get(bytes);
        return "pos=" + b.position() + " lim=" + b.limit() + " bytes=" + printable(bytes);
    }

    static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte x : bytes) {
            s.append(x >= 0x21 && x < 0x7f ? String.valueOf((char) x) : x == '\n' ? "|" : "%" + HexFormat.of().toHexDigits(x));
        }
        return s.toString();
    }

    // ---- SPI helpers ----------------------------------------------------------------------------------

    static final String STORED = "SELECT coalesce(string_agg(line, ',' ORDER BY id), '') || ' (' || count(*) || ' rows)' FROM m";

    private static void prepareTable(PgConn conn) {
        exec(conn, "CREATE TEMP TABLE m (id serial, line text)");
        drainResults(conn);
    }

    private static void exec(PgConn conn, String sql) {
        if (!conn.sendQuery(sql)) {
            throw new IllegalStateException("sending failed: " + conn.errorMessage());
        }
        if (!sql.startsWith("COPY")) {
            drainResults(conn);
        } else {
            PgResult r = conn.getResult();
            if (r == null || !r.status().name().startsWith("COPY")) {
                throw new IllegalStateException("no COPY: " + (r == null ? "null" : r.errorMessage()));
            }
        }
    }

    private static void drainResults(PgConn conn) {
        while (conn.getResult() != null) {
            // each result of the command, to the last
        }
    }

    private static void drainCopyOut(PgConn conn) {
        ByteBuffer sink = ByteBuffer.allocateDirect(1 << 16);
        int[] lengths = new int[64];
        int r;
        do {
            r = conn.getCopyData(sink.clear(), lengths);
        } while (r > 0 || r == PgConn.COPY_BUFFER_TOO_SMALL && conn.pendingCopyDataLength() <= sink.capacity());
        drainResults(conn);
    }

    private static String stored(PgConn conn) {
        conn.sendQuery(STORED);
        PgResult r = conn.getResult();
        drainResults(conn);
        return r.ntuples() == 1 ? r.text(0, 0) : "(error " + r.errorMessage().strip() + ")";
    }

    static String usable(PgConn conn) {
        conn.sendQuery("SELECT 1");
        PgResult r = conn.getResult();
        drainResults(conn);
        return r != null && r.ntuples() == 1 ? " usable" : " UNUSABLE";
    }

    static String usable(Connection conn) {
        try {
            return conn.execute("SELECT 1").fetchOne().getInt(0) == 1 ? " usable" : " UNUSABLE";
        } catch (RuntimeException e) {
            return " UNUSABLE " + e.getClass().getSimpleName();
        }
    }

    /** Runs a case; an exception escaping it is part of its outcome (class only: texts may differ). */
    static String outcome(java.util.function.Supplier<String> body) {
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            return "throws " + e.getClass().getSimpleName();
        }
    }

    private static byte[] rows() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            s.append(String.format("r%02d\n", i));
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
