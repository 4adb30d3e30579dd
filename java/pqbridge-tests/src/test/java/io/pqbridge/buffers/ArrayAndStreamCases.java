package io.pqbridge.buffers;

import static io.pqbridge.buffers.BufferMatrixChild.COPY_IN;
import static io.pqbridge.buffers.BufferMatrixChild.COPY_OUT;
import static io.pqbridge.buffers.BufferMatrixChild.ROWS;
import static io.pqbridge.buffers.BufferMatrixChild.STORED;
import static io.pqbridge.buffers.BufferMatrixChild.outcome;
import static io.pqbridge.buffers.BufferMatrixChild.printable;
import static io.pqbridge.buffers.BufferMatrixChild.usable;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.Pq;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The array-with-range and stream arguments of the SPI and the facade, for {@link BufferMatrixChild}:
 * every range kind (empty, inside, whole, at the end, and the invalid ones) for every method that
 * takes {@code (byte[], int, int)}, and well-behaved, trickling and failing streams for
 * {@code copyIn} and {@code copyOut}.
 */
final class ArrayAndStreamCases {

    /** An array argument with its offset and length; {@code data == null} is the null array. */
    private record Range(String name, byte[] data, int offset, int length) {
    }

    private static final List<Range> RANGES = List.of(
            new Range("EMPTY", new byte[0], 0, 0),
            new Range("PARTIAL", ROWS, 8, 48),
            new Range("EXACT", ROWS, 0, ROWS.length),
            new Range("AT_END", ROWS, ROWS.length, 0),
            new Range("NEGATIVE_OFFSET", ROWS, -1, 4),
            new Range("NEGATIVE_LENGTH", ROWS, 4, -1),
            new Range("PAST_END", ROWS, 60, 8),
            new Range("TOO_LONG", ROWS, 0, ROWS.length + 1),
            new Range("NULL", null, 0, 0));

    private final String conninfo;

    ArrayAndStreamCases(String conninfo) {
        this.conninfo = conninfo;
    }

    void run(List<String> lines) {
        for (Range r : RANGES) {
            String suffix = "\tARRAY\t" + r.name();
            lines.add("spi.putCopyData(byte[],int,int)" + suffix + "\t" + outcome(() -> spiPut(r)));
            lines.add("Copy.write(byte[],int,int)" + suffix + "\t"
                    + outcome(() -> load(copy -> copy.write(r.data(), r.offset(), r.length()))));
            lines.add("Copy.asOutputStream().write(byte[],int,int)" + suffix + "\t"
                    + outcome(() -> load(copy -> copy.asOutputStream().write(r.data(), r.offset(), r.length()))));
            lines.add("Copy.asInputStream().read(byte[],int,int)" + suffix + "\t" + outcome(() -> streamRead(r)));
        }
        lines.add("Copy.write(byte[])\tARRAY\tEXACT\t" + outcome(() -> load(copy -> copy.write(ROWS))));
        lines.add("Copy.write(byte[])\tARRAY\tNULL\t" + outcome(() -> load(copy -> copy.write((byte[]) null))));
        lines.add("Copy.write(ByteBuffer)\tNULL\t-\t" + outcome(() -> load(copy -> copy.write((java.nio.ByteBuffer) null))));
        lines.add("Copy.readInto(ByteBuffer)\tNULL\t-\t" + outcome(() -> unload(copy -> copy.readInto(null))));
        lines.add("spi.getCopyData(ByteBuffer,int[])\tDIRECT\tEMPTY_LENGTHS\t" + outcome(() -> spiGetLengths(new int[0])));
        lines.add("spi.getCopyData(ByteBuffer,int[])\tDIRECT\tNULL_LENGTHS\t" + outcome(() -> spiGetLengths(null)));
        lines.add("spi.getCopyData(ByteBuffer,int[])\tDIRECT\tONE_LENGTH\t" + outcome(() -> spiGetLengths(new int[1])));

        streams(lines);
    }

    private void streams(List<String> lines) {
        lines.add("Cursor.copyIn(String,InputStream)\tSTREAM\tWHOLE\t"
                + outcome(() -> copyIn(new ByteArrayInputStream(ROWS))));
        lines.add("Cursor.copyIn(String,InputStream)\tSTREAM\tEMPTY\t"
                + outcome(() -> copyIn(new ByteArrayInputStream(new byte[0]))));
        lines.add("Cursor.copyIn(String,InputStream)\tSTREAM\tTRICKLE\t" + outcome(() -> copyIn(trickle())));
        lines.add("Cursor.copyIn(String,InputStream)\tSTREAM\tFAILING\t" + outcome(() -> copyIn(failing())));
        lines.add("Cursor.copyOut(String,OutputStream)\tSTREAM\tWHOLE\t"
                + outcome(() -> copyOut(new ByteArrayOutputStream())));
        lines.add("Cursor.copyOut(String,OutputStream)\tSTREAM\tFAILING\t" + outcome(() -> copyOut(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        })));
    }

    // ---- the cases ------------------------------------------------------------------------------------

    private String spiPut(Range r) {
        try (PgConn conn = Pq.connect(conninfo)) {
            run(conn, "CREATE TEMP TABLE m (id serial, line text)");
            conn.sendQuery(COPY_IN);
            conn.getResult();
            String result;
            try {
                result = "ret=" + conn.putCopyData(r.data(), r.offset(), r.length());
            } finally {
                conn.putCopyEnd(null);
                while (conn.getResult() != null) {
                    // to the final result
                }
            }
            return result + " stored=" + stored(conn) + usable(conn);
        }
    }

    private String spiGetLengths(int[] lengths) {
        try (PgConn conn = Pq.connect(conninfo)) {
            conn.sendQuery(COPY_OUT);
            conn.getResult();
            java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocateDirect(64);
            String result = outcome(() -> "ret=" + conn.getCopyData(dst, lengths) + " " + BufferMatrixChild.describe(dst));
            int r;
            do {
                r = conn.getCopyData(dst.clear(), new int[16]);
            } while (r > 0);
            while (conn.getResult() != null) {
                // to the final result
            }
            return result + usable(conn);
        }
    }

    private static String stored(PgConn conn) {
        conn.sendQuery(STORED);
        io.pqbridge.pq.PgResult r = conn.getResult();
        while (conn.getResult() != null) {
            // to the end
        }
        return r.ntuples() == 1 ? r.text(0, 0) : "(error)";
    }

    private static void run(PgConn conn, String sql) {
        conn.sendQuery(sql);
        while (conn.getResult() != null) {
            // every result
        }
    }

    private interface CopyBody {
        void accept(Copy copy) throws Exception;
    }

    /** COPY IN with {@code body} inside the facade's scoped block; the table's contents afterwards. */
    private String load(CopyBody body) {
        try (Connection conn = Connection.connect(Pq.backend(), conninfo)) {
            conn.setAutocommit(true);
            conn.execute("CREATE TEMP TABLE m (id serial, line text)");
            String result = attemptVoid(() -> conn.cursor().copy(COPY_IN, body::accept));
            return result + " stored=" + conn.execute(STORED).fetchOne().get(0) + usable(conn);
        }
    }

    private String unload(CopyBody body) {
        try (Connection conn = Connection.connect(Pq.backend(), conninfo)) {
            conn.setAutocommit(true);
            return attemptVoid(() -> conn.cursor().copy(COPY_OUT, body::accept)) + usable(conn);
        }
    }

    private String streamRead(Range r) {
        try (Connection conn = Connection.connect(Pq.backend(), conninfo)) {
            conn.setAutocommit(true);
            byte[] target = r.data() == null ? null : Arrays.copyOf(r.data(), r.data().length);
            String[] read = {""};
            String result = attemptVoid(() -> conn.cursor().copy(COPY_OUT, copy -> {
                read[0] = "n=" + copy.asInputStream().read(target, r.offset(), r.length());
                while (copy.read().length > 0) {
                    // to the end
                }
            }));
            return result + " " + read[0] + (target == null ? "" : " bytes=" + printable(target)) + usable(conn);
        }
    }

    private String copyIn(InputStream in) {
        try (Connection conn = Connection.connect(Pq.backend(), conninfo)) {
            conn.setAutocommit(true);
            conn.execute("CREATE TEMP TABLE m (id serial, line text)");
            String result = attempt(() -> "rows=" + conn.cursor().copyIn(COPY_IN, in));
            return result + " stored=" + conn.execute(STORED).fetchOne().get(0) + usable(conn);
        }
    }

    private String copyOut(OutputStream out) {
        try (Connection conn = Connection.connect(Pq.backend(), conninfo)) {
            conn.setAutocommit(true);
            String result = attempt(() -> "rows=" + conn.cursor().copyOut(COPY_OUT, out));
            String written = out instanceof ByteArrayOutputStream b ? " written=" + printable(b.toByteArray()) : "";
            return result + written + usable(conn);
        }
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    /** "ok" (with the value, if any) or the class of what it threw, checked exceptions included. */
    private static String attempt(Attempt body) {
        try {
            Object value = body.run();
            return value == null ? "ok" : "ok " + value;
        } catch (Exception e) {
            return "throws " + e.getClass().getSimpleName();
        }
    }

    private interface VoidAttempt {
        void run() throws Exception;
    }

    private static String attemptVoid(VoidAttempt body) {
        return attempt(() -> {
            body.run();
            return null;
        });
    }

    /** A stream that hands over one byte per read. */
    private static InputStream trickle() {
        return new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < ROWS.length ? ROWS[at++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= ROWS.length) {
                    return -1;
                }
                b[off] = ROWS[at++];
                return 1;
            }
        };
    }

    /** A stream that gives 8 bytes, then fails. */
    private static InputStream failing() {
        return new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at >= 8) {
                    throw new IOException("read error");
                }
                return ROWS[at++];
            }
        };
    }
}
