package io.pqbridge.pq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The differential corpus's query path: prepared statements and portals (prepare, describe and run
 * with text and binary values, declared types, the unnamed statement, a cursor's portal, server
 * errors, a failed transaction and refused calls), single-row mode and chunked-rows mode. Closing is left to the contract test: on a libpq older than
 * 17 the native backend closes with SQL (DEALLOCATE, CLOSE), whose answers differ by design.
 */
final class QueryPathCorpus {

    private QueryPathCorpus() {
    }

    /** Adds the steps, after the corpus's tables and types exist. */
    static void add(List<DifferentialTest.Step> steps) {
        byte[] int4 = ByteBuffer.allocate(4).putInt(7).array();
        steps.add(new DifferentialTest.Step("prepare, describe and run with text and binary values", o -> {
            o.prepare("p1", "SELECT id, name, $2::mood AS m FROM t WHERE id = $1", null);
            o.describe('S', "p1");
            o.prepared("p1", new byte[][] {"1".getBytes(StandardCharsets.UTF_8), "ok".getBytes(StandardCharsets.UTF_8)},
                    null, 0);
            o.prepared("p1", new byte[][] {"2".getBytes(StandardCharsets.UTF_8), null}, null, 1);
        }));
        steps.add(new DifferentialTest.Step("declared types, binary parameter, the unnamed statement", o -> {
            o.prepare("", "SELECT $1 + 1, $2", new int[] {23, 25});
            o.describe('S', null);
            o.prepared("", new byte[][] {int4, "x".getBytes(StandardCharsets.UTF_8)}, new int[] {1, 0}, 0);
            o.prepare("ins", "INSERT INTO bin VALUES ($1, $2)", null);
            o.describe('S', "ins");
            o.prepared("ins", new byte[][] {"5".getBytes(StandardCharsets.UTF_8), null}, null, 0);
        }));
        steps.add(new DifferentialTest.Step("prepared statement errors", o -> {
            o.prepare("p1", "SELECT 1", null);
            o.prepare("bad", "SELECT FROM WHERE", null);
            o.prepare("multi", "SELECT 1; SELECT 2", null);
            o.prepared("nope", null, null, 0);
            o.prepared("p1", null, null, 0);
            o.describe('S', "nope");
            o.describe('P', "nope");
            o.prepare("div", "SELECT 1 / $1::int", null);
            o.prepared("div", new byte[][] {"0".getBytes(StandardCharsets.UTF_8)}, null, 0);
            o.prepared("div", new byte[][] {"x".getBytes(StandardCharsets.UTF_8)}, null, 0);
        }));
        steps.add(new DifferentialTest.Step("a cursor's portal in a transaction, and a failed transaction", o -> {
            o.query("BEGIN");
            o.query("DECLARE c1 CURSOR FOR SELECT * FROM t ORDER BY id");
            o.describe('P', "c1");
            o.query("FETCH 2 FROM c1");
            o.query("SELECT 1/0");
            o.prepare("late", "SELECT 1", null);
            o.describe('S', "p1");
            o.prepared("p1", null, null, 0);
            o.query("ROLLBACK");
        }));
        steps.add(new DifferentialTest.Step("prepared calls refused: null names, busy, finished input", o -> {
            o.line("sendPrepare(null) -> " + o.conn().sendPrepare(null, "SELECT 1", null) + " "
                    + Observation.quote(o.conn().errorMessage()));
            o.line("sendQueryPrepared(null) -> " + o.conn().sendQueryPrepared(null, null, null, 0) + " "
                    + Observation.quote(o.conn().errorMessage()));
            o.line("sendPrepare(sql null) -> " + o.conn().sendPrepare("x", null, null) + " "
                    + Observation.quote(o.conn().errorMessage()));
            o.query("COPY (SELECT g FROM generate_series(1, 5) g) TO STDOUT");
            o.line("sendPrepare during copy -> " + o.conn().sendPrepare("x", "SELECT 1", null));
            o.line("sendDescribePrepared during copy -> " + o.conn().sendDescribePrepared("p1"));
            o.line("error text " + Observation.quote(o.conn().errorMessage()));
            o.copyOut(4096, 16);
            o.drain();
            o.prepared("p1", null, null, 0);
        }));
        steps.add(new DifferentialTest.Step("single-row mode: simple, extended, prepared, an error, abandoned", o -> {
            o.line("setSingleRowMode idle -> " + o.conn().setSingleRowMode());
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT * FROM t ORDER BY id; SELECT 1 WHERE false"));
            o.line("setSingleRowMode -> " + o.conn().setSingleRowMode());
            o.drain();
            o.line("sendQueryParams -> " + o.conn().sendQueryParams("SELECT 6 / (3 - g) FROM generate_series(1, 5) g",
                    null, null, null, 1));
            o.line("setSingleRowMode -> " + o.conn().setSingleRowMode());
            o.drain();
            o.line("sendQueryPrepared -> " + o.conn().sendQueryPrepared("p1",
                    new byte[][] {"1".getBytes(StandardCharsets.UTF_8), "sad".getBytes(StandardCharsets.UTF_8)}, null, 0));
            o.line("setSingleRowMode -> " + o.conn().setSingleRowMode());
            o.result(o.conn().getResult());
            o.line("setSingleRowMode after a result -> " + o.conn().setSingleRowMode());
            o.line("sendQuery while rows wait -> " + o.conn().sendQuery("SELECT 1") + " "
                    + Observation.quote(o.conn().errorMessage()));
            o.drain();
            o.query("SELECT 1");
        }));
        steps.add(new DifferentialTest.Step("chunked-rows mode: sizes, a short last chunk, an error, binary", o -> {
            o.line("setChunkedRowsMode idle -> " + o.conn().setChunkedRowsMode(2));
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT * FROM t ORDER BY id; SELECT 1 WHERE false"));
            o.line("setChunkedRowsMode(0) -> " + o.conn().setChunkedRowsMode(0));
            o.line("setChunkedRowsMode(2) -> " + o.conn().setChunkedRowsMode(2));
            o.drain();
            o.line("sendQueryParams -> " + o.conn().sendQueryParams("SELECT 6 / (3 - g) FROM generate_series(1, 5) g",
                    null, null, null, 1));
            o.line("setChunkedRowsMode(2) -> " + o.conn().setChunkedRowsMode(2));
            o.drain();
            o.line("sendQueryPrepared -> " + o.conn().sendQueryPrepared("p1",
                    new byte[][] {"1".getBytes(StandardCharsets.UTF_8), "sad".getBytes(StandardCharsets.UTF_8)}, null, 0));
            o.line("setChunkedRowsMode(5) -> " + o.conn().setChunkedRowsMode(5));
            o.line("setSingleRowMode -> " + o.conn().setSingleRowMode());
            o.drain();
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT g, 'x' || g FROM generate_series(1, 7) g"));
            o.line("setChunkedRowsMode(3) -> " + o.conn().setChunkedRowsMode(3));
            o.result(o.conn().getResult());
            o.line("sendQuery while a chunk was taken -> " + o.conn().sendQuery("SELECT 1") + " "
                    + Observation.quote(o.conn().errorMessage()));
            o.drain();
        }));
    }
}
