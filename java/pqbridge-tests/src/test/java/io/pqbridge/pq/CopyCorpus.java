package io.pqbridge.pq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The differential corpus's COPY. Out: text, CSV with a header and binary, one message per call, a
 * buffer smaller than a row, rows larger than the buffer, an error midway, inside a transaction,
 * through the extended protocol, results asked for during it, and an unknown table. In: text,
 * a row split across calls, a bad value, aborted by the client (before and after data), CSV,
 * binary and bad binary, through the extended protocol, 20,000 rows, results asked for during
 * it, and a trigger raising notices.
 */
final class CopyCorpus {

    private CopyCorpus() {
    }

    /** Adds the steps, after the corpus's tables (t, copyme) exist. */
    static void add(List<DifferentialTest.Step> steps) {
        copyOut(steps);
        copyIn(steps);
    }

    /** A step that starts {@code sql}, reads its COPY data whole in calls of the given size, then its results. */
    private static void copyOutWhole(List<DifferentialTest.Step> steps, String name, String sql, int bufferBytes,
            int messagesPerCall) {
        steps.add(new DifferentialTest.Step(name, o -> {
            o.query(sql);
            o.copyOut(bufferBytes, messagesPerCall);
            o.drain();
        }));
    }

    private static void copyOut(List<DifferentialTest.Step> steps) {
        copyOutWhole(steps, "copy out text",
                "COPY (SELECT g, 'r' || g FROM generate_series(1, 300) g) TO STDOUT", 1 << 16, 64);
        copyOutWhole(steps, "copy out text, one message per call", "COPY t TO STDOUT", 1 << 16, 1);
        copyOutWhole(steps, "copy out with a tiny buffer",
                "COPY (SELECT repeat('x', 100) FROM generate_series(1, 5)) TO STDOUT", 50, 8);
        copyOutWhole(steps, "copy out binary",
                "COPY (SELECT g::int4, 'b' || g FROM generate_series(1, 3) g) TO STDOUT (FORMAT binary)", 4096, 16);
        copyOutWhole(steps, "copy out csv with header",
                "COPY (SELECT 1 AS a, 'x,y' AS b, NULL AS c) TO STDOUT (FORMAT csv, HEADER)", 4096, 16);
        copyOutWhole(steps, "copy out of a table with every column",
                "COPY t (id, name, score, note, created) TO STDOUT", 4096, 16);
        copyOutWhole(steps, "copy out empty", "COPY (SELECT 1 WHERE false) TO STDOUT", 4096, 16);
        copyOutWhole(steps, "copy out large rows",
                "COPY (SELECT repeat('y', 70000) FROM generate_series(1, 3)) TO STDOUT", 300_000, 16);
        copyOutWhole(steps, "copy out error midway",
                "COPY (SELECT 10 / (3 - g) FROM generate_series(1, 5) g) TO STDOUT", 4096, 16);
        steps.add(new DifferentialTest.Step("copy out in a transaction", o -> {
            o.query("BEGIN");
            o.query("COPY (SELECT 1) TO STDOUT");
            o.line("xact during copy " + o.conn().transactionStatus());
            o.copyOut(4096, 16);
            o.line("xact after data " + o.conn().transactionStatus());
            o.drain();
            o.query("COMMIT");
        }));
        steps.add(new DifferentialTest.Step("copy out through the extended protocol", o -> {
            o.params("COPY (SELECT g FROM generate_series(1, 4) g) TO STDOUT", null, null, null, 0);
            o.copyOut(4096, 16);
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("getResult repeatedly during copy out", o -> {
            o.query("COPY (SELECT 1) TO STDOUT");
            o.result(o.conn().getResult());
            o.result(o.conn().getResult());
            o.copyOut(4096, 16);
            o.drain();
        }));
        copyOutWhole(steps, "copy to stdin quirk", "COPY t TO STDIN", 4096, 16);
        steps.add(new DifferentialTest.Step("copy of unknown table", o -> o.query("COPY nosuch TO STDOUT")));
    }

    private static void copyIn(List<DifferentialTest.Step> steps) {
        steps.add(new DifferentialTest.Step("copy in text", o -> {
            o.query("COPY copyme (a, b) FROM STDIN");
            for (int i = 0; i < 50; i++) {
                o.putCopyData(i + "\trow " + i + "\n");
            }
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in a row split across calls", o -> {
            o.query("COPY copyme (a, b) FROM STDIN");
            o.putCopyData("100\tsp");
            o.putCopyData("lit\n");
            o.putCopyData("");
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in bad value", o -> {
            o.query("COPY copyme (a) FROM STDIN");
            o.putCopyData("1\n");
            o.putCopyData("abc\n");
            for (int i = 0; i < 20; i++) {
                o.putCopyData("2\n");
            }
            o.line("xact before end " + o.conn().transactionStatus());
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in aborted by the client", o -> {
            o.query("BEGIN");
            o.query("COPY copyme (a) FROM STDIN");
            o.putCopyData("1\n");
            o.putCopyEnd("error from Java: IllegalStateException - nope");
            o.drain();
            o.query("ROLLBACK");
        }));
        steps.add(new DifferentialTest.Step("copy in aborted before any data", o -> {
            o.query("COPY copyme (a) FROM STDIN");
            o.putCopyEnd("no data");
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in csv", o -> {
            o.query("COPY copyme (a, b, c) FROM STDIN (FORMAT csv)");
            o.putCopyData("1,\"quoted, text\",1.5\n2,,2.5\n");
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in binary", o -> {
            o.query("COPY bin FROM STDIN (FORMAT binary)");
            ByteBuffer b = ByteBuffer.allocate(64);
            b.put("PGCOPY\n\u00ff\r\n\0".getBytes(StandardCharsets.ISO_8859_1)).putInt(0).putInt(0);
            b.putShort((short) 2).putInt(4).putInt(7).putInt(3).put("abc".getBytes(StandardCharsets.US_ASCII));
            b.putShort((short) -1);
            byte[] bytes = java.util.Arrays.copyOf(b.array(), b.position());
            o.putCopyData(bytes);
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in bad binary", o -> {
            o.query("COPY bin FROM STDIN (FORMAT binary)");
            o.putCopyData(new byte[] {1, 2, 3});
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in through the extended protocol", o -> {
            o.params("COPY copyme (a, b) FROM STDIN", null, null, null, 0);
            o.putCopyData("7\tseven\n");
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in through the extended protocol, aborted", o -> {
            o.params("COPY copyme (a) FROM STDIN", null, null, null, 0);
            o.putCopyData("7\n");
            o.putCopyEnd("abort extended");
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in 20000 rows", o -> {
            o.query("COPY copyme (a, b, c) FROM STDIN");
            StringBuilder chunk = new StringBuilder();
            int calls = 0;
            for (int i = 0; i < 20000; i++) {
                chunk.append(i).append("\tsome text ").append(i).append('\t').append(i * 0.5).append('\n');
                if (chunk.length() > 3000) {
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    if (o.conn().putCopyData(bytes, 0, bytes.length) != 1) {
                        o.line("putCopyData failed");
                    }
                    calls++;
                    chunk.setLength(0);
                }
            }
            o.putCopyData(chunk.toString());
            o.line("calls " + calls);
            o.putCopyEnd(null);
            o.drain();
            o.query("SELECT count(*), sum(a) FROM copyme");
        }));
        steps.add(new DifferentialTest.Step("getResult repeatedly during copy in", o -> {
            o.query("COPY copyme (a) FROM STDIN");
            o.result(o.conn().getResult());
            o.putCopyData("5\n");
            o.result(o.conn().getResult());
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new DifferentialTest.Step("copy in with a trigger raising notices", o -> {
            o.query("CREATE FUNCTION noisy() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE NOTICE 'row %', NEW.a; RETURN NEW; END $$");
            o.query("CREATE TRIGGER noisy BEFORE INSERT ON copyme FOR EACH ROW EXECUTE FUNCTION noisy()");
            o.query("COPY copyme (a) FROM STDIN");
            for (int i = 0; i < 5; i++) {
                o.putCopyData(i + "\n");
            }
            o.putCopyEnd(null);
            o.drain();
            o.query("DROP TRIGGER noisy ON copyme");
        }));
    }
}
