package io.pqbridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.Connection;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.SecuredTestServer;
import io.pqbridge.test.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recording a conversation and replaying it without a server, on both backends and across them:
 * the replayed client gets the same answers; a client that does something else is told where,
 * and the replay reports the first divergence with the message and byte; nothing secret is
 * recorded.
 */
class ReplayServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** What the recorded client does: a query, a notice, a small COPY out and in, each answer kept. */
    private static List<String> session(Connection conn) {
        List<String> seen = new ArrayList<>();
        conn.setAutocommit(true);
        seen.add(conn.execute("SELECT 1 AS one, 'two' AS two").fetchAll().toString());
        conn.execute("DO $$ BEGIN RAISE NOTICE 'replayed notice'; END $$");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        conn.cursor().copy("COPY (SELECT g, g * 2 FROM generate_series(1, 5) g) TO STDOUT", copy -> {
            for (byte[] chunk; (chunk = copy.read()).length > 0;) {
                out.writeBytes(chunk);
            }
        });
        seen.add(out.toString());
        conn.execute("CREATE TEMP TABLE replayed (n int)");
        conn.cursor().copy("COPY replayed FROM STDIN", copy -> copy.writeRow(7));
        seen.add(conn.execute("SELECT sum(n) FROM replayed").fetchOne().toString());
        return seen;
    }

    private static Recording record(PgBackend backend) throws InterruptedException {
        try (Recorder recorder = Recorder.start(TestDatabase.tcpConninfo())) {
            try (Connection conn = Connection.connect(backend, recorder.conninfo())) {
                session(conn);
            }
            return recorder.finish(false, "class", ReplayServerTest.class.getName());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aRecordingReplaysOnBothBackendsWithTheSameAnswers(PgBackend recordedWith) throws Exception {
        List<String> live;
        try (Connection conn = Connection.connect(recordedWith, TestDatabase.tcpConninfo())) {
            live = session(conn);
        }
        Recording recording = record(recordedWith);
        assertEquals(1, recording.connections());
        for (PgBackend replayedWith : io.pqbridge.test.Backends.all().toList()) {
            try (ReplayServer server = ReplayServer.start(recording)) {
                List<String> replayed;
                try (Connection conn = Connection.connect(replayedWith, server.conninfo())) {
                    replayed = session(conn);
                }
                assertEquals(live, replayed, "recorded with " + recordedWith.name() + ", replayed with "
                        + replayedWith.name());
                Optional<Divergence> d = server.finish(WAIT);
                assertTrue(d.isEmpty(), () -> "recorded with " + recordedWith.name() + ", replayed with "
                        + replayedWith.name() + ": " + d.get().describe());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aClientThatAskedForTlsIsAnsweredNoByTheRecorderAndAsksAgainInTheReplay(PgBackend backend) throws Exception {
        Recording recording;
        try (Recorder recorder = Recorder.start(TestDatabase.tcpConninfo())) {
            try (Connection conn = Connection.connect(backend, recorder.conninfo() + " sslmode=prefer")) {
                conn.execute("SELECT 1").fetchAll();
            }
            recording = recorder.finish(false, "scenario", "prefer");
        }
        List<Recording.Event> events = recording.events();
        assertEquals("F 8 SSLRequest", MessageText.of(events.get(1).bytes(), false));
        assertEquals(List.of(Recording.Kind.SERVER, 1), List.of(events.get(2).kind(), events.get(2).bytes().length));
        assertEquals('N', events.get(2).bytes()[0]);
        try (ReplayServer server = ReplayServer.start(recording)) {
            assertTrue(server.conninfo().contains("sslmode=prefer"), server.conninfo());
            try (Connection conn = Connection.connect(backend, server.conninfo())) {
                conn.execute("SELECT 1").fetchAll();
            }
            Optional<Divergence> d = server.finish(WAIT);
            assertTrue(d.isEmpty(), () -> d.get().describe());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aClientThatLeavesTheRecordingIsToldWhereAndTheReplayReportsIt(PgBackend backend) throws Exception {
        Recording recording = record(backend);
        try (ReplayServer server = ReplayServer.start(recording)) {
            OperationalException e;
            try (Connection conn = Connection.connect(backend, server.conninfo())) {
                conn.setAutocommit(true);
                e = assertThrows(OperationalException.class, () -> conn.execute("SELECT 1 AS one, 'three' AS two"));
            }
            assertTrue(e.getMessage().contains("pqbridge replay: the client left the recording at connection 1,"
                    + " client message 2, byte 4"), e.getMessage());
            assertTrue(e.getMessage().contains("if the client changed on purpose, record it again against a server"),
                    e.getMessage());
            Divergence d = server.finish(WAIT).orElseThrow();
            assertEquals(1, d.connection());
            assertEquals(2, d.clientMessage());
            assertEquals(4, d.byteOffset()); // the length differs first
            assertEquals("F\t34\tQuery\t \"SELECT 1 AS one, 'two' AS two\"", d.expected());
            assertEquals("F\t36\tQuery\t \"SELECT 1 AS one, 'three' AS two\"", d.got());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aConnectionTheRecordingDoesNotHaveIsRefusedAndReported(PgBackend backend) throws Exception {
        Recording recording = record(backend);
        try (ReplayServer server = ReplayServer.start(recording)) {
            try (Connection conn = Connection.connect(backend, server.conninfo())) {
                session(conn);
            }
            OperationalException e = assertThrows(OperationalException.class,
                    () -> Connection.connect(backend, server.conninfo()).close());
            assertTrue(e.getMessage().contains("the recording has 1 connections; the client opened one more"),
                    e.getMessage());
            Divergence d = server.finish(WAIT).orElseThrow();
            assertEquals(0, d.connection());
            assertEquals("connection 2", d.got());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aServerTheRecorderCannotReachIsNamedToTheClient(PgBackend backend) throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (Recorder recorder = Recorder.start("host=127.0.0.1 port=" + closedPort + " user=nobody dbname=none")) {
            OperationalException e = assertThrows(OperationalException.class,
                    () -> Connection.connect(backend, recorder.conninfo() + " connect_timeout=5").close());
            assertTrue(e.getMessage().contains("pqbridge recorder: cannot reach the server at /127.0.0.1:" + closedPort),
                    e.getMessage());
            assertEquals(0, recorder.finish(false, "scenario", "none").connections());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aKeptMd5LoginReplaysWithItsPasswordAndAKeptScramLoginCannot(PgBackend backend) throws Exception {
        assumeTrue(TestDatabase.throwaway().isPresent(), "needs the throwaway server's secured twin");
        SecuredTestServer secured = SecuredTestServer.get();
        String password = " password='" + SecuredTestServer.PASSWORD + "'";
        Recording md5 = recordLogin(backend, secured, SecuredTestServer.MD5_USER, password);
        assertTrue(md5.notes().isEmpty(), md5.notes().toString());
        try (ReplayServer server = ReplayServer.start(md5);
                Connection conn = Connection.connect(backend, server.conninfo() + password + " passfile=/nonexistent")) {
            conn.execute("SELECT current_user").fetchAll();
            conn.close();
            Optional<Divergence> d = server.finish(WAIT);
            assertTrue(d.isEmpty(), () -> d.get().describe());
        }
        try (ReplayServer server = ReplayServer.start(md5)) {
            assertThrows(OperationalException.class, () -> Connection.connect(backend, server.conninfo()
                    + " password=wrong passfile=/nonexistent").close());
            Divergence d = server.finish(WAIT).orElseThrow();
            assertEquals(2, d.clientMessage(), d.describe());
            assertEquals("F\t40\tPasswordMessage (a password, SASL or GSS answer; not shown)", d.got(), d.describe());
            assertEquals(d.got(), d.expected());
        }
        Recording scram = recordLogin(backend, secured, SecuredTestServer.SCRAM_USER, password);
        try (ReplayServer server = ReplayServer.start(scram)) {
            assertThrows(OperationalException.class, () -> Connection.connect(backend, server.conninfo() + password
                    + " passfile=/nonexistent").close());
            Divergence d = server.finish(WAIT).orElseThrow();
            assertEquals(2, d.clientMessage(), "the SASLInitialResponse carries the random nonce: " + d.describe());
        }
    }

    private static Recording recordLogin(PgBackend backend, SecuredTestServer secured, String user, String password)
            throws InterruptedException {
        try (Recorder recorder = Recorder.start("host=127.0.0.1 port=" + secured.port() + " dbname=postgres user="
                + user + password + " passfile=/nonexistent")) {
            try (Connection conn = Connection.connect(backend, recorder.conninfo())) {
                conn.execute("SELECT current_user").fetchAll();
            }
            return recorder.finish(true, "scenario", "login");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void withTimingTheReplayKeepsTheRecordedGaps(PgBackend backend) throws Exception {
        Recording recording;
        try (Recorder recorder = Recorder.start(TestDatabase.tcpConninfo())) {
            try (Connection conn = Connection.connect(backend, recorder.conninfo())) {
                conn.execute("SELECT pg_sleep(0.6)");
            }
            recording = recorder.finish(false, "scenario", "sleep");
        }
        try (ReplayServer server = ReplayServer.start(recording, true)) {
            long start = System.nanoTime();
            try (Connection conn = Connection.connect(backend, server.conninfo())) {
                conn.execute("SELECT pg_sleep(0.6)");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 550, "the recorded 600 ms sleep was replayed in " + millis + " ms");
            Optional<Divergence> d = server.finish(WAIT);
            assertTrue(d.isEmpty(), () -> d.get().describe());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aClientThatStopsEarlyIsReported(PgBackend backend) throws Exception {
        Recording recording = record(backend);
        try (ReplayServer server = ReplayServer.start(recording)) {
            try (Connection conn = Connection.connect(backend, server.conninfo())) {
                conn.setAutocommit(true);
                conn.execute("SELECT 1 AS one, 'two' AS two").fetchAll();
            }
            Divergence d = server.finish(WAIT).orElseThrow();
            assertEquals(1, d.connection());
            assertEquals(3, d.clientMessage());
            assertTrue(d.expected().contains("Query") && d.expected().contains("replayed notice"), d.expected());
            assertTrue(d.got().startsWith("F\t4\tTerminate"), d.got());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aScramLoginIsRecordedWithoutItsProofAndReplaysAsTrust(PgBackend backend, @TempDir Path dir) throws Exception {
        assumeTrue(TestDatabase.throwaway().isPresent(), "needs the throwaway server's secured twin");
        SecuredTestServer secured = SecuredTestServer.get();
        String dsn = "host=127.0.0.1 port=" + secured.port() + " dbname=postgres user=" + SecuredTestServer.SCRAM_USER
                + " password='" + SecuredTestServer.PASSWORD + "' passfile=/nonexistent/pgpass";
        Recording recording;
        try (Recorder recorder = Recorder.start(dsn)) {
            try (Connection conn = Connection.connect(backend, recorder.conninfo())) {
                conn.execute("SELECT current_user").fetchAll();
            }
            recording = recorder.finish(false, "class", ReplayServerTest.class.getName());
        }
        Path file = dir.resolve("scram.recording.gz");
        recording.write(file);
        Recording read = Recording.read(file);
        String text = new String(new java.util.zip.GZIPInputStream(Files.newInputStream(file)).readAllBytes());
        assertFalse(text.contains("password"), text);
        assertFalse(text.contains(java.util.HexFormat.of().formatHex("SCRAM-SHA-256".getBytes())), text);
        assertFalse(text.contains("\nc 1 ") && text.lines().anyMatch(l -> l.startsWith("c 1 ") && l.split(" ")[3]
                .startsWith("70")), "a password or SASL message was recorded:\n" + text);
        assertTrue(read.notes().stream().anyMatch(n -> n.contains("authentication taken out")
                && n.contains("SASL (SCRAM)")), read.notes().toString());
        assertEquals("user=" + SecuredTestServer.SCRAM_USER + " dbname=postgres", read.conninfo());
        try (ReplayServer server = ReplayServer.start(read);
                Connection conn = Connection.connect(backend, server.conninfo())) {
            assertEquals(SecuredTestServer.SCRAM_USER, conn.execute("SELECT current_user").fetchOne().get(0));
            conn.close();
            Optional<Divergence> d = server.finish(WAIT);
            assertTrue(d.isEmpty(), () -> d.get().describe());
        }
    }
}
