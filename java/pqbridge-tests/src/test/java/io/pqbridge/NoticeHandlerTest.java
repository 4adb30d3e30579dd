package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.Diagnostic;
import io.pqbridge.pq.PgBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * psycopg's notice handlers: every server notice reaches each handler, in the order they were
 * added, as a {@link Diagnostic}; a handler that throws is logged and breaks neither the others
 * nor the command during which the notice arrived.
 */
class NoticeHandlerTest {

    private static final String TWO_NOTICES = "DO $$ BEGIN RAISE NOTICE 'first' USING DETAIL = 'd1', HINT = 'h1';"
            + " RAISE WARNING 'second'; END $$";

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void everyNoticeReachesEveryHandlerInOrder(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            List<String> seen = new ArrayList<>();
            Consumer<Diagnostic> a = d -> seen.add("a:" + d.severity() + ":" + d.messagePrimary());
            Consumer<Diagnostic> b = d -> seen.add("b:" + d.sqlstate() + ":" + d.messageDetail() + ":" + d.messageHint());
            conn.addNoticeHandler(a);
            conn.addNoticeHandler(b);
            conn.execute(TWO_NOTICES);
            assertEquals(List.of("a:NOTICE:first", "b:00000:d1:h1", "a:WARNING:second", "b:01000:null:null"), seen);
            seen.clear();
            conn.removeNoticeHandler(a);
            conn.execute(TWO_NOTICES);
            assertEquals(List.of("b:00000:d1:h1", "b:01000:null:null"), seen, "a removed handler is not called");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conn.removeNoticeHandler(a));
            assertTrue(e.getMessage().startsWith("this notice handler is not registered on the connection"),
                    e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aHandlerThatThrowsBreaksNothing(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            List<String> seen = new ArrayList<>();
            conn.addNoticeHandler(d -> {
                throw new IllegalStateException("a handler's own bug");
            });
            conn.addNoticeHandler(d -> seen.add(d.messagePrimary()));
            assertEquals("DO", conn.execute(TWO_NOTICES).statusMessage(), "the command completed");
            assertEquals(List.of("first", "second"), seen, "the next handler still runs");
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void noticesDuringCopyAndPipelineReachTheHandlers(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            List<String> seen = new ArrayList<>();
            conn.addNoticeHandler(d -> seen.add(d.messagePrimary()));
            conn.pipeline(p -> {
                conn.execute("DO $$ BEGIN RAISE NOTICE 'in a pipeline'; END $$");
                conn.execute("SELECT 1");
            });
            conn.execute("CREATE TEMP TABLE notice_copy (n int)");
            conn.execute("CREATE FUNCTION pg_temp.shout() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN RAISE NOTICE 'row %', NEW.n; RETURN NEW; END $$");
            conn.execute("CREATE TRIGGER shout BEFORE INSERT ON notice_copy FOR EACH ROW EXECUTE FUNCTION pg_temp.shout()");
            conn.cursor().copy("COPY notice_copy FROM STDIN", copy -> {
                copy.write("1\n2\n");
            });
            assertEquals(List.of("in a pipeline", "row 1", "row 2"), seen);
        }
    }
}
