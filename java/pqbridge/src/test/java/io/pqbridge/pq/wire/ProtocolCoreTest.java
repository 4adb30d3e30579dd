package io.pqbridge.pq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The protocol core on canned server byte streams, with no server and no socket: every backend
 * message type the core handles (and the ones it must refuse), each case's transcript checked,
 * and the same stream handed over whole, a byte at a time, in every chunk size up to 64 and cut
 * in two at every byte boundary, which must all give the same transcript: how the bytes arrive
 * never changes what the client sees.
 */
class ProtocolCoreTest {

    private static Map<Character, String> fields(String... codeValue) {
        Map<Character, String> m = new LinkedHashMap<>();
        for (int i = 0; i < codeValue.length; i += 2) {
            m.put(codeValue[i].charAt(0), codeValue[i + 1]);
        }
        return m;
    }

    private record Case(String name, byte[] stream, Consumer<CoreSession> client, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case simple(String name, BackendBytes server, Consumer<CoreSession> client, String... expected) {
        return new Case(name, server.toByteArray(), client, List.of(expected));
    }

    static Stream<Case> cases() {
        return Stream.of(
                simple("select rows, a null, transaction status", new BackendBytes().rowDescription("a", "b")
                        .dataRow("1", "x").dataRow("2", null).dataRow("3", "").commandComplete("SELECT 3").ready('I'),
                        s -> {
                            s.query("select");
                            s.allResults();
                            s.state();
                        },
                        "sent 510000000b73656c65637400",
                        "TUPLES_OK tag=SELECT 3 fields=2 [1,x] [2,NULL] [3,]",
                        "null",
                        "ok=true async=IDLE xact=IDLE sqlstate= drop=false"),
                simple("two statements, the second in a transaction block", new BackendBytes()
                        .commandComplete("BEGIN").rowDescription("n").dataRow("7").commandComplete("SELECT 1")
                        .ready('T'),
                        s -> {
                            s.query("begin; select 7");
                            s.allResults();
                            s.state();
                        },
                        "sent 5100000014626567696e3b2073656c656374203700",
                        "COMMAND_OK tag=BEGIN",
                        "TUPLES_OK tag=SELECT 1 fields=1 [7]",
                        "null",
                        "ok=true async=IDLE xact=INTRANS sqlstate= drop=false"),
                simple("an error with a position, then a failed transaction", new BackendBytes()
                        .error(fields("S", "ERROR", "V", "ERROR", "C", "42601", "M", "syntax error at or near \"x\"",
                                "P", "1"))
                        .ready('E'),
                        s -> {
                            s.query("x");
                            s.allResults();
                            s.state();
                        },
                        "sent 51000000067800",
                        "FATAL_ERROR error=ERROR:  syntax error at or near \"x\"|LINE 1: x|        ^",
                        "null",
                        "ok=true async=IDLE xact=INERROR sqlstate=42601 drop=false"),
                simple("empty query", new BackendBytes().empty('I').ready('I'),
                        s -> {
                            s.query("");
                            s.allResults();
                        },
                        "sent 510000000500",
                        "EMPTY_QUERY",
                        "null"),
                simple("notices, notifications and parameters between rows", new BackendBytes()
                        .rowDescription("a").notice(fields("S", "NOTICE", "V", "NOTICE", "C", "00000", "M", "hello"))
                        .dataRow("1").notification(42, "chan", "payload").parameterStatus("TimeZone", "UTC")
                        .backendKey(7, 8).commandComplete("SELECT 1").ready('I'),
                        s -> {
                            s.query("q");
                            s.allResults();
                            s.note("TimeZone=" + s.core().server().get("TimeZone") + " pid="
                                    + s.core().server().backendPid());
                        },
                        "sent 51000000067100",
                        "notice NOTICE:  hello",
                        "notify PgNotify[channel=chan, backendPid=42, payload=payload]",
                        "TUPLES_OK tag=SELECT 1 fields=1 [1]",
                        "null",
                        "TimeZone=UTC pid=7"),
                simple("extended query: parse, bind, describe, execute, sync", new BackendBytes().empty('1')
                        .empty('2').rowDescription("v").dataRow("a").commandComplete("SELECT 1").empty('3')
                        .ready('I'),
                        s -> {
                            s.queryParams("select $1", "a");
                            s.allResults();
                        },
                        "sent 50000000110073656c656374202431000000"
                                + "420000001300000000000100000001610001000044000000065000"
                                + "450000000900000000005300000004",
                        "TUPLES_OK tag=SELECT 1 fields=1 [a]",
                        "null"),
                simple("extended query with a parameter description and no data", new BackendBytes().empty('1')
                        .parameterDescription(25).empty('2').empty('n').commandComplete("INSERT 0 1").ready('I'),
                        s -> {
                            s.queryParams("insert", (String) null);
                            s.allResults();
                        },
                        "sent 500000000e00696e7365727400000042000000120000000000"
                                + "01ffffffff0001000044000000065000450000000900000000005300000004",
                        "COMMAND_OK tag=INSERT 0 1 params=25", // libpq keeps the unasked-for parameter description
                        "null"),
                simple("prepare: parse complete is the one result", new BackendBytes().empty('1').ready('I'),
                        s -> {
                            s.prepare("s1", "select $1", 23);
                            s.allResults();
                            s.state();
                        },
                        "sent 500000001773310073656c65637420243100000100000017"
                                + "5300000004",
                        "COMMAND_OK",
                        "null",
                        "ok=true async=IDLE xact=IDLE sqlstate= drop=false"),
                simple("prepare that fails shows the statement's line", new BackendBytes()
                        .error(fields("S", "ERROR", "V", "ERROR", "C", "42601", "M", "syntax error", "P", "1"))
                        .ready('I'),
                        s -> {
                            s.prepare("", "x");
                            s.allResults();
                        },
                        "sent 500000000900780000005300000004",
                        "FATAL_ERROR error=ERROR:  syntax error|LINE 1: x|        ^",
                        "null"),
                simple("prepared statement run: bind, describe, execute, sync", new BackendBytes().empty('2')
                        .rowDescription("v").dataRow("42").commandComplete("SELECT 1").ready('I'),
                        s -> {
                            s.queryPrepared("s1", "41");
                            s.allResults();
                        },
                        "sent 42000000160073310000000001000000023431000100004400000006500045000000090000000000"
                                + "5300000004",
                        "TUPLES_OK tag=SELECT 1 fields=1 [42]",
                        "null"),
                simple("describe a statement: parameter types and columns in one result", new BackendBytes()
                        .parameterDescription(23, 25).rowDescription("a", "b").ready('I'),
                        s -> {
                            s.describe('S', "s1");
                            s.allResults();
                        },
                        "sent 44000000085373310053000000" + "04",
                        "COMMAND_OK params=23,25 fields=2",
                        "null"),
                simple("describe a statement without parameters or columns", new BackendBytes()
                        .parameterDescription().empty('n').ready('I'),
                        s -> {
                            s.describe('S', "s2");
                            s.allResults();
                        },
                        "sent 4400000008537332005300000004",
                        "COMMAND_OK",
                        "null"),
                simple("describe the unnamed portal without columns", new BackendBytes().empty('n').ready('I'),
                        s -> {
                            s.describe('P', null);
                            s.allResults();
                        },
                        "sent 440000000650005300000004",
                        "COMMAND_OK",
                        "null"),
                simple("describe an unknown portal fails", new BackendBytes()
                        .error(fields("S", "ERROR", "V", "ERROR", "C", "34000", "M", "portal \"p\" does not exist"))
                        .ready('I'),
                        s -> {
                            s.describe('P', "p");
                            s.allResults();
                        },
                        "sent 44000000075070005300000004",
                        "FATAL_ERROR error=ERROR:  portal \"p\" does not exist",
                        "null"),
                simple("close a statement: close complete is the one result", new BackendBytes().empty('3')
                        .ready('T'),
                        s -> {
                            s.close('S', "s1");
                            s.allResults();
                            s.state();
                        },
                        "sent 43000000085373310053000000" + "04",
                        "COMMAND_OK",
                        "null",
                        "ok=true async=IDLE xact=INTRANS sqlstate= drop=false"),
                simple("a null statement name is refused with libpq's text, nothing sent", new BackendBytes(),
                        s -> {
                            s.prepare(null, "select 1");
                            s.queryPrepared(null);
                            s.prepare("s", null);
                        },
                        "refused: statement name is a null pointer\n",
                        "refused: statement name is a null pointer\n",
                        "refused: command string is a null pointer\n"),
                simple("single-row mode: a result per row, then the set's own with the tag", new BackendBytes()
                        .rowDescription("a", "b").dataRow("1", "x").dataRow("2", null).commandComplete("SELECT 2")
                        .rowDescription("c").commandComplete("SELECT 0").ready('I'),
                        s -> {
                            s.singleRowMode();
                            s.query("q");
                            s.singleRowMode();
                            s.allResults();
                            s.singleRowMode();
                        },
                        "single-row mode false",
                        "sent 51000000067100",
                        "single-row mode true",
                        "SINGLE_TUPLE fields=2 [1,x]",
                        "SINGLE_TUPLE fields=2 [2,NULL]",
                        "TUPLES_OK tag=SELECT 2 fields=2",
                        "TUPLES_OK tag=SELECT 0 fields=1",
                        "null",
                        "single-row mode false"),
                // each chunk is sized from the one before: rows that grow past it, then a short last chunk
                simple("chunked-rows mode: chunks of two, rows that grow and shrink", new BackendBytes()
                        .rowDescription("a", "b").dataRow("1", "x").dataRow("2", "y")
                        .dataRow("333333333", "a value longer than the last chunk").dataRow("4", null)
                        .dataRow("5", "").commandComplete("SELECT 5").ready('I'),
                        s -> {
                            s.queryParams("q");
                            s.chunkedRowsMode(2);
                            s.allResults();
                        },
                        "sent ",
                        "chunked-rows mode true",
                        "TUPLES_CHUNK fields=2 [1,x] [2,y]",
                        "TUPLES_CHUNK fields=2 [333333333,a value longer than the last chunk] [4,NULL]",
                        "TUPLES_CHUNK tag=SELECT 5 fields=2 [5,]",
                        "TUPLES_OK fields=2",
                        "null"),
                simple("single-row mode: an error after a row", new BackendBytes()
                        .rowDescription("a").dataRow("1")
                        .error(fields("S", "ERROR", "V", "ERROR", "C", "22012", "M", "division by zero")).ready('I'),
                        s -> {
                            s.queryParams("q");
                            s.singleRowMode();
                            s.allResults();
                        },
                        "sent 50000000090071000000420000000e000000000000000100004400000006500045000000090000000000"
                                + "5300000004",
                        "single-row mode true",
                        "SINGLE_TUPLE fields=1 [1]",
                        "FATAL_ERROR error=ERROR:  division by zero",
                        "null"),
                simple("copy out with a notice inside", new BackendBytes().copyResponse('H', 1).copyData("1\n")
                        .notice(fields("S", "NOTICE", "V", "NOTICE", "M", "mid")).copyData("2\n").empty('c')
                        .commandComplete("COPY 2").ready('I'),
                        s -> {
                            s.query("copy t to stdout");
                            s.result();
                            s.copyOut();
                            s.allResults();
                        },
                        "sent 5100000015636f7079207420746f207374646f757400",
                        "COPY_OUT fields=1",
                        "copy data 1\n",
                        "notice NOTICE:  mid",
                        "copy data 2\n",
                        "copy out end -1",
                        "COMMAND_OK tag=COPY 2",
                        "null"),
                simple("copy in, then its outcome", new BackendBytes().copyResponse('G', 2)
                        .commandComplete("COPY 1").ready('I'),
                        s -> {
                            s.query("copy t from stdin");
                            s.result();
                            s.copyIn("1\tx\n", null);
                            s.allResults();
                        },
                        "sent 5100000016636f707920742066726f6d20737464696e00",
                        "COPY_IN fields=2",
                        "sent 64000000083109780a6300000004",
                        "COMMAND_OK tag=COPY 1",
                        "null"),
                simple("copy in failed by the client", new BackendBytes().copyResponse('G', 1)
                        .error(fields("S", "ERROR", "V", "ERROR", "C", "57014", "M", "COPY from stdin failed: no"))
                        .ready('I'),
                        s -> {
                            s.query("copy t from stdin");
                            s.result();
                            s.copyIn("", "no");
                            s.allResults();
                        },
                        "sent 5100000016636f707920742066726f6d20737464696e00",
                        "COPY_IN fields=1",
                        "sent 66000000076e6f00",
                        "FATAL_ERROR error=ERROR:  COPY from stdin failed: no",
                        "null"),
                simple("a message type no query expects", new BackendBytes().functionCallResponse(new byte[] {1})
                        .ready('I'),
                        s -> {
                            s.query("q");
                            s.allResults();
                        },
                        "sent 51000000067100",
                        "FATAL_ERROR error=unexpected response from server; first received character was \"V\"",
                        "null"),
                simple("copy both: data both ways, each side ended on its own", new BackendBytes()
                        .copyResponse('W', 0).copyData("k").empty('c').commandComplete("START_STREAMING").ready('I'),
                        s -> {
                            s.query("START_REPLICATION");
                            s.result();
                            s.result(); // libpq hands the state out again
                            s.copyOut(); // the server's CopyDone leaves the client's side open
                            s.copyIn("r", null);
                            s.allResults();
                        },
                        "sent 510000001653544152545f5245504c49434154494f4e00",
                        "COPY_BOTH",
                        "COPY_BOTH",
                        "copy data k",
                        "copy out end -1",
                        "sent 6400000005726300000004",
                        "COMMAND_OK tag=START_STREAMING",
                        "null"),
                simple("negotiate and authentication are unexpected after startup", new BackendBytes()
                        .negotiateProtocolVersion(0, "x").authenticationOk().empty('s')
                        .ready('I'),
                        s -> {
                            s.query("q");
                            s.allResults();
                        },
                        "sent 51000000067100",
                        "FATAL_ERROR error=unexpected response from server; first received character was \"v\"",
                        "FATAL_ERROR error=unexpected response from server; first received character was \"R\"",
                        "FATAL_ERROR error=unexpected response from server; first received character was \"s\"",
                        "null"),
                simple("data without a row description", new BackendBytes().dataRow("1").commandComplete("SELECT 1")
                        .ready('I'),
                        s -> {
                            s.query("q");
                            s.allResults();
                        },
                        "sent 51000000067100",
                        "FATAL_ERROR error=server sent data (\"D\" message) without prior row description (\"T\" message)",
                        "null"),
                // as libpq: the failed row ends that result; the command's tag then makes one of its own
                simple("a row of the wrong width fails the query", new BackendBytes().rowDescription("a", "b")
                        .dataRow("1").commandComplete("SELECT 1").ready('I'),
                        s -> {
                            s.query("q");
                            s.allResults();
                        },
                        "sent 51000000067100",
                        "FATAL_ERROR error=unexpected field count in \"D\" message",
                        "COMMAND_OK tag=SELECT 1",
                        "null"),
                simple("messages while idle", new BackendBytes().commandComplete("SET").ready('I')
                        .parameterStatus("application_name", "x").empty('2')
                        .error(fields("S", "FATAL", "V", "FATAL", "C", "57P01", "M", "terminating connection")),
                        s -> {
                            s.query("set");
                            s.result();
                            s.readWhileIdle();
                            s.result();
                            s.note("application_name=" + s.core().server().get("application_name"));
                            s.state();
                        },
                        "sent 510000000873657400",
                        "COMMAND_OK tag=SET",
                        "notice message type 0x32 arrived from server while idle",
                        "notice FATAL:  terminating connection",
                        "null",
                        "application_name=x",
                        "ok=true async=IDLE xact=IDLE sqlstate=57P01 drop=false"),
                simple("lost synchronisation gives the connection up", new BackendBytes().rowDescription("a")
                        .rawHeader('D', 2),
                        s -> {
                            s.query("q");
                            s.result();
                            s.state();
                        },
                        "sent 51000000067100",
                        "FATAL_ERROR error=lost synchronization with server: got message type \"D\", length 2",
                        "ok=false async=BUSY xact=UNKNOWN sqlstate= drop=true"));
    }

    /** How one case looks to the client when the stream arrives in pieces of these sizes. */
    private static List<String> run(Case c, int... feeds) {
        CoreSession session = new CoreSession(c.stream(), feeds);
        c.client().accept(session);
        return session.transcript;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theTranscriptIsTheExpectedOne(Case c) {
        List<String> whole = run(c, c.stream().length);
        for (int i = 0; i < c.expected().size(); i++) {
            assertTrue(i < whole.size(), "missing line " + i + ": " + c.expected().get(i) + "\nin " + whole);
            String expected = c.expected().get(i);
            String got = whole.get(i);
            assertTrue(got.equals(expected) || expected.startsWith("sent ") && got.startsWith(expected),
                    "line " + i + "\nexpected " + expected + "\n     got " + got + "\nin " + whole);
        }
        assertEquals(c.expected().size(), whole.size(), "transcript " + whole);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void howTheBytesArriveChangesNothing(Case c) {
        List<String> whole = run(c, c.stream().length);
        for (int chunk = 1; chunk <= Math.min(64, c.stream().length); chunk++) {
            assertEquals(whole, run(c, chunk), "in pieces of " + chunk + " bytes");
        }
        for (int cut = 1; cut < c.stream().length; cut++) {
            assertEquals(whole, run(c, cut, c.stream().length), "cut at byte " + cut);
        }
    }
}
