package io.pqbridge.pq;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The differential corpus's pipeline mode: queued commands and syncs, an error that aborts the
 * rest up to the sync, the refusals, a flush request, single-row mode, COPY in both directions
 * and a transaction inside a pipeline. Each step leaves pipeline mode, so that the next starts
 * from an ordinary connection.
 */
final class PipelineCorpus {

    private PipelineCorpus() {
    }

    private static byte[][] values(String... texts) {
        byte[][] bytes = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            bytes[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    private static void send(Observation o, String sql, String... texts) {
        o.line("sendQueryParams(" + Observation.quote(sql) + ") -> "
                + o.conn().sendQueryParams(sql, null, values(texts), null, 0));
    }

    private static void call(Observation o, String what, boolean answer) {
        o.line(what + " -> " + answer + " pipeline=" + o.conn().pipelineStatus() + " xact="
                + o.conn().transactionStatus() + " " + Observation.quote(o.conn().errorMessage()));
    }

    /** getResult through the nulls between commands up to a PIPELINE_SYNC, or a COPY result, or 3 nulls in a row. */
    private static void untilSync(Observation o) {
        int nulls = 0;
        for (int i = 0; i < 200 && nulls < 3; i++) {
            PgResult r = o.conn().getResult();
            o.result(r);
            if (r != null) {
                // after a null the next command is being read, and what has arrived by then is timing
                o.line("  pipeline=" + o.conn().pipelineStatus());
            }
            nulls = r == null ? nulls + 1 : 0;
            if (r != null && (r.status() == PgExecStatus.PIPELINE_SYNC || r.status() == PgExecStatus.COPY_OUT
                    || r.status() == PgExecStatus.COPY_IN)) {
                return;
            }
        }
    }

    /** Adds the steps, after the corpus's tables and types exist. */
    static void add(List<DifferentialTest.Step> steps) {
        steps.add(new DifferentialTest.Step("pipeline: queued commands and two syncs", o -> {
            call(o, "enterPipelineMode", o.conn().enterPipelineMode());
            send(o, "SELECT id, name FROM t WHERE id = $1", "1");
            o.line("sendPrepare -> " + o.conn().sendPrepare("pl1", "SELECT $1::int + 1", null));
            o.line("sendQueryPrepared -> " + o.conn().sendQueryPrepared("pl1", values("41"), null, 1));
            o.line("sendDescribePrepared -> " + o.conn().sendDescribePrepared("pl1"));
            call(o, "pipelineSync", o.conn().pipelineSync());
            send(o, "SELECT count(*) FROM t");
            call(o, "pipelineSync", o.conn().pipelineSync());
            untilSync(o);
            untilSync(o);
            o.result(o.conn().getResult());
            call(o, "exitPipelineMode", o.conn().exitPipelineMode());
        }));
        steps.add(new DifferentialTest.Step("pipeline: an error aborts the rest up to the sync", o -> {
            call(o, "enterPipelineMode", o.conn().enterPipelineMode());
            send(o, "INSERT INTO bin VALUES (9, NULL)");
            send(o, "SELECT 1 / $1::int", "0");
            o.line("sendPrepare -> " + o.conn().sendPrepare("pl2", "SELECT 2", null));
            o.line("sendDescribePortal -> " + o.conn().sendDescribePortal(""));
            send(o, "SELECT no_such_column FROM t");
            call(o, "pipelineSync", o.conn().pipelineSync());
            send(o, "SELECT count(*) FROM bin WHERE i = 9");
            call(o, "pipelineSync", o.conn().pipelineSync());
            untilSync(o);
            send(o, "SELECT 'queued after the results'");
            untilSync(o);
            call(o, "pipelineSync", o.conn().pipelineSync());
            untilSync(o);
            call(o, "exitPipelineMode", o.conn().exitPipelineMode());
        }));
        steps.add(new DifferentialTest.Step("pipeline: refusals and their texts", o -> {
            call(o, "pipelineSync outside", o.conn().pipelineSync());
            call(o, "sendFlushRequest outside", o.conn().sendFlushRequest());
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT 1"));
            call(o, "enterPipelineMode while busy", o.conn().enterPipelineMode());
            call(o, "sendFlushRequest while busy", o.conn().sendFlushRequest());
            o.drain();
            call(o, "enterPipelineMode", o.conn().enterPipelineMode());
            call(o, "sendQuery", o.conn().sendQuery("SELECT 1"));
            o.line("prepare -> " + (o.conn().prepare("x", "SELECT 1", null) == null ? "null" : "a result"));
            call(o, "after prepare", true);
            o.line("describePrepared -> " + (o.conn().describePrepared("x") == null ? "null" : "a result"));
            send(o, "SELECT 1");
            call(o, "exitPipelineMode while busy", o.conn().exitPipelineMode());
            call(o, "pipelineSync", o.conn().pipelineSync());
            o.result(o.conn().getResult());
            call(o, "exitPipelineMode with a result waiting", o.conn().exitPipelineMode());
            untilSync(o);
            call(o, "exitPipelineMode", o.conn().exitPipelineMode());
            call(o, "exitPipelineMode again", o.conn().exitPipelineMode());
        }));
        steps.add(new DifferentialTest.Step("pipeline: flush request, single-row mode, COPY OUT", o -> {
            call(o, "enterPipelineMode", o.conn().enterPipelineMode());
            send(o, "SELECT id FROM t ORDER BY id");
            o.line("setSingleRowMode -> " + o.conn().setSingleRowMode());
            call(o, "sendFlushRequest", o.conn().sendFlushRequest());
            for (int i = 0; i < 6; i++) {
                o.result(o.conn().getResult());
            }
            send(o, "COPY (SELECT g FROM generate_series(1, 3) g) TO STDOUT");
            send(o, "SELECT 'after the copy'");
            call(o, "pipelineSync", o.conn().pipelineSync());
            untilSync(o);
            send(o, "SELECT 'during the copy'");
            o.copyOut(4096, 16);
            untilSync(o);
            call(o, "exitPipelineMode", o.conn().exitPipelineMode());
        }));
        steps.add(new DifferentialTest.Step("pipeline: COPY FROM STDIN", o -> {
            call(o, "enterPipelineMode", o.conn().enterPipelineMode());
            send(o, "COPY bin FROM STDIN");
            call(o, "pipelineSync", o.conn().pipelineSync());
            untilSync(o);
            o.putCopyData("11\tcopied\n");
            o.putCopyEnd(null);
            untilSync(o);
            untilSync(o);
            call(o, "exitPipelineMode", o.conn().exitPipelineMode());
            o.query("SELECT count(*) FROM bin WHERE i = 11");
        }));
        steps.add(new DifferentialTest.Step("pipeline: a transaction block across syncs", o -> {
            call(o, "enterPipelineMode", o.conn().enterPipelineMode());
            send(o, "BEGIN");
            send(o, "INSERT INTO bin VALUES (12, NULL)");
            call(o, "pipelineSync", o.conn().pipelineSync());
            untilSync(o);
            send(o, "SELECT 1 / 0");
            call(o, "pipelineSync", o.conn().pipelineSync());
            untilSync(o);
            send(o, "SELECT 1");
            call(o, "pipelineSync", o.conn().pipelineSync());
            untilSync(o);
            send(o, "ROLLBACK");
            call(o, "pipelineSync", o.conn().pipelineSync());
            untilSync(o);
            call(o, "exitPipelineMode", o.conn().exitPipelineMode());
            o.query("SELECT count(*) FROM bin WHERE i = 12");
        }));
    }
}
