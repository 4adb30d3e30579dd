package io.pqbridge.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.Pq;
import io.pqbridge.test.Backends;
import io.pqbridge.test.ChildJvms;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ChildJvm;
import io.pqbridge.testing.ChildResult;
import java.time.Duration;
import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile answers during connection start-up, each written out by hand against the scripted
 * server, on every backend: the libpq behaviours the java backend lacked (found by review and by
 * {@link HostileServerFuzzTest}), held to what libpq does.
 */
class HostileStartupTest {

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aSecondSaslRequestInOneExchangeIsRefused(PgBackend backend) throws Exception {
        byte[] sasl = authentication(10, "SCRAM-SHA-256\0\0".getBytes(StandardCharsets.US_ASCII));
        Script script = script(null, new Script.Turn(1, sasl), new Script.Turn(1, sasl));
        try (ScriptedServer server = new ScriptedServer()) {
            server.serve(script);
            try (PgConn conn = backend.connect(server.conninfo(script) + " password=secret")) {
                assertEquals(PgConnStatus.BAD, conn.status());
                assertTrue(conn.errorMessage().endsWith("failed: duplicate SASL authentication request\n"),
                        conn.errorMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anErrorReplyToSslRequestIsNeitherShownNorAReasonToTryTheNextHost(PgBackend backend) throws Exception {
        // a man in the middle answers the SSLRequest with "cannot connect now": libpq (CVE-2024-10977)
        // neither reads that text nor lets it send the client to the next host
        byte[] error = message('E', "SFATAL\0C57P03\0MINJECTED-BY-A-MAN-IN-THE-MIDDLE\0\0".getBytes(StandardCharsets.US_ASCII));
        Script script = script(error);
        try (ScriptedServer server = new ScriptedServer()) {
            server.serve(script);
            String conninfo = "host=127.0.0.1,127.0.0.1 port=" + server.port() + "," + realServerPort()
                    + " user=test dbname=postgres sslmode=prefer gssencmode=disable connect_timeout=2";
            try (PgConn conn = backend.connect(conninfo)) {
                assertEquals(PgConnStatus.BAD, conn.status());
                assertEquals("connection to server at \"127.0.0.1\", port " + server.port()
                        + " failed: server sent an error response during SSL exchange\n", conn.errorMessage());
            }
        }
    }

    /**
     * 72 MB of notices after AuthenticationOk, read by a child JVM per backend with a 64 MB heap
     * (libpq prints them on standard error, the java backend logs them at INFO): no
     * backend may keep them. The java backend ends the attempt at connect_timeout; libpq (15 to 18)
     * checks connect_timeout only while it waits for data, so a server that never pauses keeps it
     * reading to the end of the flood, which is where the server closes here.
     */
    @Test
    void noticesWithoutEndDuringStartupAreNotKept() throws Exception {
        byte[] notice = message('N', "SNOTICE\0C00000\0Mflood\0\0".getBytes(StandardCharsets.US_ASCII));
        Script.Turn flood = new Script.Turn(1, authentication(0, new byte[0]), 9, 2_000_000, notice);
        Script script = script(null, flood);
        try (ScriptedServer server = new ScriptedServer()) {
            Map<String, ChildResult> results = new java.util.TreeMap<>();
            for (PgBackend backend : Backends.all().toList()) {
                server.serve(script);
                results.put(backend.name(), ChildJvm.of(StartupChild.class)
                        .jvmOptions(ChildJvms.options("-Xmx64m", "-Dpqbridge.impl=" + backend.name()))
                        .args(server.conninfo(script)).timeout(Duration.ofMinutes(2)).run());
            }
            results.forEach((backend, r) -> {
                assertTrue(r.succeeded(), backend + ": " + r.describe());
                String outcome = r.stdoutTail().strip();
                System.out.println("startup notice flood on " + backend + ": " + outcome);
                assertTrue(outcome.startsWith("BAD "), backend + ": " + outcome);
                if (backend.equals("java")) {
                    assertTrue(outcome.endsWith("failed: timeout expired"), outcome);
                    long millis = Long.parseLong(outcome.split(" ")[1]);
                    assertTrue(millis < 6000, "connect_timeout=2 ended the attempt after " + millis + " ms");
                }
            });
        }
    }

    /** Connects once with the conninfo of its argument; prints the status, the milliseconds and the error's last line. */
    static final class StartupChild {
        public static void main(String[] args) {
            long started = System.nanoTime();
            try (PgConn conn = Pq.connect(args[0])) {
                String[] lines = conn.errorMessage().strip().split("\n");
                System.out.println(conn.status() + " " + (System.nanoTime() - started) / 1_000_000 + " "
                        + lines[lines.length - 1]);
            }
        }
    }

    private static String realServerPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("port=(\\d+)").matcher(TestDatabase.tcpConninfo());
        assertTrue(m.find(), TestDatabase.tcpConninfo());
        return m.group(1);
    }

    private static Script script(byte[] sslAnswer, Script.Turn... turns) {
        return new Script("startup", ClientOp.CONNECT, "user=test dbname=postgres", Script.Delivery.WHOLE, 0, sslAnswer,
                List.of(), List.of(turns));
    }

    private static byte[] authentication(int code, byte[] data) {
        return message('R', ByteBuffer.allocate(4 + data.length).putInt(code).put(data).array());
    }

    private static byte[] message(char type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.writeBytes(ByteBuffer.allocate(4).putInt(4 + body.length).array());
        out.writeBytes(body);
        return out.toByteArray();
    }
}
